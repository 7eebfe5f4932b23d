/**
 * How long a main-chain block keeps its undo data (the accounts as they were before it, what
 * StoreSwitch.disconnectTip writes back), and what a reorganisation deeper than that does instead.
 *
 * A connect deletes, in its own SQL transaction, the undo of the main-chain block UNDO_BLOCKS
 * below the one it connects: a node holds the undo of its last UNDO_BLOCKS blocks, whatever the
 * chain's length. Fork choice has no depth limit (docs/protocol.md: the branch with more work wins
 * at any depth), so a switch to a branch that leaves the main chain further down than that is
 * not refused: StoreSwitch.rewind takes the main chain back to the fork point without undo data,
 * rebuilding the state from the newest copy of the accounts at or below it (stateSnapshots.ts;
 * genesis without one) by applying the main chain's blocks after it again (its blocks are all
 * stored), in the switch's SQL transaction (sqliteSwitch.ts).
 *
 * PERF (disk): undo is JSON of every account a block touched, ≈ 150 bytes an account: a full block
 * of 6,368 transfers from old senders to new recipients writes ≈ 1 MB of it, as much as the block
 * itself, and a chain of 10,000 full blocks held ≈ 9.4 GB of undo (issue 13's closing note).
 * Kept for UNDO_BLOCKS it stays under ≈ 300 MB at any length, and the pages a deleted row frees
 * are reused by the next block's rows (SQLite's free list): the file stops growing by it.
 * Measured (bench/lib/undoWindowGrowth.ts 80 20 20: two stores fed the same full blocks
 * alternately, every undo kept against a window of 20, load 12.6), the file's growth a block at
 * blocks 21–40, 41–60, 61–80: 2.58, 2.77, 2.33 → 1.63, 1.58, 1.23 MB; connectBlock's CPU a
 * transfer 32.0, 31.1, 28.5 → 32.2, 30.4, 28.5 µs (the one-row delete is not seen). An older
 * file's undo of 41 full blocks pruned at open (pruneUndoAtOpen): 104 ms of CPU, 318 ms.
 */
import type Database from 'better-sqlite3';
import { type Account, type Block, fromHex, type StateDiff } from '../core/index.js';
import { decodeLocks } from './accountCodec.js';
import type { ReplayBlock } from './types.js';
import { encodeUndo } from './undoCodec.js';

/**
 * Blocks below the tip whose undo is kept: Bitcoin Core's MIN_BLOCKS_TO_KEEP for a pruned node
 * (288, two days of its blocks). NOTE: far beyond any fork the node meets unasked: a side block
 * nobody requested is refused past 12 blocks below the tip (POLICY_FORK_TOO_DEEP), side branches
 * are deleted 100 blocks below it (sideBranches.ts), the lab's attacker gives up 8 blocks behind.
 * A deeper switch (a partition healed after hours) still happens, by a rewind: slower, not refused.
 */
export const UNDO_BLOCKS = 288;

/** The meta key that records the window the undo rows were last pruned to (at open). */
const KEPT_META = 'undo_kept_blocks';

/**
 * Deletes the undo of every main-chain block UNDO_BLOCKS or more below the tip, once for a file
 * made before the window (or with a wider one): a connect then deletes one row a block. In one
 * SQL transaction with the meta row that says it is done: a crash meanwhile leaves the rows, pruned
 * again at the next open. NOTE: the file keeps its size (pages freed, reused by later rows):
 * `VACUUM` by hand gives the space back.
 */
export function pruneUndoAtOpen(db: Database.Database, undoBlocks: number): number {
  const kept = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  if (Number(kept.get(KEPT_META)?.value) <= undoBlocks) return 0;
  return db.transaction(() => {
    const deleted = db
      .prepare(
        `DELETE FROM undo WHERE hash IN (SELECT hash FROM main_chain
           WHERE height <= (SELECT max(height) FROM main_chain) - ?)`,
      )
      .run(undoBlocks).changes;
    db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ).run(KEPT_META, `${undoBlocks}`);
    return deleted;
  })();
}

/** What replaySteps needs of the store. */
export interface Replay {
  /** The height the state is rebuilt as of: the main chain's blocks up to `height` are applied. */
  readonly height: number;
  /**
   * Replaces the accounts by the newest copy at or below `height` (stateSnapshots.ts), or empties
   * them; returns the height of that copy (0: none, replay from block 1).
   */
  readonly restore: (height: number) => number;
  readonly replay: ReplayBlock;
  readonly undoBlocks: number;
  readonly loadBlock: (hash: Uint8Array) => Block | undefined;
  /** The store's account writer (accountRows.ts). */
  readonly writeDiff: (diff: StateDiff) => void;
}

/**
 * Rebuilds the accounts table as of the main chain's block at `height`, inside the caller's
 * SQL transaction (StoreSwitch.rewind): the accounts replaced by the newest copy at or below it
 * (stateSnapshots.ts; none: emptied) and every undo row deleted, then the main chain's blocks
 * after the copy's (from 1 without one; genesis connects with an empty diff,
 * src/chain/loadBlockTree.ts) up to `height` applied again in order, each reading the state the
 * ones before it wrote, and the undo of the last undoBlocks of them written again. The blocks at
 * or below the copy keep no undo: a later switch below them rewinds again (hasUndo).
 * CONSENSUS: the same blocks applied in the same order to the same state give the same state
 * (applyBlock reads nothing else).
 * NOTE: it costs what connecting those blocks cost, without the signatures, plus a copy of the
 * accounts table. Only a switch deeper than the window pays it. A step a block (and one for the
 * copy): the generator yields after each, so that a switch (sqliteSwitch.ts) can let the event
 * loop run between them.
 */
export function* replaySteps(db: Database.Database, r: Replay): Generator<void, void> {
  const account = db.prepare<[Uint8Array], { balance: bigint; nonce: bigint; locks: string }>(
    'SELECT balance, nonce, locks FROM accounts WHERE key = ?',
  );
  const mainHash = db.prepare<[number], Buffer>('SELECT hash FROM main_chain WHERE height = ?');
  const putUndo = db.prepare('INSERT OR REPLACE INTO undo (hash, diff) VALUES (?, ?)');
  const state = {
    getAccount(key: string): Account | undefined {
      const row = account.get(fromHex(key));
      return row && { balance: row.balance, nonce: row.nonce, locks: decodeLocks(row.locks) };
    },
  };
  const from = r.restore(r.height);
  db.prepare('DELETE FROM undo').run();
  yield;
  for (let h = from + 1; h <= r.height; h++) {
    const hashBytes = mainHash.pluck().get(h);
    if (!hashBytes) throw new Error(`no main-chain block at ${h} to replay`);
    const hash = new Uint8Array(hashBytes);
    const block = r.loadBlock(hash);
    if (!block) throw new Error(`main-chain block at ${h} is missing`);
    const { diff, undo } = r.replay(block, state);
    r.writeDiff(diff);
    if (h > r.height - r.undoBlocks) putUndo.run(hash, encodeUndo(undo));
    yield;
  }
}
