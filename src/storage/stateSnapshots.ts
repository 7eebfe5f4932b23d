/**
 * Copies of the accounts table at checkpoints of the main chain, so that a switch deeper than the
 * undo window (undoWindow.ts) rebuilds the state from the nearest copy at or below the fork
 * point instead of from genesis.
 *
 * Layout (SQLite, sqliteSchema.ts):
 *   snapshots(height PK, hash)                       one row a copy: the main-chain block at
 *                                                    `height` whose state it is (after it)
 *   snapshot_accounts(height, key, balance, nonce,   the accounts as they were after that block,
 *                     locks) PK (height, key)        rows as the accounts table's
 *
 * A connect of the main-chain block at a height that is a multiple of SNAPSHOT_BLOCKS copies the
 * accounts (after the block) in its own SQL transaction, and deletes the copies older than the
 * last SNAPSHOTS_KEPT; a block taken off the main chain (a disconnect, a rewind) deletes the
 * copies at or above its height in its transaction, so every copy kept is of a block on the main
 * chain. A file made before them has none: its first copy comes with the next checkpoint, and a
 * deep switch before that rebuilds from genesis as before.
 *
 * PERF: measured (bench/lib/deepRewind.ts 1000 100 298 2 288: 1,000 blocks of 100 transfers to
 * new keys, a switch 298 deep, fork point 702, the same file rewound alternately without copies
 * (from genesis: 702 blocks replayed) and with (from 576's: 126), 2 rounds, load 24): CPU 1,531,
 * 1,280 → 615, 632 ms; wall 10.4, 8.8 → 4.5, 7.1 s. A copy costs its connect ≈ 0.5–0.7 µs an
 * account: 20, 26, 42 ms at 29k, 58k, 86k accounts (a block's connect 3.8 ms); 1,268 ms at
 * 1.83 million (block 288 of full blocks to new keys; a full block's connect 83 ms), so ≈ 4 ms
 * a block spread over 288. One round each, same runs: 3,000 blocks of 100, 298 deep (2,702
 * replayed → 110): CPU 4,783 → 1,028 ms, wall 49.0 → 10.2 s (load 19–20); 400 full blocks of
 * 6,368, a window of 50, 60 deep (340 replayed → 52): CPU 35.0 → 13.1 s, wall 264 → 99 s, peak
 * +254 → +38 MB (load 30). A full block replays in ≈ 76 ms of CPU: from genesis, 10,000 of them
 * would be ≈ 13 min of CPU; from a copy, at most SNAPSHOT_BLOCKS (≈ 22 s) plus the copy's
 * restore and the blocks taken off, whatever the chain's length (extrapolated, not measured).
 *
 * CONSENSUS: a copy is the state the connects wrote at that block; applying the main chain's
 * next blocks to it in order gives the same state as applying every block from genesis
 * (applyBlock reads nothing else). test/unit/storage/undoWindow.test.ts compares rebuilds from
 * copies with the state from genesis on both stores, test/integration/p2p/deepPartition.test.ts
 * nodes healed across a partition with a node that synced the winner (deepReorg.test.ts's chains
 * are too short for a copy below their fork point).
 */
import type Database from 'better-sqlite3';

/**
 * Blocks between two copies. NOTE: the replay a deep switch pays is at most this many blocks
 * (from the copy below the fork point) when the fork point is within the copies kept; each copy
 * costs a scan of the accounts table, once in SNAPSHOT_BLOCKS connects.
 */
export const SNAPSHOT_BLOCKS = 288;
/**
 * Copies kept: the newest may still be inside the undo window (no use yet), the older reach
 * ≥ (SNAPSHOTS_KEPT - 1) × SNAPSHOT_BLOCKS below the tip. A fork point deeper still rebuilds from
 * genesis (correct, slower). Each copy holds as many rows as the accounts table.
 */
export const SNAPSHOTS_KEPT = 3;

/** Whether connecting the main-chain block at `height` takes a copy (`every` 0: never). */
export const isSnapshotHeight = (height: number, every: number): boolean =>
  every > 0 && height > 0 && height % every === 0;

/** The lowest height of a copy kept once one is taken at `height`. */
export const oldestKept = (height: number, every: number): number =>
  height - (SNAPSHOTS_KEPT - 1) * every;

export interface SnapshotRows {
  /** After connecting the main-chain block `hash` at `height`: a copy, if it is a checkpoint. */
  taken(height: number, hash: Uint8Array): void;
  /** The main-chain block at `height` taken off: the copies at or above it deleted. */
  takenOff(height: number): void;
  /**
   * The accounts table replaced by the newest copy at or below `height` whose block is still
   * main_chain's at its height; returns that height, or 0 (none: the table emptied).
   */
  restore(height: number): number;
}

export function snapshotRows(db: Database.Database, every: number): SnapshotRows {
  const q = {
    copy: db.prepare(
      `INSERT INTO snapshot_accounts (height, key, balance, nonce, locks)
       SELECT ?, key, balance, nonce, locks FROM accounts`,
    ),
    add: db.prepare('INSERT OR REPLACE INTO snapshots (height, hash) VALUES (?, ?)'),
    dropBelow: db.prepare('DELETE FROM snapshot_accounts WHERE height < ?'),
    dropRowsBelow: db.prepare('DELETE FROM snapshots WHERE height < ?'),
    dropFrom: db.prepare('DELETE FROM snapshot_accounts WHERE height >= ?'),
    dropRowsFrom: db.prepare('DELETE FROM snapshots WHERE height >= ?'),
    newest: db.prepare<[number], { height: bigint }>(
      `SELECT s.height FROM snapshots s JOIN main_chain m ON m.height = s.height AND m.hash = s.hash
       WHERE s.height <= ? ORDER BY s.height DESC LIMIT 1`,
    ),
    emptyAccounts: db.prepare('DELETE FROM accounts'),
    restore: db.prepare(
      `INSERT INTO accounts (key, balance, nonce, locks)
       SELECT key, balance, nonce, locks FROM snapshot_accounts WHERE height = ?`,
    ),
  };
  return {
    taken(height, hash) {
      if (!isSnapshotHeight(height, every)) return;
      q.dropFrom.run(height);
      q.dropRowsFrom.run(height);
      q.copy.run(height);
      q.add.run(height, hash);
      q.dropBelow.run(oldestKept(height, every));
      q.dropRowsBelow.run(oldestKept(height, every));
    },
    takenOff(height) {
      q.dropFrom.run(height);
      q.dropRowsFrom.run(height);
    },
    restore(height) {
      q.emptyAccounts.run();
      const newest = every === 0 ? undefined : q.newest.get(height);
      if (!newest) return 0;
      q.restore.run(newest.height);
      return Number(newest.height);
    },
  };
}
