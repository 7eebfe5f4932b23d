/**
 * The SQLite store's previous index layouts, which src/storage/sqliteSchema.ts converts at open:
 * the slim one (txs and history without generations, no index_gens) and the one before it
 * (txs.block_hash, history.tx_id and the history_height index). For tests (and
 * bench/connect.ts's memory part) that need a data directory as a previous version left it.
 */
import Database from 'better-sqlite3';

/** Rewrites the two tables of a store as the slim layout made them: no generations. */
export function toSlimLayout(file: string): void {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE txs_slim (
      id BLOB PRIMARY KEY, height INTEGER NOT NULL, idx INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO txs_slim SELECT id, height, idx FROM txs;
    DROP TABLE txs;
    ALTER TABLE txs_slim RENAME TO txs;
    CREATE TABLE history_slim (
      key BLOB NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL,
      PRIMARY KEY (key, height, idx)
    ) WITHOUT ROWID;
    INSERT INTO history_slim SELECT key, height, idx FROM history;
    DROP TABLE history;
    ALTER TABLE history_slim RENAME TO history;
    DROP TABLE index_gens;
  `);
  db.close();
}

/** Rewrites the two tables of a store as the version before the slim layout made them. */
export function toPreviousLayout(file: string): void {
  toSlimLayout(file);
  const db = new Database(file);
  db.exec(`
    CREATE TABLE txs_prev (
      id BLOB PRIMARY KEY, block_hash BLOB NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO txs_prev SELECT t.id, m.hash, t.height, t.idx FROM txs t JOIN main_chain m USING (height);
    DROP TABLE txs;
    ALTER TABLE txs_prev RENAME TO txs;
    CREATE TABLE history_prev (
      key BLOB NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL, tx_id BLOB NOT NULL,
      PRIMARY KEY (key, height, idx)
    ) WITHOUT ROWID;
    INSERT INTO history_prev
      SELECT h.key, h.height, h.idx, t.id FROM history h JOIN txs t USING (height, idx);
    DROP TABLE history;
    ALTER TABLE history_prev RENAME TO history;
    CREATE INDEX history_height ON history (height);
  `);
  db.close();
}

/** The columns of the two tables and history's indexes, read without converting anything. */
export function layout(file: string): {
  txs: string[];
  history: string[];
  indexes: string[];
  gens: boolean;
} {
  const db = new Database(file, { readonly: true });
  const names = (sql: string) => (db.prepare(sql).all() as { name: string }[]).map((r) => r.name);
  const found = {
    txs: names('PRAGMA table_info(txs)'),
    history: names('PRAGMA table_info(history)'),
    indexes: names("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'history'"),
    gens: names("SELECT name FROM sqlite_master WHERE name = 'index_gens'").length === 1,
  };
  db.close();
  return found;
}

export const PREVIOUS_LAYOUT = {
  txs: ['id', 'block_hash', 'height', 'idx'],
  history: ['key', 'height', 'idx', 'tx_id'],
  indexes: ['history_height'],
  gens: false,
};

export const SLIM_LAYOUT = {
  txs: ['id', 'height', 'idx'],
  history: ['key', 'height', 'idx'],
  indexes: [],
  gens: false,
};

/** The layout a store opens with now: rows in generations (src/storage/indexGens.ts). */
export const GEN_LAYOUT = {
  txs: ['gen', 'id', 'height', 'idx'],
  history: ['gen', 'key', 'height', 'idx'],
  indexes: [],
  gens: true,
};
