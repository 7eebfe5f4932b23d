/**
 * A block's account rows in the SQLite store's accounts table (sqliteSchema.ts): the diff a
 * connect (or the undo data a disconnect) applies, written inside the block's SQL transaction.
 */
import type Database from 'better-sqlite3';
import { fromHex, type StateDiff } from '../core/index.js';
import { encodeLocks } from './accountCodec.js';

/**
 * The writer of a diff's rows, in key order; `added` is told of every key written (the store's
 * AccountFilter).
 * PERF: a block's accounts are random keys all over the table. In the diff's order (the block's),
 * a full block's 12,737 rows each seek a page the page cache (better-sqlite3's 16 MB) has most
 * likely let go since an earlier row of the block changed it: read again, and written to the WAL
 * again when SQLite spills it. In key order each page is found, changed and left once. bench/lib/accountGrowth.ts
 * (both orders side by side, fed the same blocks alternately, 100 full blocks, load 13–14), blocks
 * 76–100 (≈ 500,000–640,000 accounts): rows and commit 19.6 → 16.9 µs a transfer, 56.7 → 48.3 MB
 * written and 79.7 → 45.8 MB read a block; blocks 1–25 the same. One statement for all the rows
 * (the keys from a blob, the values from json_each, as indexRows.ts does) was no faster, and its
 * statement journal wrote every page it changed to a temporary file (+20 MB a block).
 * NOTE: measured on a store grown as 60 full blocks (382,000 accounts) and not built, as what a
 * connect's rows cost there is the pages they dirty at random keys (nearly every leaf of the
 * table, written to the WAL at the commit or spilled before it), not the statements: 12,737
 * rows a block, this thread's CPU a transfer with the commit (/tmp harness, 8 blocks alternated,
 * load 8-15): INSERT OR REPLACE 11.3, ON CONFLICT DO UPDATE 11.6, UPDATE for the senders and
 * INSERT for the new 12.6 µs; one statement over json_each 13.2 against 12.3 (fresh table: 5.4
 * against 5.7); page_size 1,024 or 2,048 34.6 and 28.9 against 4,096's 18.1. The connect's
 * whole SQL write (a split of connectRows' parts, 2 runs each): mmap_size 512 MiB 24.3, 28.4
 * against 24.6, 26.3; cache_size 64 MiB 35.5, 26.5 against 31.8, 24.3 (fewer spills, a bigger
 * commit).
 */
export function accountWriter(db: Database.Database) {
  const put = db.prepare(
    'INSERT OR REPLACE INTO accounts (key, balance, nonce, locks) VALUES (?, ?, ?, ?)',
  );
  const remove = db.prepare('DELETE FROM accounts WHERE key = ?');

  return (diff: StateDiff, added: (key: Uint8Array) => void): void => {
    // NOTE: keys are lower-case hex (toHex): their order as text is their order as bytes.
    for (const key of [...diff.keys()].sort()) {
      const k = fromHex(key);
      const account = diff.get(key)!;
      if (account === null) remove.run(k);
      else {
        put.run(k, account.balance, account.nonce, encodeLocks(account.locks));
        added(k);
      }
    }
  };
}
