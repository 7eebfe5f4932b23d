/**
 * The SQLite store's tables (src/storage/sqliteStore.ts), and the changes an older file gets at open.
 *
 * Schema (integers are SQLite INTEGER; hashes and keys are raw 32-byte BLOBs):
 *
 *   meta(key TEXT PK, value TEXT)              'tip' = hex hash of the main chain's tip, …
 *   blocks(hash PK, height, header, body,      every stored block, main chain or side branch;
 *          chain_work TEXT, seen_order,        chain_work in decimal, body the canonical bytes
 *          invalid)
 *   main_chain(height PK, hash)                the main chain by height
 *   accounts(key PK, balance, nonce, locks)    the state at the tip; locks as JSON text
 *   undo(hash PK, diff TEXT)                   accounts before each of the last UNDO_BLOCKS
 *                                              main-chain blocks (undoWindow.ts): a BLOB in
 *                                              undoCodec.ts's layout, JSON text in older files
 *   txs(gen, id, height, idx) PK (gen, id)     where each main-chain transaction is (its block:
 *                                              main_chain's at that height); gen: indexGens.ts
 *   peers(url PK, added_ms, last_seen_ms,      the peer book, with scores and bans; named = 1
 *         score, banned_until_ms, named,       for a peer the operator named; columns added to
 *         score_ms, ban_reason)                an older file at open (addPeerColumns)
 *   history(gen, key, height, idx)             which main-chain transactions touch each account
 *                                              (older files had tx_id and an index by height,
 *                                              then no gen: converted at open, genIndexes)
 *   index_gens(gen PK, from_height, txs)       the generations of txs and history (indexGens.ts)
 *   mempool(id PK, tx, added_ms)               the mempool journal: every transfer the node
 *                                              acknowledged and still holds (canonical bytes)
 *   block_views(hash PK, tx_count, tutorial)   a cache of each block's JSON view, built on first
 *                                              read (src/api/blockViews.ts); rebuilt if lost
 *   snapshots(height PK, hash)                 copies of the accounts at checkpoints of the main
 *   snapshot_accounts(height, key, balance,    chain, for switches deeper than the undo window
 *     nonce, locks) PK (height, key)           (stateSnapshots.ts); an older file gets the empty
 *                                              tables at open
 *
 * Balances fit a signed 64-bit INTEGER because MAX_MONEY = 2^63 - 1 (src/core/money.ts).
 */
import type Database from 'better-sqlite3';

/*
 * PERF: the two tables a connect writes a row in per transaction (txs) and per account it touches
 * (history) hold nothing the main chain does not give: a row's block is main_chain's at its height,
 * its transaction's id is that transaction's. Without txs.block_hash, history.tx_id and the
 * history_height index (a disconnect deletes its block's rows by key), a full block's connect
 * writes 12,700 fewer index entries and rows a third the size: fewer pages to write at each
 * commit, where the random 32-byte keys make nearly every page of these tables dirty.
 * Measured (/tmp script, better-sqlite3, 30 blocks of 6,368 transfers, the same rows as
 * Chain.connect, CPU time, load 5–6): 386–394 ms → 254–275 ms a block.
 */
/*
 * PERF: both keys begin with the row's generation (indexGens.ts): a connect's rows go into the
 * newest generation's pages, not all over trees as long as the chain (figures there).
 */
