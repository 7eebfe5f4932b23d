/**
 * The SQLite store: one file per network, WAL mode, one SQL transaction per connected or
 * disconnected block (or, for a sync, per batch of them: holdBlocks), so a node killed at any
 * moment reopens on a consistent chain.
 *
 * The tables are in sqliteSchema.ts; the held and durable commits in sqliteCommits.ts.
 */
import Database from 'better-sqlite3';
import {
  type Account,
  type Block,
  decodeBlock,
  decodeHeader,
  encodeBlock,
  encodeHeader,
  fromHex,
  toHex,
} from '../core/index.js';
import { AccountFilter } from './accountFilter.js';
import { accountWriter } from './accountRows.js';
import { indexGens } from './indexGens.js';
import { indexReads } from './indexReads.js';
import { indexWriter } from './indexRows.js';
import { peerRows } from './peerRows.js';
import { createCommits, WAL_CHECKPOINT_PAGES } from './sqliteCommits.js';
import { type ConversionStep, createSchema } from './sqliteSchema.js';
import { readStatements, snapshotReads, sqliteSwitch } from './sqliteSwitch.js';
import { SNAPSHOT_BLOCKS, snapshotRows } from './stateSnapshots.js';
import type {
  BlockRecord,
  BlockView,
  ChainStore,
  ConnectBlock,
  JournaledTx,
  ReplayBlock,
} from './types.js';
import { decodeUndo, encodeUndo } from './undoCodec.js';
import { pruneUndoAtOpen, replaySteps, UNDO_BLOCKS } from './undoWindow.js';

export interface SqliteStoreOptions {
  /** Told of each step when an older file is converted at open (sqliteSchema.ts). */
  readonly onConversion?: (step: ConversionStep) => void;
  /** Transactions a generation of the indexes holds (indexGens.ts); tests set fewer. */
  readonly genTxs?: number;
  /** Blocks below the tip whose undo data is kept (undoWindow.ts); tests set fewer. */
  readonly undoBlocks?: number;
  /** Blocks between two copies of the accounts (stateSnapshots.ts), 0: none; tests set fewer. */
  readonly snapshotBlocks?: number;
}

export { WAL_CHECKPOINT_PAGES };

