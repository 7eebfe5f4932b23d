/**
 * A connected block's rows in the SQLite store's txs and history tables (sqliteSchema.ts): each
 * transaction's location, and for each account (historyKeys: sender and recipient, once if the
 * same; the coinbase's recipient) the transactions that touch it.
 */
import type Database from 'better-sqlite3';
import type { Block } from '../core/index.js';
import { historyKeys } from './historyKeys.js';

/** From this many transfers in a block, its rows are written by the batched statements. */
export const MIN_BATCHED_ROWS = 16;

/**
 * The writer of a block's index rows, inside the connect's SQL transaction. A block of many
 * transfers has them written by two statements that take the ids, and the senders and recipients,
 * from one blob each (SQLite's substr of a blob), not by one statement a row: the same rows.
 * PERF: each row's statement was a call into better-sqlite3 binding 3 values, 19,000 for a full
 * block; SQLite's B-tree inserts are the same. connectBlock of full blocks (6,368 transfers from
 * 6,368 senders to new keys, 11 blocks a run, /tmp harness, 7 runs each alternated, load 10–14):
 * CPU a transfer, the median of the runs' medians 22.2 → 19.6 µs, of their minimums 17.3 → 12.7.
 * PERF: both statements insert their rows in key order (ORDER BY: SQLite sorts them first), not
 * in the block's: in a generation grown past the page cache, rows at random keys each seek a leaf
 * page the cache has likely let go since an earlier row of the block changed it (as the accounts,
 * accountRows.ts); in key order each leaf is found, changed and left once. The store's whole
 * connect write (bench/lib/storeAlternate.ts against the tree before, side by side, this thread's
 * CPU a transfer): stores grown as 60 full blocks (the newest generation ≈ 92 % full), 2 rounds,
 * load 12 and 17: mean 13.7 → 12.4 and 13.3 → 12.0 µs, median 12.6 → 11.0 both times; fresh
 * stores, 3 rounds, load 12: mean 9.6 → 9.4, median 9.4 → 9.4. Where the grown chain's extra
 * went before (node --cpu-prof of storeAlternate, grown against fresh): these rows 68 %, the
 * commit 23 %, the account rows 9 %; the account reads none (accountFilter.ts answers for the
 * new recipients, the senders' rows are few pages).
 * NOTE: rows keyed by 8-byte prefixes of the ids and account keys, measured and not built
 * (bench/lib/indexKeyWidth.ts, these statements and their commit, the newest generation empty,
 * at 60,000 and at 120,000 rows): 6.75 → 4.20, 10.1 → 5.7, 21.1 → 7.9 µs a transfer. It needs
 * lookups that keep only the candidates whose transaction, read from its block, has the full id
 * or key (a prefix may collide), prefix searches longer than 8 bytes likewise, and older files
 * converted.
 */
export function indexWriter(db: Database.Database) {
  const putTx = db.prepare('INSERT OR REPLACE INTO txs (gen, id, height, idx) VALUES (?, ?, ?, ?)');
  const putHistory = db.prepare(
    'INSERT OR REPLACE INTO history (gen, key, height, idx) VALUES (?, ?, ?, ?)',
  );
  const putTxs = db.prepare(
    `WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n + 1 < @count)
     INSERT OR REPLACE INTO txs (gen, id, height, idx)
     SELECT @gen, substr(@ids, n * 32 + 1, 32) AS id, @height, n FROM i ORDER BY id`,
  );
  // A sender paying itself writes its row twice: the second replaces the first, one row.
  const putTransferHistory = db.prepare(
    `WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n + 1 < @count)
     INSERT OR REPLACE INTO history (gen, key, height, idx)
     SELECT @gen, substr(@keys, n * 64 + 1, 32) AS key, @height, n + 1 AS idx FROM i
     UNION ALL SELECT @gen, substr(@keys, n * 64 + 33, 32), @height, n + 1 FROM i
     ORDER BY key, idx`,
  );

  /** `gen`: the generation the block's rows join (indexGens.ts). */
  return (block: Block, txIds: readonly Uint8Array[], height: number, gen: number): void => {
    const { txs } = block;
    const transfers = txs.length - 1;
    const keys = transfers >= MIN_BATCHED_ROWS ? transferKeys(block) : undefined;
    if (!keys || txIds.some((id) => id.length !== 32)) {
      txs.forEach((tx, index) => {
        putTx.run(gen, txIds[index]!, height, index);
        for (const key of historyKeys(tx)) putHistory.run(gen, key, height, index);
      });
      return;
    }
    putTxs.run({ gen, ids: Buffer.concat(txIds), count: txs.length, height });
    putHistory.run(gen, txs[0]!.to, height, 0);
    putTransferHistory.run({ gen, keys: Buffer.concat(keys), count: transfers, height });
  };
}

/**
 * Each transfer's sender and recipient in the block's order (32 bytes each), for a block of a
 * coinbase then transfers only (what checkBlock lets through); undefined for any other.
 */
function transferKeys(block: Block): Uint8Array[] | undefined {
  const { txs } = block;
  if (txs[0]?.type !== 'coinbase') return undefined;
  const keys: Uint8Array[] = new Array(2 * (txs.length - 1));
  for (let i = 1; i < txs.length; i++) {
    const tx = txs[i]!;
    if (tx.type !== 'transfer' || tx.from.length !== 32 || tx.to.length !== 32) return undefined;
    keys[2 * i - 2] = tx.from;
    keys[2 * i - 1] = tx.to;
  }
  return keys;
}
