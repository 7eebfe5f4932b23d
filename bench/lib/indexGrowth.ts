/**
 * What a full block's txs and history rows cost as the chain grows: blocks of 6,368 transfers
 * (from the same senders, to new keys, random ids) written by the store's own indexWriter into a
 * file made by createSchema (WAL, synchronous NORMAL, the default cache and checkpoints, as the
 * node opens it), one SQL transaction a block as a lone connect commits, this thread's CPU a
 * transfer per block. No signatures, no accounts: the index rows alone.
 *   npx tsx bench/lib/indexGrowth.ts [blocks=60]
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Block, Tx } from '../../src/core/index.js';
import { indexWriter } from '../../src/storage/indexRows.js';
import { createSchema } from '../../src/storage/sqliteSchema.js';

const TRANSFERS = 6_368;
const blocks = Number(process.argv[2] ?? 60);
const dir = mkdtempSync(join(tmpdir(), 'index-growth-'));
const db = new Database(join(dir, 'chain.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.defaultSafeIntegers(true);
createSchema(db);
const write = indexWriter(db);
const zeros = new Uint8Array(32);
const senders = Array.from({ length: TRANSFERS }, () => new Uint8Array(randomBytes(32)));

function blockAt(height: number): Block {
  const txs: Tx[] = [{ type: 'coinbase', chainId: 1, height, to: zeros, amount: 1n }];
  for (const from of senders) {
    const to = new Uint8Array(randomBytes(32));
    txs.push({
      type: 'transfer',
      chainId: 1,
      from,
      to,
      amount: 1n,
      fee: 1n,
      nonce: 0n,
      signature: zeros,
    });
  }
  const header = {
    version: 1,
    height,
    prevHash: zeros,
    merkleRoot: zeros,
    timestampMs: 0,
    bits: 0,
    nonce: 0n,
  };
  return { header, txs };
}

const cpuUs = () => {
  const used = process.cpuUsage();
  return used.user + used.system;
};
const perTransfer: number[] = [];
for (let height = 1; height <= blocks; height++) {
  const block = blockAt(height);
  const ids = block.txs.map(() => new Uint8Array(randomBytes(32)));
  const before = cpuUs();
  db.transaction(() => write(block, ids, height))();
  perTransfer.push((cpuUs() - before) / TRANSFERS);
}
const tens = [];
for (let from = 0; from < perTransfer.length; from += 10) {
  const part = perTransfer.slice(from, from + 10);
  tens.push(
    `${from + 1}-${from + part.length}: ${(part.reduce((n, v) => n + v, 0) / part.length).toFixed(1)}`,
  );
}
console.log(
  `txs and history rows, this thread's CPU a transfer (µs), mean by 10 blocks: ${tens.join(', ')}; load ${loadavg()[0]!.toFixed(1)}`,
);
db.close();
rmSync(dir, { recursive: true, force: true });
