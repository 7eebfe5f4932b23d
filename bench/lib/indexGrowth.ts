/**
 * What a full block's txs and history rows cost as the chain grows: blocks of 6,368 transfers
 * (from the same senders, to new keys, random ids) written by the store's own indexWriter into
 * generations (indexGens.ts) of a file made by createSchema (WAL, synchronous NORMAL, the default
 * cache and checkpoints, as the node opens it), one SQL transaction a block as a lone connect
 * commits. Per group of blocks: this thread's CPU a transfer, the bytes the process wrote (the
 * WAL, then the checkpoints into the file) and read (pages SQLite's cache missed) a block
 * (/proc/self/io); at the end, lookups by id of ids present and absent. `one-gen` writes every
 * row into generation 0: one tree as long as the chain, as the layout before generations did.
 *   npx tsx bench/lib/indexGrowth.ts [blocks=60] [group=10] [one-gen]
 */

import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { indexGens } from '../../src/storage/indexGens.js';
import { indexReads } from '../../src/storage/indexReads.js';
import { indexWriter } from '../../src/storage/indexRows.js';
import { cpuUs, indexBlock, openIndexDb, ZEROS } from './indexBlocks.js';

const TRANSFERS = 6_368;
const blocks = Number(process.argv[2] ?? 60);
const group = Number(process.argv[3] ?? 10);
const oneGen = process.argv[4] === 'one-gen';
const { db, dir } = openIndexDb('index-growth');
const write = indexWriter(db);
const gens = indexGens(db);
const setMain = db.prepare('INSERT INTO main_chain (height, hash) VALUES (?, ?)');
const senders = Array.from({ length: TRANSFERS }, () => new Uint8Array(randomBytes(32)));

/** Bytes this process read and wrote through system calls so far. */
function io(): { read: number; written: number } {
  const text = readFileSync('/proc/self/io', 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}: (\\d+)`).exec(text)?.[1] ?? 0);
  return { read: field('rchar'), written: field('wchar') };
}

const measured: { us: number; written: number; read: number }[] = [];
const kept: Uint8Array[] = [];
for (let height = 1; height <= blocks; height++) {
  const block = indexBlock(height, senders);
  const ids = block.txs.map(() => new Uint8Array(randomBytes(32)));
  kept.push(...ids.slice(0, 20));
  const io0 = io();
  const before = cpuUs();
  db.transaction(() => {
    // The lookups join main_chain, as the store's do.
    setMain.run(height, ZEROS);
    write(block, ids, height, oneGen ? 0 : gens.connect(height, ids.length));
  })();
  const us = (cpuUs() - before) / TRANSFERS;
  const io1 = io();
  measured.push({ us, written: io1.written - io0.written, read: io1.read - io0.read });
}
// A file with one generation: index_gens says so (the writes above went into gen 0).
if (oneGen) db.exec('INSERT OR IGNORE INTO index_gens (gen, from_height, txs) VALUES (0, 1, 0)');

const mean = (values: number[]) => values.reduce((n, v) => n + v, 0) / values.length;
const lines = [];
for (let from = 0; from < measured.length; from += group) {
  const part = measured.slice(from, from + group);
  lines.push(
    `  ${from + 1}-${from + part.length}: ${mean(part.map((m) => m.us)).toFixed(1)} µs a transfer, ` +
      `wrote ${(mean(part.map((m) => m.written)) / 1e6).toFixed(1)} MB, read ${(mean(part.map((m) => m.read)) / 1e6).toFixed(1)} MB a block`,
  );
}
const reads = indexReads(db);
let before = cpuUs();
const found = kept.filter((id) => reads.getTxLocation(id)).length;
const present = (cpuUs() - before) / kept.length;
before = cpuUs();
for (let i = 0; i < 2_000; i++) reads.getTxLocation(randomBytes(32));
const absent = (cpuUs() - before) / 2_000;
const count = Number(db.prepare('SELECT count(*) FROM index_gens').pluck().get());
console.log(
  `txs and history rows (${oneGen ? 'one generation' : `${count} generations`}), this thread's CPU, mean by ${group} blocks:\n${lines.join('\n')}\n` +
    `  lookup by id: ${present.toFixed(1)} µs present (${found}/${kept.length}), ${absent.toFixed(1)} µs absent; ` +
    `load ${loadavg()[0]!.toFixed(1)}`,
);
db.close();
rmSync(dir, { recursive: true, force: true });
