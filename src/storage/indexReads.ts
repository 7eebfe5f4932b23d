/**
 * The reads of the SQLite store's txs and history tables (sqliteSchema.ts), over their
 * generations (indexGens.ts), and the deletes of a disconnected block's rows. The answers are
 * those of one table without generations: the callers (GET /api/tx/:id, the explorer's and
 * search's reads, the address history, the mempool's checks) see no difference.
 */
import type Database from 'better-sqlite3';
import { type Block, compareBytes, fromHex, hashTx } from '../core/index.js';
import { historyKeys } from './historyKeys.js';
import type { HistoryEntry, TxLocation } from './types.js';

export function indexReads(db: Database.Database) {
  // PERF: one seek of the primary key a generation, newest first (a recent transaction, which the
  // mempool and the reorganisation log ask about, is found first), inside one statement. CROSS
  // JOIN keeps that order: EXPLAIN QUERY PLAN: SCAN g | SEARCH txs USING PRIMARY KEY (gen=? AND
  // id=?) | SEARCH main_chain USING INTEGER PRIMARY KEY, no sort (a plain JOIN scanned txs).
  const getTx = db.prepare<[Uint8Array], { block_hash: Buffer; height: bigint; idx: bigint }>(
    `SELECT main_chain.hash AS block_hash, txs.height, txs.idx
     FROM index_gens g CROSS JOIN txs ON txs.gen = g.gen AND txs.id = ?
     CROSS JOIN main_chain ON main_chain.height = txs.height
     ORDER BY g.gen DESC LIMIT 1`,
  );
  const gensDescending = db.prepare<[], { gen: bigint }>(
    'SELECT gen FROM index_gens ORDER BY gen DESC',
  );
  // PERF: a range of the primary key in each generation: a prefix search reads only the ids that
  // match, at most `limit` a generation.
  const txIdsBetween = db.prepare<[bigint, Uint8Array, Uint8Array, number], { id: Buffer }>(
    'SELECT id FROM txs WHERE gen = ? AND id >= ? AND id <= ? ORDER BY id LIMIT ?',
  );
  // PERF: one statement over the generations newest first (each a run of heights above the one
  // before it), each read by its primary key in descending order: no sort, stopped at `limit`
  // (EXPLAIN QUERY PLAN: SCAN g | SEARCH h USING PRIMARY KEY (gen=? AND key=? AND height<?)).
  // A statement a generation cost ≈ 12 µs more for each (bench/lib/indexLookups.ts, load 15).
  const history = db.prepare<[Uint8Array, number, number, number], { height: bigint; idx: bigint }>(
    `SELECT h.height, h.idx
     FROM index_gens g CROSS JOIN history h ON h.gen = g.gen AND h.key = ? AND h.height < ?
     WHERE g.from_height < ? ORDER BY g.gen DESC, h.height DESC, h.idx DESC LIMIT ?`,
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

    /** The ids from `low` to `high` in order, at most `limit`: each generation's, merged. */
    txIdsBetween(low: Uint8Array, high: Uint8Array, limit: number): Uint8Array[] {
      const found: Uint8Array[] = [];
      for (const { gen } of gensDescending.all())
        for (const row of txIdsBetween.all(gen, low, high, limit))
          found.push(new Uint8Array(row.id));
      return found.sort(compareBytes).slice(0, limit);
    },

    /** The newest `limit` entries of `key` below `beforeHeight`. */
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
