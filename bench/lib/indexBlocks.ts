/**
 * The blocks the index benches (indexGrowth.ts, indexGenReads.ts) write rows for: a coinbase to
 * the zero key, then one transfer from each of `senders`, each to a new random key unless
 * `recipient` names one for the first; ids are the caller's (random), signatures zeros. And the
 * file they write into, made as the node makes it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Block, Tx } from '../../src/core/index.js';
import { createSchema } from '../../src/storage/sqliteSchema.js';

export const ZEROS = new Uint8Array(32);

export function indexBlock(
  height: number,
  senders: readonly Uint8Array[],
  recipient?: Uint8Array,
): Block {
  const txs: Tx[] = [{ type: 'coinbase', chainId: 1, height, to: ZEROS, amount: 1n }];
  senders.forEach((from, i) => {
    const to = i === 0 && recipient ? recipient : new Uint8Array(randomBytes(32));
    txs.push({
      type: 'transfer',
      chainId: 1,
      from,
      to,
      amount: 1n,
      fee: 1n,
      nonce: 0n,
      signature: ZEROS,
    });
  });
  const header = {
    version: 1,
    height,
    prevHash: ZEROS,
    merkleRoot: ZEROS,
    timestampMs: 0,
    bits: 0,
    nonce: 0n,
  };
  return { header, txs };
}

/** This thread's CPU so far, user and system, in µs. */
export const cpuUs = (): number => {
  const used = process.cpuUsage();
  return used.user + used.system;
};

/**
 * A new file in a temporary folder (`dir`, for the caller to remove), made by createSchema, as
 * the node opens it: WAL, synchronous NORMAL, the default cache and checkpoints.
 */
export function openIndexDb(name: string): { db: Database.Database; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const db = new Database(join(dir, 'chain.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.defaultSafeIntegers(true);
  createSchema(db);
  return { db, dir };
}
