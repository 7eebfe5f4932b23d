/**
 * The SQLite store: one file per network, WAL mode, one SQL transaction per connected or
 * disconnected block (or, for a sync, per batch of them: holdBlocks), so a node killed at any
 * moment reopens on a consistent chain.
 *
 * Schema (integers are SQLite INTEGER; hashes and keys are raw 32-byte BLOBs):
 *
 *   meta(key TEXT PK, value TEXT)              'tip' = hex hash of the main chain's tip, …
 *   blocks(hash PK, height, header, body,      every stored block, main chain or side branch;
 *          chain_work TEXT, seen_order,        chain_work in decimal, body the canonical bytes
 *          invalid)
 *   main_chain(height PK, hash)                the main chain by height
 *   accounts(key PK, balance, nonce, locks)    the state at the tip; locks as JSON text
 *   undo(hash PK, diff TEXT)                   accounts before each main-chain block (JSON)
 *   txs(id PK, block_hash, height, idx)        where each main-chain transaction is
 *   peers(url PK, added_ms, last_seen_ms,      the peer book, with scores and bans; named = 1
 *         score, banned_until_ms, named,       for a peer the operator named; columns added to
 *         score_ms, ban_reason)                an older file at open (addPeerColumns)
 *   history(key, height, idx, tx_id)           which transactions touch each account (and an
 *                                              index by height, for disconnecting a block)
 *   mempool(id PK, tx, added_ms)               the mempool journal: every transfer the node
 *                                              acknowledged and still holds (canonical bytes)
 *   block_views(hash PK, tx_count, tutorial)   a cache of each block's JSON view, built on first
 *                                              read (src/api/blockViews.ts); rebuilt if lost
 *
 * Balances fit a signed 64-bit INTEGER because MAX_MONEY = 2^63 - 1 (src/core/money.ts).
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
  hashTx,
  toHex,
} from '../core/index.js';
import { decodeDiff, decodeLocks, encodeDiff, encodeLocks } from './accountCodec.js';
import { historyKeys } from './historyKeys.js';
import type {
  BlockView,
  ChainStore,
  ConnectBlock,
  HistoryEntry,
  JournaledTx,
  TxLocation,
} from './types.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (
  hash BLOB PRIMARY KEY, height INTEGER NOT NULL, header BLOB NOT NULL, body BLOB NOT NULL,
  chain_work TEXT NOT NULL, seen_order INTEGER NOT NULL, invalid INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS main_chain (height INTEGER PRIMARY KEY, hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
  key BLOB PRIMARY KEY, balance INTEGER NOT NULL, nonce INTEGER NOT NULL, locks TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS undo (hash BLOB PRIMARY KEY, diff TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS txs (
  id BLOB PRIMARY KEY, block_hash BLOB NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history (
  key BLOB NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL, tx_id BLOB NOT NULL,
  PRIMARY KEY (key, height, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS history_height ON history (height);
CREATE TABLE IF NOT EXISTS mempool (
  id BLOB PRIMARY KEY, tx BLOB NOT NULL, added_ms INTEGER NOT NULL
);
-- NOTE: a rowid table, not WITHOUT ROWID: its rows are large (a full block's view is ~3 MB).
CREATE TABLE IF NOT EXISTS block_views (
  hash BLOB PRIMARY KEY, tx_count INTEGER NOT NULL, tutorial BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS peers (
  url TEXT PRIMARY KEY, added_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,
  score INTEGER NOT NULL, banned_until_ms INTEGER NOT NULL,
  named INTEGER NOT NULL DEFAULT 0, score_ms INTEGER NOT NULL DEFAULT 0,
  ban_reason TEXT NOT NULL DEFAULT ''
);
`;

export function openSqliteStore(path: string): ChainStore {
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
  db.defaultSafeIntegers(true);
  db.exec(SCHEMA);
  addPeerColumns(db);

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
    mainHash: db.prepare<[number], { hash: Buffer }>(
      'SELECT hash FROM main_chain WHERE height = ?',
    ),
    setMain: db.prepare('INSERT OR REPLACE INTO main_chain (height, hash) VALUES (?, ?)'),
    deleteMain: db.prepare('DELETE FROM main_chain WHERE height = ?'),
    account: db.prepare<[Uint8Array], { balance: bigint; nonce: bigint; locks: string }>(
      'SELECT balance, nonce, locks FROM accounts WHERE key = ?',
    ),
    putAccount: db.prepare(
      'INSERT OR REPLACE INTO accounts (key, balance, nonce, locks) VALUES (?, ?, ?, ?)',
    ),
    deleteAccount: db.prepare('DELETE FROM accounts WHERE key = ?'),
    countAccounts: db.prepare<[], { n: bigint }>('SELECT count(*) AS n FROM accounts'),
    putUndo: db.prepare('INSERT OR REPLACE INTO undo (hash, diff) VALUES (?, ?)'),
    getUndo: db.prepare<[Uint8Array], { diff: string }>('SELECT diff FROM undo WHERE hash = ?'),
    deleteUndo: db.prepare('DELETE FROM undo WHERE hash = ?'),
    putTx: db.prepare(
      'INSERT OR REPLACE INTO txs (id, block_hash, height, idx) VALUES (?, ?, ?, ?)',
    ),
    deleteTx: db.prepare('DELETE FROM txs WHERE id = ?'),
    getTx: db.prepare<[Uint8Array], { block_hash: Buffer; height: bigint; idx: bigint }>(
      'SELECT block_hash, height, idx FROM txs WHERE id = ?',
    ),
    // PERF: a range of the primary key: a prefix search reads only the ids that match.
    txIdsBetween: db.prepare<[Uint8Array, Uint8Array, number], { id: Buffer }>(
      'SELECT id FROM txs WHERE id >= ? AND id <= ? ORDER BY id LIMIT ?',
    ),
    putHistory: db.prepare(
      'INSERT OR REPLACE INTO history (key, height, idx, tx_id) VALUES (?, ?, ?, ?)',
    ),
    deleteHistory: db.prepare('DELETE FROM history WHERE height = ?'),
    history: db.prepare<
      [Uint8Array, number, number],
      { tx_id: Buffer; height: bigint; idx: bigint }
    >(
      'SELECT tx_id, height, idx FROM history WHERE key = ? AND height < ? ORDER BY height DESC, idx DESC LIMIT ?',
    ),
    peers: db.prepare<
      [],
      {
        url: string;
        added_ms: bigint;
        last_seen_ms: bigint;
        score: number | bigint;
        banned_until_ms: bigint;
        named: bigint;
        score_ms: bigint;
        ban_reason: string;
      }
    >(
      'SELECT url, added_ms, last_seen_ms, score, banned_until_ms, named, score_ms, ban_reason FROM peers',
    ),
    putPeer: db.prepare(
      'INSERT OR REPLACE INTO peers (url, added_ms, last_seen_ms, score, banned_until_ms, named, score_ms, ban_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    deletePeer: db.prepare('DELETE FROM peers WHERE url = ?'),
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

  const getMeta = (key: string) => q.getMeta.get(key)?.value;
  const tipHash = () => {
    const hex = getMeta('tip');
    return hex === undefined ? undefined : fromHex(hex);
  };

  function writeDiff(diff: ConnectBlock['diff']): void {
    for (const [key, account] of diff) {
      const k = fromHex(key);
      if (account === null) q.deleteAccount.run(k);
      else q.putAccount.run(k, account.balance, account.nonce, encodeLocks(account.locks));
    }
  }

  function loadBlock(hash: Uint8Array): Block | undefined {
    const row = q.body.get(hash);
    if (!row) return undefined;
    const decoded = decodeBlock(plainBytes(row.body));
    if (!decoded.ok) throw new Error(`stored block ${toHex(hash)} is corrupt: ${decoded.detail}`);
    return decoded.value;
  }

  /** Works under way in deferDurability: while any is, block commits are not synced one by one. */
  let deferring = 0;
  /** holdBlocks(true): block writes join one open SQL transaction, committed by commitHeld. */
  let holding = false;
  /** That transaction is open (BEGIN run, no COMMIT yet). */
  let held = false;
  const begin = db.prepare('BEGIN');
  const commitStatement = db.prepare('COMMIT');

  /**
   * Commits the block writes held so far, if any: under FULL when no deferDurability is under
   * way (the commit is the one that makes them durable), else under NORMAL as each would have.
   */
  function commitHeld(): void {
    if (!held) return;
    held = false;
    commitStatement.run();
    // NOTE: SQLite will not change the safety level inside a transaction: committed under
    // NORMAL, then synced to disk by one FULL commit after it.
    if (deferring === 0) syncToDisk();
  }

  /** One commit under FULL syncs the WAL file, with every commit written before it. */
  function syncToDisk(): void {
    const tip = getMeta('tip');
    if (tip !== undefined) durably(() => q.setMeta.run('tip', tip));
  }

  /**
   * A write of the chain's blocks (saving, connecting, disconnecting, marking, deleting): inside
   * the held transaction while holding, else committed on its own as before. Each stays atomic
   * inside the held one too: its db.transaction runs as a SAVEPOINT, rolled back alone on a throw.
   */
  function blockWrite<T>(write: () => T, connects: boolean): T {
    if (!holding) return connects ? durably(write, true) : write();
    if (!held) {
      begin.run();
      held = true;
    }
    return write();
  }

  /** Any other write (peers, journal, views, meta) first commits the blocks held. */
  function otherWrite<T>(write: () => T): T {
    commitHeld();
    return write();
  }

  /**
   * Runs a commit that must survive a power cut under FULL; a block's (`deferrable`) waits for
   * the end of a deferDurability under way instead.
   */
  function durably<T>(commit: () => T, deferrable = false): T {
    if (deferrable && deferring > 0) return commit();
    db.pragma('synchronous = FULL');
    try {
      return commit();
    } finally {
      db.pragma('synchronous = NORMAL');
    }
  }

  async function deferDurability<T>(work: () => Promise<T>): Promise<T> {
    // PERF: a FULL commit per block was 100 ms of a 20-block adoption (5 ms each, bench/adopt.ts).
    // Under NORMAL each commit is still atomic (SQLite: "the database is never corrupted");
    // only the blocks since the start may be lost to a power cut, and the peer still has them.
    deferring++;
    try {
      return await work();
    } finally {
      if (--deferring === 0) {
        // PERF: the sync to disk waits for the end of this turn of the event loop, so that the new
        // tip's announcement (gossip.ts, sent then) leaves first: a FULL commit is 2.8 ms here
        // (an fsync, bench-measured with better-sqlite3 under load 10) and more on a busy disk,
        // and every hop of a block paid it before relaying. Safe: the block is checked and
        // committed (atomic) already; a power cut now loses it here, never at the peers.
        await new Promise((resolve) => setImmediate(resolve));
        // NOTE: a store closed meanwhile (the node stopping) synced everything as it closed; a
        // work started meanwhile syncs at its own end.
        if (deferring === 0 && db.open) {
          if (held) commitHeld();
          else syncToDisk();
        }
      }
    }
  }

  const saveViews = db.transaction((views: readonly BlockView[]) => {
    for (const v of views) q.putView.run(v.hash, v.txCount, v.tutorial);
  });

  const connect = db.transaction((c: ConnectBlock) => {
    const height = c.block.header.height;
    assertExtendsTip(tipHash(), c);
    writeDiff(c.diff);
    q.putUndo.run(c.hash, encodeDiff(c.undo));
    q.setMain.run(height, c.hash);
    c.block.txs.forEach((tx, index) => {
      const id = c.txIds[index]!;
      q.putTx.run(id, c.hash, height, index);
      for (const key of historyKeys(tx)) q.putHistory.run(key, height, index, id);
    });
    q.setMeta.run('tip', toHex(c.hash));
  });

  const disconnect = db.transaction(() => {
    const hash = tipHash();
    if (!hash) throw new Error('no tip to disconnect');
    const block = loadBlock(hash)!;
    const undo = q.getUndo.get(hash);
    if (!undo) throw new Error(`no undo data for tip ${toHex(hash)}`);
    writeDiff(decodeDiff(undo.diff));
    q.deleteUndo.run(hash);
    q.deleteMain.run(block.header.height);
    q.deleteHistory.run(block.header.height);
    for (const tx of block.txs) q.deleteTx.run(hashTx(tx));
    q.setMeta.run('tip', toHex(block.header.prevHash));
    return { hash, block };
  });

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
    loadRecords() {
      return q.records.all().map((row) => {
        const header = decodeHeader(plainBytes(row.header));
        if (!header.ok) throw new Error(`stored header ${row.hash.toString('hex')} is corrupt`);
        return {
          hash: new Uint8Array(row.hash),
          header: header.value,
          chainWork: BigInt(row.chain_work),
          seenOrder: Number(row.seen_order),
          invalid: row.invalid !== 0n,
        };
      });
    },
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
    getTipHash: tipHash,
    getMainHash(height) {
      const row = q.mainHash.get(height);
      return row && new Uint8Array(row.hash);
    },
    connectBlock: (c) => blockWrite(() => connect(c), true),
    disconnectTip: () => blockWrite(() => disconnect(), true),
    deferDurability,
    holdBlocks(hold) {
      holding = hold;
      if (!hold) commitHeld();
    },
    getAccount(key): Account | undefined {
      const row = q.account.get(fromHex(key));
      return row && { balance: row.balance, nonce: row.nonce, locks: decodeLocks(row.locks) };
    },
    txIdsBetween(low, high, limit) {
      return q.txIdsBetween.all(low, high, limit).map((row) => new Uint8Array(row.id));
    },
    getTxLocation(txId): TxLocation | undefined {
      const row = q.getTx.get(txId);
      return (
        row && {
          blockHash: new Uint8Array(row.block_hash),
          height: Number(row.height),
          index: Number(row.idx),
        }
      );
    },
    getHistory(key, limit, beforeHeight = Number.MAX_SAFE_INTEGER): HistoryEntry[] {
      return q.history.all(fromHex(key), beforeHeight, limit).map((row) => ({
        txId: new Uint8Array(row.tx_id),
        height: Number(row.height),
        index: Number(row.idx),
      }));
    },
    countAccounts: () => Number(q.countAccounts.get()!.n),
    loadPeers: () =>
      q.peers.all().map((row) => ({
        url: row.url,
        addedMs: Number(row.added_ms),
        lastSeenMs: Number(row.last_seen_ms),
        score: Number(row.score),
        bannedUntilMs: Number(row.banned_until_ms),
        named: row.named === 1n,
        scoreMs: Number(row.score_ms),
        banReason: row.ban_reason,
      })),
    savePeer: (p) =>
      void otherWrite(() =>
        q.putPeer.run(
          p.url,
          p.addedMs,
          p.lastSeenMs,
          // A decayed score is fractional; whole points are enough to keep.
          Math.round(p.score),
          p.bannedUntilMs,
          p.named ? 1 : 0,
          p.scoreMs,
          p.banReason,
        ),
      ),
    deletePeer: (url) => void otherWrite(() => q.deletePeer.run(url)),
    journalTxs: (added, removed) => otherWrite(() => durably(() => journalTxs(added, removed))),
    loadJournal: () =>
      q.journal.all().map((row) => ({
        id: plainBytes(row.id),
        bytes: plainBytes(row.tx),
        addedMs: Number(row.added_ms),
      })),
    deleteBlocks: (hashes) => blockWrite(() => deleteBlocks(hashes), false),
    getMeta,
    setMeta: (key, value) => void otherWrite(() => q.setMeta.run(key, value)),
    close: () => {
      // A node closing keeps what it connected: the blocks held are committed, not rolled back.
      if (db.open) commitHeld();
      db.close();
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

/** A file made before peers were named and scores decayed gets those columns, with defaults. */
function addPeerColumns(db: Database.Database): void {
  const have = new Set(
    (db.prepare('PRAGMA table_info(peers)').all() as { name: string }[]).map((c) => c.name),
  );
  const wanted: [string, string][] = [
    ['named', 'INTEGER NOT NULL DEFAULT 0'],
    ['score_ms', 'INTEGER NOT NULL DEFAULT 0'],
    ['ban_reason', "TEXT NOT NULL DEFAULT ''"],
  ];
  for (const [name, type] of wanted)
    if (!have.has(name)) db.exec(`ALTER TABLE peers ADD COLUMN ${name} ${type}`);
}
