/**
 * A SQLite store that looks, to a connect, like one that has connected many full blocks already:
 * for each of them, its transactions' txs rows and their history rows (in generations, as
 * indexGens.ts makes them as blocks connect) and one new account per transfer (the recipients of
 * bench connect's blocks are new addresses), at random ids and keys. Written in key order by
 * SQLite itself, in seconds rather than the minutes connecting such blocks takes. For bench
 * connect's grown-chain line: the fresh chain's six blocks cannot show what a connect costs once
 * the random-key tables it writes are large.
 */
import Database from 'better-sqlite3';
import { indexGens } from '../../src/storage/indexGens.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';

/**
 * Makes the store at `path` (by `open`: this tree's, or another checkout's for
 * bench/lib/storeAlternate.ts) and fills it as `blocks` blocks of `transfers` transfers would;
 * a layout without generations (before index_gens) gets all its rows in its one tree.
 */
export function growStore(
  path: string,
  blocks: number,
  transfers: number,
  open: (path: string) => { close(): void } = openSqliteStore,
  /** false: the index rows only, no accounts (what the accounts table's size costs a connect). */
  accounts = true,
): void {
  open(path).close();
  const db = new Database(path);
  const withGens =
    db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'index_gens'").pluck().get() === 1;
  const gens = withGens ? indexGens(db) : { connect: () => 0 };
  const gen = (g: number) => (withGens ? `${g}, ` : '');
  const genColumn = withGens ? 'gen, ' : '';
  const range = (rows: number, select: string) =>
    `WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n + 1 < ${rows}) ${select}`;
  db.transaction(() => {
    // Each block's generation as a connect would pick it (the heights: 0, below every real one).
    const perGen = new Map<number, number>();
    for (let b = 0; b < blocks; b++) {
      const gen = gens.connect(0, transfers + 1);
      perGen.set(gen, (perGen.get(gen) ?? 0) + transfers + 1);
    }
    for (const [g, txs] of perGen) {
      db.exec(
        range(
          txs,
          `INSERT INTO txs (${genColumn}id, height, idx) SELECT ${gen(g)}randomblob(32) AS k, 0, n FROM i ORDER BY k`,
        ),
      );
      db.exec(
        range(
          2 * txs,
          `INSERT INTO history (${genColumn}key, height, idx) SELECT ${gen(g)}randomblob(32) AS k, 0, n FROM i ORDER BY k`,
        ),
      );
    }
    if (accounts)
      db.exec(
        range(
          blocks * transfers,
          `INSERT INTO accounts (key, balance, nonce, locks) SELECT randomblob(32), 1, 0, '[]' FROM i ORDER BY 1`,
        ),
      );
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
