/**
 * The SQLite store's previous index layout (txs.block_hash, history.tx_id and the history_height
 * index), which src/storage/sqliteSchema.ts converts at open: for tests (and bench/connect.ts's
 * memory part) that need a data directory as the previous version left it.
 */
import Database from 'better-sqlite3';

/** Rewrites the two tables of a slim store as the previous version made them. */
export function toPreviousLayout(file: string): void {
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
export function layout(file: string): { txs: string[]; history: string[]; indexes: string[] } {
  const db = new Database(file, { readonly: true });
  const names = (sql: string) => (db.prepare(sql).all() as { name: string }[]).map((r) => r.name);
  const found = {
    txs: names('PRAGMA table_info(txs)'),
    history: names('PRAGMA table_info(history)'),
    indexes: names("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'history'"),
  };
  db.close();
  return found;
}

export const PREVIOUS_LAYOUT = {
  txs: ['id', 'block_hash', 'height', 'idx'],
  history: ['key', 'height', 'idx', 'tx_id'],
  indexes: ['history_height'],
};
