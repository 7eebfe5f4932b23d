/**
 * What reads by id and by account cost as generations (indexGens.ts) pile up: blocks of
 * `transfers` transfers (random ids, random recipients, the same senders) written by the
 * store's own indexWriter into generations of `genTxs` transactions (20 blocks each by default,
 * as a full chain's 131,072), then at each checkpoint of generations: this thread's CPU for a
 * lookup by id present in the newest and in the oldest generation, and absent, and for a page of
 * 50 of an address history (a key seen in the first block only; the coinbase's key, in every
 * block), and for the ids under a prefix of one byte, 10 at most. `one-gen` writes every row
 * into generation 0 (the layout before generations), the same rows, as the reference.
 *   npx tsx bench/lib/indexGenReads.ts [gens=500] [transfers=100] [one-gen]
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { toHex } from '../../src/core/index.js';
import { indexGens } from '../../src/storage/indexGens.js';
import { indexReads } from '../../src/storage/indexReads.js';
import { indexWriter } from '../../src/storage/indexRows.js';
import { cpuUs, indexBlock, openIndexDb, ZEROS } from './indexBlocks.js';

const maxGens = Number(process.argv[2] ?? 500);
const transfers = Number(process.argv[3] ?? 100);
const oneGen = process.argv[4] === 'one-gen';
const genTxs = 20 * (transfers + 1);
const { db, dir } = openIndexDb('index-gen-reads');
const write = indexWriter(db);
const gens = indexGens(db, genTxs);
const reads = indexReads(db);
const setMain = db.prepare('INSERT INTO main_chain (height, hash) VALUES (?, ?)');
const senders = Array.from({ length: transfers }, () => new Uint8Array(randomBytes(32)));
const rare = new Uint8Array(randomBytes(32));

const perCall = (n: number, fn: (i: number) => unknown) => {
  const before = cpuUs();
  for (let i = 0; i < n; i++) fn(i);
  return (cpuUs() - before) / n;
};

const checkpoints = [1, 10, 50, 100, 200, 300, 500, 1000].filter((g) => g <= maxGens);
let firstIds: Uint8Array[] = [];
let lastIds: Uint8Array[] = [];
const countGens = db.prepare('SELECT count(*) FROM index_gens').pluck();
if (oneGen) db.exec('INSERT INTO index_gens (gen, from_height, txs) VALUES (0, 1, 0)');
console.log(
  `${transfers} transfers a block, ${genTxs} transactions a generation${oneGen ? ', all rows in generation 0' : ''}`,
);
for (let height = 1; ; height++) {
  const block = indexBlock(height, senders, height === 1 ? rare : undefined);
  const ids = block.txs.map(() => new Uint8Array(randomBytes(32)));
  if (height === 1) firstIds = ids;
  lastIds = ids;
  db.transaction(() => {
    setMain.run(height, ZEROS);
    write(block, ids, height, oneGen ? 0 : gens.connect(height, ids.length));
  })();
  // one-gen: index_gens holds generation 0 alone; the checkpoints count as the other run does.
  const g = oneGen ? Math.ceil((height * (transfers + 1)) / genTxs) : Number(countGens.get());
  if (height % 20 !== 0 || !checkpoints.includes(g)) continue;
  checkpoints.splice(checkpoints.indexOf(g), 1);
  const n = 400;
  const newest = perCall(n, (i) => reads.getTxLocation(lastIds[i % lastIds.length]!));
  const oldest = perCall(n, (i) => reads.getTxLocation(firstIds[i % firstIds.length]!));
  const absent = perCall(n, () => reads.getTxLocation(randomBytes(32)));
  const rareKey = toHex(rare);
  const rarePage = perCall(50, () => reads.getHistory(rareKey, 50, Number.MAX_SAFE_INTEGER));
  const busyPage = perCall(50, () => reads.getHistory(toHex(ZEROS), 50, Number.MAX_SAFE_INTEGER));
  const sanity = reads.getHistory(rareKey, 50, Number.MAX_SAFE_INTEGER).length;
  // A search by the first 2 hex digits of an id (search.ts): the ids between, at most 10.
  const prefix = perCall(50, (i) => {
    const low = new Uint8Array(32);
    low[0] = i;
    reads.txIdsBetween(low, Uint8Array.from([i, ...new Array(31).fill(0xff)]), 10);
  });
  console.log(
    `${String(g).padStart(5)} generations (${height} blocks, ${db.prepare('SELECT count(*) FROM txs').pluck().get()} txs rows): ` +
      `by id ${newest.toFixed(1)} newest, ${oldest.toFixed(1)} oldest, ${absent.toFixed(1)} absent; ` +
      `history page ${rarePage.toFixed(1)} (1 entry: ${sanity}), ${busyPage.toFixed(1)} (coinbase key); ` +
      `ids by prefix ${prefix.toFixed(1)} µs CPU; load ${loadavg()[0]!.toFixed(1)}`,
  );
  if (checkpoints.length === 0) break;
}
db.close();
rmSync(dir, { recursive: true, force: true });
