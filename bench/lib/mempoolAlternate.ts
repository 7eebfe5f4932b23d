/**
 * Batch intake's admission, two builds side by side in one process: each root's dist/ (run
 * `npx tsc -p tsconfig.build.json` in both) with its own node (createNode, memory store, its own
 * signature workers, the 'added' listeners as wired), fed the same batches of 100 {hex}
 * transfers through mempool.addBatch alternately, in chunks, the order swapped each chunk, so
 * that both see the same load. No HTTP and no JSON: what is left is the mempool's path (decode,
 * offer, signature jobs, decide, insert, the listeners) and the garbage it leaves. For a change to
 * that path, where a node-level A/B (intakeAlternate.ts) cannot see a few µs:
 *   npx tsx bench/lib/mempoolAlternate.ts OLD_ROOT NEW_ROOT [rounds=3] [chunks=10]
 * Prints, per build, medians over the chunks: this thread's CPU a transfer (schedstat), the
 * process's, and the process's less the verify workers' (this thread + V8's helper threads); then
 * the pairs' ratios. A chunk is 10 batches of each of 16 senders' transfers, one sender a batch.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeTx, encodeTx, type Tx } from '../../src/core/index.js';
import type { createNode } from '../../src/node/createNode.js';
import { ChainBuilder, easyParams } from '../../test/support/chainBuilder.js';
import { newBenchKey, transferToNewAddress } from './ed25519.js';

const roots = [resolve(process.argv[2] ?? '.'), resolve(process.argv[3] ?? '.')];
const rounds = Number(process.argv[4] ?? 3);
const chunks = Number(process.argv[5] ?? 10);
const SENDERS = 16;
const BATCH = 100;
const BATCHES_A_CHUNK = 10;

/** Each thread's time on a CPU so far, ns (/proc's schedstat), by thread id. */
function threadsNs(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      out.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // the thread ended
    }
  }
  return out;
}

/**
 * Threads that are not a node's verify workers: those this process had before any node started
 * (this one and V8's helpers; Node 20 names every thread "node").
 */
const helpers = new Set(readdirSync('/proc/self/task'));

type Node = Awaited<ReturnType<typeof createNode>>;
const nodes: Node[] = [];
for (const root of roots) {
  const { createNode: make } = (await import(join(root, 'dist/node/createNode.js'))) as {
    createNode: typeof createNode;
  };
  const { createInlineNonceSearch } = await import(join(root, 'dist/miner/inlineNonceSearch.js'));
  nodes.push(
    await make({
      params: easyParams,
      host: '127.0.0.1',
      port: 0,
      mempoolMaxCount: 10_000_000,
      search: createInlineNonceSearch(),
    }),
  );
}

const senders = Array.from({ length: SENDERS }, newBenchKey);
const builder = new ChainBuilder(easyParams);
for (const sender of senders) {
  const block = builder.mine({ minerKey: sender.publicKey });
  for (const node of nodes) {
    const added = await node.chain.addBlock(block);
    if (!added.ok) throw new Error(`funding: ${JSON.stringify(added)}`);
  }
}

let nonce = 0n;
/** A chunk: BATCHES_A_CHUNK batches of each sender, as encoded bytes. */
function makeChunk(): Uint8Array[][] {
  const batches: Uint8Array[][] = [];
  for (let b = 0; b < BATCHES_A_CHUNK; b++) {
    for (const sender of senders) {
      batches.push(
        Array.from({ length: BATCH }, (_, i) =>
          encodeTx(transferToNewAddress(sender, nonce + BigInt(i), 1n, easyParams.chainId)),
        ),
      );
    }
    nonce += BigInt(BATCH);
  }
  return batches;
}

async function feed(node: Node, batches: Uint8Array[][]): Promise<void> {
  for (const batch of batches) {
    const txs: Tx[] = batch.map((bytes) => {
      const d = decodeTx(bytes);
      if (!d.ok) throw new Error(d.detail);
      return d.value;
    });
    const results = await node.mempool.addBatch(txs, batch);
    for (const r of results) if (!r.ok) throw new Error(`${r.code} ${r.detail}`);
  }
}

type Figures = { main: number[]; helpers: number[]; cpu: number[] };
const figures: Figures[] = nodes.map(() => ({ main: [], helpers: [], cpu: [] }));
// Warm both: a chunk each, untimed.
{
  const warm = makeChunk();
  for (const node of nodes) await feed(node, warm);
}
for (let round = 0; round < rounds; round++) {
  for (let c = 0; c < chunks; c++) {
    const chunk = makeChunk();
    const order = (c + round) % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
      const t0 = threadsNs();
      const cpu0 = process.cpuUsage();
      await feed(nodes[i]!, chunk);
      const cpu = process.cpuUsage(cpu0);
      const t1 = threadsNs();
      const n = chunk.length * BATCH;
      let helperNs = 0;
      for (const [tid, ns] of t1) if (helpers.has(tid)) helperNs += ns - (t0.get(tid) ?? 0);
      const main = t1.get(String(process.pid))! - t0.get(String(process.pid))!;
      const f = figures[i]!;
      f.main.push(main / 1000 / n);
      f.helpers.push(helperNs / 1000 / n);
      f.cpu.push((cpu.user + cpu.system) / n);
    }
  }
}
for (const node of nodes) await node.close();

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const f1 = (x: number) => x.toFixed(1);
console.log(
  `load ${loadavg()[0]!.toFixed(1)}, ${rounds} rounds of ${chunks} chunks of ${BATCHES_A_CHUNK * SENDERS * BATCH} transfers`,
);
for (const [i, root] of roots.entries()) {
  const f = figures[i]!;
  console.log(
    `${root}: µs a transfer, medians: this thread ${f1(median(f.main))}, this thread + helpers ${f1(median(f.helpers))}, process ${f1(median(f.cpu))}`,
  );
}
const [a, b] = figures as [Figures, Figures];
for (const k of ['main', 'helpers', 'cpu'] as const) {
  const r = a[k].map((x, j) => b[k][j]! / x);
  console.log(
    `${k} new/old: median ${median(r).toFixed(3)}, lower in ${r.filter((x) => x < 1).length} of ${r.length}`,
  );
}
