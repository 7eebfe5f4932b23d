/**
 * What a full block's index rows (txs and history, as src/storage/indexRows.ts writes them: two
 * statements, keys from one blob each, in key order) cost with the store's 32-byte ids and account
 * keys, against 8-byte prefixes of them (the candidate of issue 13's connect aim: rows less than
 * half as long, so fewer pages dirtied at random keys; txs then needs height and idx in its key,
 * as prefixes may collide). Two databases in one process, fed the same random rows alternately,
 * the order swapped each block; the newest generation holding `rows` transactions already (a
 * generation holds up to 131,072, indexGens.ts). Prints this thread's CPU a transfer (schedstat)
 * for the statements and their commit (under NORMAL, then one FULL write, as the store commits).
 *   npx tsx bench/lib/indexKeyWidth.ts [rows=0] [blocks=8]
 * NOTE: a measurement for a layout not built: lookups by id or key would find candidates by the
 * prefix and keep those whose transaction, read from its block, has the full id or key; older
 * files would need converting (sqliteSchema.ts's genIndexes did that once).
 * Measured (8 blocks each, load 10-12): the newest generation empty 6.75 → 4.20 µs a transfer;
 * at 60,000 rows 10.1 → 5.7; at 120,000 (near its end, GEN_TXS 131,072; it grows by 51,000
 * rows over the run) 21.1 → 7.9.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { quantile } from './report.js';

const rows = Number(process.argv[2] ?? 0);
const blocks = Number(process.argv[3] ?? 8);
/** A full block's transfers (maxTransfersPerBlock of 1,000,000 bytes). */
const TRANSFERS = 6_368;
const GEN = 2;

/** This thread's time on a CPU so far, ns. */
const cpuNs = () =>
  Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
const range = (count: string | number, select: string) =>
  `WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n + 1 < ${count}) ${select}`;

function open(width: 32 | 8) {
  const dir = mkdtempSync(join(tmpdir(), `index-width-${width}-`));
  const db = new Database(join(dir, 'index.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 16384');
  db.pragma('temp_store = MEMORY');
  const txsKey = width === 32 ? 'gen, id' : 'gen, id, height, idx';
  db.exec(`CREATE TABLE txs (gen INTEGER NOT NULL, id BLOB NOT NULL, height INTEGER NOT NULL,
    idx INTEGER NOT NULL, PRIMARY KEY (${txsKey})) WITHOUT ROWID`);
  db.exec(`CREATE TABLE history (gen INTEGER NOT NULL, key BLOB NOT NULL, height INTEGER NOT NULL,
    idx INTEGER NOT NULL, PRIMARY KEY (gen, key, height, idx)) WITHOUT ROWID`);
  db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  if (rows > 0) {
    db.exec(
      range(
        rows,
        `INSERT INTO txs SELECT ${GEN}, randomblob(${width}) AS k, 0, n FROM i ORDER BY k`,
      ),
    );
    db.exec(
      range(
        2 * rows,
        `INSERT INTO history SELECT ${GEN}, randomblob(${width}) AS k, 0, n FROM i ORDER BY k`,
      ),
    );
  }
  const putTxs = db.prepare(
    range(
      '@count',
      `INSERT OR REPLACE INTO txs (gen, id, height, idx)
       SELECT ${GEN}, substr(@ids, n * ${width} + 1, ${width}) AS id, @height, n FROM i ORDER BY id`,
    ),
  );
  const putHistory = db.prepare(
    range(
      '@count',
      `INSERT OR REPLACE INTO history (gen, key, height, idx)
       SELECT ${GEN}, substr(@keys, n * ${2 * width} + 1, ${width}) AS key, @height, n + 1 AS idx FROM i
       UNION ALL SELECT ${GEN}, substr(@keys, n * ${2 * width} + ${width + 1}, ${width}), @height,
         n + 1 FROM i
       ORDER BY key, idx`,
    ),
  );
  const [begin, commit, tip] = [
    db.prepare('BEGIN'),
    db.prepare('COMMIT'),
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('tip', ?)"),
  ];
  /** `ids` and `keys` at 32 bytes each; cut to this width. */
  const write = (ids: Buffer, keys: Buffer, height: number): void => {
    const cut = (all: Buffer) =>
      width === 32
        ? all
        : Buffer.concat(
            Array.from({ length: all.length / 32 }, (_, i) => all.subarray(32 * i, 32 * i + 8)),
          );
    const [idsW, keysW] = [cut(ids), cut(keys)];
    const started = cpuNs();
    begin.run();
    putTxs.run({ ids: idsW, count: TRANSFERS + 1, height });
    putHistory.run({ keys: keysW, count: TRANSFERS, height });
    commit.run();
    db.pragma('synchronous = FULL');
    tip.run(String(height));
    db.pragma('synchronous = NORMAL');
    figures.get(width)!.push((cpuNs() - started) / 1e3 / TRANSFERS);
  };
  const close = (): void => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { width, write, close };
}

const figures = new Map<number, number[]>([
  [32, []],
  [8, []],
]);
const sides = [open(32), open(8)];
for (let b = 0; b < blocks; b++) {
  const ids = randomBytes(32 * (TRANSFERS + 1));
  const keys = randomBytes(64 * TRANSFERS);
  for (const side of b % 2 === 0 ? sides : [...sides].reverse()) side.write(ids, keys, 100 + b);
}
for (const side of sides) side.close();
const text = (width: number) => {
  const f = figures.get(width)!;
  return `${width}-byte keys ${quantile(f, 0.5).toFixed(2)} µs (${f.map((x) => x.toFixed(1)).join(' ')})`;
};
console.log(
  `load ${loadavg()[0]!.toFixed(1)}, the newest generation at ${rows} rows, ${blocks} full blocks, this thread's CPU a transfer, medians: ${text(32)}; ${text(8)}`,
);