const TXS = `CREATE TABLE IF NOT EXISTS txs (
  gen INTEGER NOT NULL, id BLOB NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL,
  PRIMARY KEY (gen, id)
) WITHOUT ROWID;`;
const HISTORY = `CREATE TABLE IF NOT EXISTS history (
  gen INTEGER NOT NULL, key BLOB NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL,
  PRIMARY KEY (gen, key, height, idx)
) WITHOUT ROWID;`;
const GENS = `CREATE TABLE IF NOT EXISTS index_gens (
  gen INTEGER PRIMARY KEY, from_height INTEGER NOT NULL, txs INTEGER NOT NULL
);`;

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
CREATE TABLE IF NOT EXISTS mempool (
  id BLOB PRIMARY KEY, tx BLOB NOT NULL, added_ms INTEGER NOT NULL
);
-- NOTE: a rowid table, not WITHOUT ROWID: its rows are large (a full block's view is ~3 MB).
CREATE TABLE IF NOT EXISTS block_views (
  hash BLOB PRIMARY KEY, tx_count INTEGER NOT NULL, tutorial BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshots (height INTEGER PRIMARY KEY, hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS snapshot_accounts (
  height INTEGER NOT NULL, key BLOB NOT NULL, balance INTEGER NOT NULL, nonce INTEGER NOT NULL,
  locks TEXT NOT NULL, PRIMARY KEY (height, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS peers (
  url TEXT PRIMARY KEY, added_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,
  score INTEGER NOT NULL, banned_until_ms INTEGER NOT NULL,
  named INTEGER NOT NULL DEFAULT 0, score_ms INTEGER NOT NULL DEFAULT 0,
  ban_reason TEXT NOT NULL DEFAULT ''
);
`;

/**
 * What converting an older file reports, step by step (the node logs it: on a long chain the
 * copy takes a while). `start` comes before the SQL transaction, the copies inside it, `done`
 * after its commit.
 */
export type ConversionStep =
  | { readonly step: 'start' }
  | { readonly step: 'txs' | 'history'; readonly rows: number; readonly ms: number }
  | { readonly step: 'done'; readonly ms: number };

/** Creates what is missing: the tables of a new file, the columns an older file lacks. */
export function createSchema(
  db: Database.Database,
  onConversion: (step: ConversionStep) => void = () => {},
): void {
  db.exec(SCHEMA);
  addPeerColumns(db);
  genIndexes(db, onConversion);
}

const columns = (db: Database.Database, table: string): Set<string> =>
  new Set(
    (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name),
  );

/**
 * Creates txs, history and index_gens in a new file. A file made before the generations (txs and
 * history without gen; older still, txs with block_hash, history with tx_id and the
 * history_height index) gets the new tables, with its rows copied over into generation 0 in key
 * order, in one transaction: a crash meanwhile leaves the old layout, converted again at the next
 * open (test/integration/node/slimConversionKill.test.ts kills a node in the middle of it).
 * Generation 0 then holds the whole chain so far; the next connect joins it while it holds
 * fewer than GEN_TXS (indexGens.ts) transactions, and opens generation 1 once it holds that many.
 */
function genIndexes(db: Database.Database, report: (step: ConversionStep) => void): void {
  const txsColumns = columns(db, 'txs');
  if (txsColumns.size === 0 || txsColumns.has('gen')) {
    db.exec(`${TXS}\n${HISTORY}\n${GENS}`);
    return;
  }
  const started = performance.now();
  const copy = (step: 'txs' | 'history', sql: string) => {
    const from = performance.now();
    const rows = db.prepare(sql).run().changes;
    report({ step, rows, ms: performance.now() - from });
  };
  report({ step: 'start' });
  db.transaction(() => {
    db.exec('DROP INDEX IF EXISTS history_height');
    db.exec('ALTER TABLE txs RENAME TO txs_old');
    db.exec('ALTER TABLE history RENAME TO history_old');
    // NOTE: no file of an older layout has one; made anew all the same, from the rows copied.
    db.exec('DROP TABLE IF EXISTS index_gens');
    db.exec(`${TXS}\n${HISTORY}\n${GENS}`);
    copy(
      'txs',
      'INSERT INTO txs (gen, id, height, idx) SELECT 0, id, height, idx FROM txs_old ORDER BY id',
    );
    db.exec('DROP TABLE txs_old');
    copy(
      'history',
      `INSERT INTO history (gen, key, height, idx)
       SELECT 0, key, height, idx FROM history_old ORDER BY key, height, idx`,
    );
    db.exec('DROP TABLE history_old');
    db.exec(`INSERT INTO index_gens (gen, from_height, txs)
             SELECT 0, min(height), count(*) FROM txs HAVING count(*) > 0`);
  })();
  report({ step: 'done', ms: performance.now() - started });
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
