/**
 * A move of the SQLite store's main chain in one SQL transaction, run over many turns of the
 * event loop (StoreSwitch, src/storage/types.ts), and what the store's readers see meanwhile.
 *
 * The switch writes on the store's connection, in a transaction left open between its steps.
 * SQLite shows a connection its own uncommitted writes, so every read the store answers for
 * others (the API, the mempool, peers: the tip, the main chain, the accounts, the indexes, meta)
 * goes meanwhile to a second, read-only connection to the same file: in WAL mode a reader sees
 * the database as of the last commit, the chain before the switch, until the switch commits in
 * one step. A kill -9 at any point before that COMMIT leaves the WAL without it: the file reopens
 * on the old chain (and Chain.open makes the switch again: its blocks are stored).
 * A file in memory has no second connection: its switch is not isolated (run in one go).
 */
import Database from 'better-sqlite3';
import { type Account, fromHex } from '../core/index.js';
import { decodeLocks } from './accountCodec.js';
import { indexReads } from './indexReads.js';
import type { Commits } from './sqliteCommits.js';
import type { ConnectBlock, ReplayBlock, StoreSwitch } from './types.js';

/** The store's reads that a switch changes the answers of (ChainStore's getters). */
export interface ReadStatements {
  readonly getMeta: Database.Statement<[string], { value: string }>;
  readonly mainHash: Database.Statement<[number], { hash: Buffer }>;
  readonly hasUndo: Database.Statement<[Uint8Array], number>;
  readonly countAccounts: Database.Statement<[], { n: bigint }>;
  account(key: Uint8Array): Account | undefined;
  readonly index: ReturnType<typeof indexReads>;
}

export function readStatements(db: Database.Database): ReadStatements {
  const account = db.prepare<[Uint8Array], { balance: bigint; nonce: bigint; locks: string }>(
    'SELECT balance, nonce, locks FROM accounts WHERE key = ?',
  );
  return {
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    mainHash: db.prepare<[number], { hash: Buffer }>(
      'SELECT hash FROM main_chain WHERE height = ?',
    ),
    hasUndo: db.prepare<[Uint8Array], number>('SELECT 1 FROM undo WHERE hash = ?').pluck(),
    countAccounts: db.prepare<[], { n: bigint }>('SELECT count(*) AS n FROM accounts'),
    account(key: Uint8Array): Account | undefined {
      const row = account.get(key);
      return row && { balance: row.balance, nonce: row.nonce, locks: decodeLocks(row.locks) };
    },
    index: indexReads(db),
  };
}

/** The read-only connection readers use while a switch is under way; none for a file in memory. */
export function snapshotReads(
  db: Database.Database,
): (ReadStatements & { close(): void }) | undefined {
  if (db.memory) return undefined;
  const reader = new Database(db.name, { readonly: true, fileMustExist: true });
  reader.defaultSafeIntegers(true);
  return { ...readStatements(reader), close: () => reader.close() };
}

/** What the switch writes with: the store's own statements on its connection. */
export interface SwitchWrites {
  readonly commits: Commits;
  readonly reads: ReadStatements;
  readonly disconnect: () => Uint8Array;
  readonly rewind: (height: number, replay: ReplayBlock) => Generator<void, Uint8Array[]>;
  readonly connect: (c: ConnectBlock) => void;
  /** Told when the switch ends: `restored`, whether the accounts were replaced by a copy. */
  readonly ended: (restored: boolean) => void;
}

export function sqliteSwitch(w: SwitchWrites, isolated: boolean): StoreSwitch {
  w.commits.beginSwitch();
  let restored = false;
  let open = true;
  const end = (commit: boolean) => {
    if (!open) return;
    open = false;
    w.commits.endSwitch(commit);
    w.ended(restored);
  };
  return {
    isolated,
    state: { getAccount: (key) => w.reads.account(fromHex(key)) },
    disconnectTip: w.disconnect,
    *rewind(height, replay) {
      restored = true;
      return yield* w.rewind(height, replay);
    },
    connect: w.connect,
    commit: () => end(true),
    abort: () => end(false),
  };
}
