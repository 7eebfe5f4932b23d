/**
 * How long a node's first start after the upgrade takes to convert its data directory from the
 * previous index layout (src/storage/sqliteSchema.ts): run by bench/lib/connectMemory.ts's
 * `convert` mode, on a copy of the 10,000-block store and on a store with the index rows of
 * full blocks (their rows written straight into the previous layout's tables: what the
 * conversion copies, without building and connecting the blocks).
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ConversionStep } from '../../src/storage/sqliteSchema.js';
import { openSqliteStore } from '../../src/storage/sqliteStore.js';
import { toPreviousLayout } from '../../test/support/previousLayout.js';

export interface ConversionTime {
  readonly txs: number;
  readonly history: number;
  /** The whole conversion (its one transaction), and openSqliteStore around it. */
  readonly convertMs: number;
  readonly openMs: number;
  readonly fileMb: number;
}

/** Converts `file` (a store of the previous layout) by opening it, timed. */
function convert(file: string): ConversionTime {
  const steps: ConversionStep[] = [];
  const started = performance.now();
  const store = openSqliteStore(file, { onConversion: (step) => steps.push(step) });
  const openMs = performance.now() - started;
  store.close();
  const rows = (name: 'txs' | 'history') =>
    steps.flatMap((s) => (s.step === name ? [s.rows] : []))[0] ?? 0;
  const done = steps.find((s) => s.step === 'done');
  return {
    txs: rows('txs'),
    history: rows('history'),
    convertMs: done && 'ms' in done ? done.ms : 0,
    openMs,
    fileMb: statSync(file).size / 1024 / 1024,
  };
}

/** A copy of the slim store at `file`, turned back into the previous layout, then converted. */
export function convertCopy(file: string): ConversionTime {
  const dir = mkdtempSync(join(file, '..', 'convert-'));
  try {
    const copy = join(dir, 'chain.sqlite');
    copyFileSync(file, copy);
    toPreviousLayout(copy);
    return convert(copy);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A store of the previous layout with the index rows of `blocks` blocks of `perBlock` transfers
 * each (one txs row a transaction, a history row for each sender and receiver), converted.
 */
export function convertFullBlocks(dir: string, blocks: number, perBlock: number): ConversionTime {
  const file = join(dir, 'full.sqlite');
  openSqliteStore(file).close();
  toPreviousLayout(file);
  const db = new Database(file);
  // NOTE: keys in ascending order (the conversion copies in key order whatever the order they
  // were written in; random keys make writing them here 3× slower).
  const rows = (count: number, insert: string) =>
    db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?) ${insert}`,
      )
      .run(count);
  const perHeight = perBlock + 1; // the coinbase and the transfers
  rows(
    blocks * perHeight,
    `INSERT INTO txs (id, block_hash, height, idx)
       SELECT unhex(printf('%064x', i)), zeroblob(32), 1 + i / ${perHeight}, i % ${perHeight} FROM n`,
  );
  // The coinbase's receiver, and each transfer's sender and receiver.
  rows(
    blocks * (2 * perBlock + 1),
    `INSERT INTO history (key, height, idx, tx_id)
       SELECT unhex(printf('%064x', i)), 1 + i / ${2 * perBlock + 1}, (i % ${2 * perBlock + 1} + 1) / 2,
         randomblob(32) FROM n`,
  );
  db.close();
  try {
    return convert(file);
  } finally {
    rmSync(file, { force: true });
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
  }
}
