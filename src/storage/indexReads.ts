/**
 * The reads of the SQLite store's txs and history tables (sqliteSchema.ts), over their
 * generations (indexGens.ts), and the deletes of a disconnected block's rows. The answers are
 * those of one table without generations: the callers (GET /api/tx/:id, the explorer's and
 * search's reads, the address history, the mempool's checks) see no difference.
 */
import type Database from 'better-sqlite3';
import { type Block, fromHex, hashTx } from '../core/index.js';
import { historyKeys } from './historyKeys.js';
import type { HistoryEntry, TxLocation } from './types.js';

export function indexReads(db: Database.Database) {
  // PERF: the generations newest first (index_gens scanned backwards, no sort), one seek of the
  // primary key each, inside one statement, until the id is found: a recent transaction, the one
  // users and a reorganisation's settling look up, costs one seek at any length of the chain; an
  // absent id or one in the first blocks, one a generation. `gen IN (SELECT gen …)` probed them
  // oldest first: with 300 generations of 2,020 transactions, 524-610 → 3.5-4.3 µs of CPU a
  // lookup of the newest block's ids, 3.4-3.8 → 576-591 µs of its first block's, absent ids
  // unchanged (≈ 500 µs; a side-by-side script, load 11). At 500 generations (10,000 blocks,
  // bench/lib/indexGenReads.ts, load 9 → 17): newest 1,054 → 6 µs, absent 1,074 → 1,292 µs.
  const getTx = db.prepare<[Uint8Array], { block_hash: Buffer; height: bigint; idx: bigint }>(
    `SELECT main_chain.hash AS block_hash, txs.height, txs.idx
     FROM index_gens CROSS JOIN txs ON txs.gen = index_gens.gen AND txs.id = ?
     JOIN main_chain ON main_chain.height = txs.height
     ORDER BY index_gens.gen DESC LIMIT 1`,
  );
  // PERF: one statement over the generations, each read only up to its `limit`-th id in the
  // range (the correlated subquery: at most `limit` rows a generation reach the sort, as when it
  // was a statement a generation); the sort keeps the first `limit`. A statement a generation,
  // merged in JS, before: with 300 generations of 2,020 transactions (a script alternating the
  // two, load 13), the first 11 ids under a prefix of 1, 2 and 3 bytes 6.9-8.4, 2.5-2.7 and
  // 2.4-3.3 ms → 1.0, 0.6-0.8 and 0.7-0.8 ms of CPU; at 500 generations, 10 ids under a prefix of
  // 1 byte 12.5 → 1.5 ms (bench/lib/indexGenReads.ts, runs one after the other, load 14 and 10).
  const txIdsBetween = db.prepare<
    [{ low: Uint8Array; high: Uint8Array; limit: number }],
    { id: Buffer }
  >(
    `SELECT txs.id FROM index_gens CROSS JOIN txs
       ON txs.gen = index_gens.gen AND txs.id >= @low AND txs.id <= coalesce(
         (SELECT x.id FROM txs AS x WHERE x.gen = index_gens.gen AND x.id >= @low AND x.id <= @high
          ORDER BY x.id LIMIT 1 OFFSET @limit - 1), @high)
     ORDER BY txs.id LIMIT @limit`,
  );
  // PERF: one statement over the generations newest first (each a run of heights above the one
  // before it, so their order is the entries' order; no sort, it stops at `limit`): a page of 50
  // of an account seen 7 times in 6,000 blocks (300 generations) 2,353-3,029 → 163-252 µs of CPU,
  // one of a sender in every block 168-245 → 44-78 µs (a statement a generation before); at 500
  // generations the first 4,359 → 496 µs, the coinbase's key 717 → 50 µs (indexGenReads.ts).
  const history = db.prepare<[Uint8Array, number, number, number], { height: bigint; idx: bigint }>(
    `SELECT history.height, history.idx FROM index_gens CROSS JOIN history
       ON history.gen = index_gens.gen AND history.key = ? AND history.height < ?
     WHERE index_gens.from_height < ?
     ORDER BY index_gens.gen DESC, history.height DESC, history.idx DESC LIMIT ?`,
  );
  const deleteTx = db.prepare('DELETE FROM txs WHERE gen = ? AND id = ?');
  const deleteHistory = db.prepare(
    'DELETE FROM history WHERE gen = ? AND key = ? AND height = ? AND idx = ?',
  );

  return {
    getTxLocation(txId: Uint8Array): TxLocation | undefined {
      const row = getTx.get(txId);
      return (
        row && {
          blockHash: new Uint8Array(row.block_hash),
          height: Number(row.height),
          index: Number(row.idx),
        }
      );
    },

    /** The ids from `low` to `high` in order, at most `limit`. */
    txIdsBetween(low: Uint8Array, high: Uint8Array, limit: number): Uint8Array[] {
      if (limit <= 0) return [];
      return txIdsBetween.all({ low, high, limit }).map((row) => new Uint8Array(row.id));
    },

    /** The newest `limit` entries of `key` below `beforeHeight`, newest first. */
    getHistory(key: string, limit: number, beforeHeight: number): HistoryEntry[] {
      return history.all(fromHex(key), beforeHeight, beforeHeight, limit).map((row) => ({
        height: Number(row.height),
        index: Number(row.idx),
      }));
    },

    /** Deletes the rows a connect of `block` (at `height`, in generation `gen`) wrote. */
    deleteRows(block: Block, height: number, gen: number): void {
      block.txs.forEach((tx, index) => {
        deleteTx.run(gen, hashTx(tx));
        for (const key of historyKeys(tx)) deleteHistory.run(gen, key, height, index);
      });
    },
  };
}