export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): ChainStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NOTE: commits that connect or disconnect blocks, and the mempool journal's, run under FULL
  // (durably(), below): a block reported as connected, or a transfer acknowledged, must survive
  // a power cut, not only a crash. Everything else (the peer
  // book, cached views, blocks not yet connected) commits under NORMAL, still atomic in WAL
  // mode, and reaches the disk with the next FULL commit, which syncs the WAL file whole.
  // PERF: each FULL commit is an fsync, 5 ms here and far more on a busy disk: a fresh node's
  // register + resolve spent 290 ms of its 660 in the peer book's writes (node --cpu-prof).
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  db.defaultSafeIntegers(true);
  createSchema(db, options.onConversion);
  const undoBlocks = options.undoBlocks ?? UNDO_BLOCKS;
  pruneUndoAtOpen(db, undoBlocks);

  const q = {
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    insertBlock: db.prepare(
      'INSERT OR IGNORE INTO blocks (hash, height, header, body, chain_work, seen_order, invalid) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    markInvalid: db.prepare('UPDATE blocks SET invalid = 1 WHERE hash = ?'),
    records: db.prepare<
      [],
      { hash: Buffer; header: Buffer; chain_work: string; seen_order: bigint; invalid: bigint }
    >('SELECT hash, header, chain_work, seen_order, invalid FROM blocks ORDER BY height'),
    body: db.prepare<[Uint8Array], { body: Buffer }>('SELECT body FROM blocks WHERE hash = ?'),
    view: db.prepare<[Uint8Array], { tx_count: bigint; tutorial: Buffer }>(
      'SELECT tx_count, tutorial FROM block_views WHERE hash = ?',
    ),
    putView: db.prepare(
      'INSERT OR IGNORE INTO block_views (hash, tx_count, tutorial) VALUES (?, ?, ?)',
    ),
    setMain: db.prepare('INSERT OR REPLACE INTO main_chain (height, hash) VALUES (?, ?)'),
    deleteMain: db.prepare('DELETE FROM main_chain WHERE height = ?'),
    accountKeys: db.prepare<[], Buffer>('SELECT key FROM accounts').pluck(),
    putUndo: db.prepare('INSERT OR REPLACE INTO undo (hash, diff) VALUES (?, ?)'),
    getUndo: db.prepare<[Uint8Array], { diff: Buffer | string }>(
      'SELECT diff FROM undo WHERE hash = ?',
    ),
    deleteUndo: db.prepare('DELETE FROM undo WHERE hash = ?'),
    // The undo of the main-chain block that leaves the window (undoWindow.ts).
    pruneUndo: db.prepare(
      'DELETE FROM undo WHERE hash = (SELECT hash FROM main_chain WHERE height = ?)',
    ),
    putJournal: db.prepare('INSERT OR REPLACE INTO mempool (id, tx, added_ms) VALUES (?, ?, ?)'),
    deleteJournal: db.prepare('DELETE FROM mempool WHERE id = ?'),
    journal: db.prepare<[], { id: Buffer; tx: Buffer; added_ms: bigint }>(
      'SELECT id, tx, added_ms FROM mempool ORDER BY rowid',
    ),
    isMain: db.prepare<[Uint8Array], { height: bigint }>(
      'SELECT height FROM main_chain WHERE hash = ?',
    ),
    deleteBlock: db.prepare('DELETE FROM blocks WHERE hash = ?'),
    deleteView: db.prepare('DELETE FROM block_views WHERE hash = ?'),
  };

  const snapshots = snapshotRows(db, options.snapshotBlocks ?? SNAPSHOT_BLOCKS);
  const peers = peerRows(db);
  const writeIndexes = indexWriter(db);
  const gens = indexGens(db, options.genTxs);
  const index = indexReads(db);
  const mainReads = readStatements(db);
  /** Readers' statements: mainReads, or the read-only connection's during a switch. */
  let reads = mainReads;
  /**
   * That connection, open during a switch only. PERF: opening it with its statements costs
   * 0.26-0.32 ms (median of 30, load 16), against the page cache it keeps open (up to 16 MB).
   */
  let switchReads: ReturnType<typeof snapshotReads>;
  const getMeta = (key: string) => q.getMeta.get(key)?.value;
  const tipHash = () => {
    const hex = getMeta('tip');
    return hex === undefined ? undefined : fromHex(hex);
  };

  /**
   * The keys the accounts table may hold (accountFilter.ts): built by a scan at the first account
   * read, kept up by every account write, built again bigger once it holds more than it was
   * sized for. NOTE: the scan may see a tentative connect's rows: a key too many only costs a query.
   */
  let filter: AccountFilter | undefined;
  function accountFilter(): AccountFilter {
    if (filter && !filter.full) return filter;
    const rows = Number(mainReads.countAccounts.get()!.n);
    const built = new AccountFilter(Math.max(65_536, 2 * rows, 2 * (filter?.capacity ?? 0)));
    for (const key of q.accountKeys.iterate()) built.add(key);
    filter = built;
    return built;
  }

  const writeAccounts = accountWriter(db);
  const writeDiff = (diff: ConnectBlock['diff']) => writeAccounts(diff, (k) => filter?.add(k));

  function* eachRecord(): Generator<BlockRecord> {
    for (const row of q.records.iterate()) {
      const header = decodeHeader(plainBytes(row.header));
      if (!header.ok) throw new Error(`stored header ${row.hash.toString('hex')} is corrupt`);
      yield {
        hash: new Uint8Array(row.hash),
        header: header.value,
        chainWork: BigInt(row.chain_work),
        seenOrder: Number(row.seen_order),
        invalid: row.invalid !== 0n,
      };
    }
  }

  function loadBlock(hash: Uint8Array): Block | undefined {
    const row = q.body.get(hash);
    if (!row) return undefined;
    const decoded = decodeBlock(plainBytes(row.body));
    if (!decoded.ok) throw new Error(`stored block ${toHex(hash)} is corrupt: ${decoded.detail}`);
    return decoded.value;
  }

  const commits = createCommits(db, () => {
    // One commit under FULL syncs the WAL file, with every commit written before it.
    const tip = getMeta('tip');
    if (tip !== undefined) commits.durably(() => q.setMeta.run('tip', tip));
  });
  const { blockWrite, otherWrite, durably, settle } = commits;

  const saveViews = db.transaction((views: readonly BlockView[]) => {
    for (const v of views) q.putView.run(v.hash, v.txCount, v.tutorial);
  });

  /** A connect's statements: atomic only in the caller's transaction (connect) or savepoint. */
  function connectRows(c: ConnectBlock): void {
    const height = c.block.header.height;
    assertExtendsTip(tipHash(), c);
    writeDiff(c.diff);
    q.putUndo.run(c.hash, encodeUndo(c.undo));
    // PERF: undo kept for the last undoBlocks blocks only, pruned with the connect (figures in
    // undoWindow.ts); one row by its block's hash.
    if (height >= undoBlocks) q.pruneUndo.run(height - undoBlocks);
    q.setMain.run(height, c.hash);
    writeIndexes(c.block, c.txIds, height, gens.connect(height, c.block.txs.length));
    snapshots.taken(height, c.hash);
    q.setMeta.run('tip', toHex(c.hash));
  }
  const connect = db.transaction(connectRows);

  /** The tip block off the main chain, its undo and index rows deleted; the state left as it is. */
  function takeOffTip(hash: Uint8Array): { hash: Uint8Array; block: Block } {
    const block = loadBlock(hash)!;
    const height = block.header.height;
    q.deleteUndo.run(hash);
    q.deleteMain.run(height);
    snapshots.takenOff(height);
    index.deleteRows(block, height, gens.disconnect(height, block.txs.length));
    q.setMeta.run('tip', toHex(block.header.prevHash));
    return { hash, block };
  }

  /** StoreSwitch.disconnectTip's writes: a savepoint inside the switch's transaction. */
  const disconnect = db.transaction(() => {
    const hash = tipHash();
    if (!hash) throw new Error('no tip to disconnect');
    const undo = q.getUndo.get(hash);
    if (!undo) throw new Error(`no undo data for tip ${toHex(hash)}`);
    writeDiff(decodeUndo(undo.diff));
    return takeOffTip(hash);
  });

  /**
   * StoreSwitch.rewind's writes, a step a block (undoWindow.ts): the blocks above `height` taken
   * off, the state rebuilt. NOTE: the account filter is built again once the switch ends
   * (beginSwitch's `ended`): the copy restored holds keys it may not.
   */
  function* rewindSteps(height: number, replay: ReplayBlock): Generator<void, Uint8Array[]> {
    const taken: Uint8Array[] = [];
    for (let hash = tipHash(); hash; hash = tipHash()) {
      const row = q.isMain.get(hash);
      if (!row || Number(row.height) <= height) break;
      taken.push(takeOffTip(hash).hash);
      yield;
    }
    const restore = snapshots.restore;
    yield* replaySteps(db, { height, restore, replay, undoBlocks, loadBlock, writeDiff });
    return taken;
  }

  /** ChainStore.beginSwitch (sqliteSwitch.ts): readers go to the read-only connection. */
  function beginSwitch() {
    switchReads = snapshotReads(db);
    const isolated = switchReads !== undefined;
    const sw = sqliteSwitch(
      {
        commits,
        reads: mainReads,
        disconnect: () => disconnect().hash,
        rewind: rewindSteps,
        connect: connectRows,
        ended(restored) {
          reads = mainReads;
          switchReads?.close();
          switchReads = undefined;
          if (restored) filter = undefined;
        },
      },
      isolated,
    );
    if (switchReads) reads = switchReads;
    return sw;
  }

  const journalTxs = db.transaction(
    (added: readonly JournaledTx[], removed: readonly Uint8Array[]) => {
      for (const tx of added) q.putJournal.run(tx.id, tx.bytes, tx.addedMs);
      for (const id of removed) q.deleteJournal.run(id);
    },
  );

  const deleteBlocks = db.transaction((hashes: readonly Uint8Array[]) => {
    for (const hash of hashes) {
      if (q.isMain.get(hash)) throw new Error(`block ${toHex(hash)} is on the main chain`);
      q.deleteBlock.run(hash);
      q.deleteView.run(hash);
      // NOTE: a side block has no undo, txs or history rows: only connected blocks do.
    }
  });

  return {
    saveBlock(record, block, bytes) {
      const height = record.header.height;
      blockWrite(
        () =>
          q.insertBlock.run(
            record.hash,
            height,
            encodeHeader(record.header),
            bytes ?? encodeBlock(block),
            `${record.chainWork}`,
            record.seenOrder,
            record.invalid ? 1 : 0,
          ),
        false,
      );
    },
    markInvalid: (hash) => void blockWrite(() => q.markInvalid.run(hash), false),
    loadRecords: () => [...eachRecord()],
    eachRecord,
    getBlock: loadBlock,
    getBlockBytes(hash) {
      const row = q.body.get(hash);
      return row && plainBytes(row.body);
    },
    getBlockView(hash) {
      const row = q.view.get(hash);
      return row && { hash, txCount: Number(row.tx_count), tutorial: plainBytes(row.tutorial) };
    },
    saveBlockViews: (views) => {
      if (views.length > 0) otherWrite(() => saveViews(views));
    },
    getTipHash: () => {
      settle();
      const hex = reads.getMeta.get('tip')?.value;
      return hex === undefined ? undefined : fromHex(hex);
    },
    getMainHash(height) {
      settle();
      const row = reads.mainHash.get(height);
      return row && new Uint8Array(row.hash);
    },
    connectBlock: (c) => blockWrite(() => connect(c), true),
    connectTentatively: (c) => commits.tentative(() => connectRows(c)),
    hasUndo: (hash) => {
      settle();
      return reads.hasUndo.get(hash) !== undefined;
    },
    beginSwitch,
    switchEnded: commits.switchEnded,
    deferDurability: commits.deferDurability,
    holdBlocks: commits.holdBlocks,
    getAccount(key): Account | undefined {
      const k = fromHex(key);
      // Not even a tentative connect wrote it: nothing to settle, no row to read. NOTE: during a
      // switch the filter is not built (a scan of the switch's rows): a key it lacks is read.
      const known = reads === mainReads ? accountFilter() : filter?.full ? undefined : filter;
      if (known && !known.mayHold(k)) return undefined;
      settle();
      return reads.account(k);
    },
    txIdsBetween(low, high, limit) {
      settle();
      return reads.index.txIdsBetween(low, high, limit);
    },
    getTxLocation(txId) {
      settle();
      return reads.index.getTxLocation(txId);
    },
    getHistory(key, limit, beforeHeight = Number.MAX_SAFE_INTEGER) {
      settle();
      return reads.index.getHistory(key, limit, beforeHeight);
    },
    countAccounts: () => {
      settle();
      return Number(reads.countAccounts.get()!.n);
    },
    loadPeers: peers.load,
    savePeer: (p) => void otherWrite(() => peers.save(p)),
    deletePeer: (url) => void otherWrite(() => peers.delete(url)),
    journalTxs: (added, removed) => otherWrite(() => durably(() => journalTxs(added, removed))),
    loadJournal: () =>
      q.journal.all().map((row) => ({
        id: plainBytes(row.id),
        bytes: plainBytes(row.tx),
        addedMs: Number(row.added_ms),
      })),
    deleteBlocks: (hashes) => blockWrite(() => deleteBlocks(hashes), false),
    getMeta: (key) => {
      settle();
      return reads.getMeta.get(key)?.value;
    },
    setMeta: (key, value) => void otherWrite(() => q.setMeta.run(key, value)),
    close: () => {
      // A switch under way is rolled back (reopened, the chain makes it again); a node closing
      // keeps what it connected: the blocks held are committed, not rolled back.
      if (db.open) commits.endSwitch(false);
      if (db.open) commits.commitHeld();
      db.close();
      switchReads?.close();
    },
  };
}

/**
 * The same bytes as a plain Uint8Array. NOTE: decoders slice their input, and Buffer#slice makes
 * Buffers sharing the row's memory; blocks read back must be the plain arrays the memory store
 * and the rest of the node hold (equal under toEqual, JSON, structuredClone).
 */
function plainBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** A connect that does not extend the tip would corrupt the main chain index: refuse it. */
function assertExtendsTip(tip: Uint8Array | undefined, c: ConnectBlock): void {
  const { height, prevHash } = c.block.header;
  const extendsTip = tip === undefined ? height === 0 : toHex(prevHash) === toHex(tip);
  if (!extendsTip) throw new Error(`block ${toHex(c.hash)} at ${height} does not extend the tip`);
}
