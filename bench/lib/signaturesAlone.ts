/**
 * The node's verify path with nothing else to do: a full block's transfers, each from a sender of
 * its own (as bench connect's blocks), checked by verifyAt on the worker threads, alternated with
 * the in-run reference's work (verifyReference.ts: 4,000 transfers by 64 keys), on one verifier.
 * For bench connect's "signatures alone" line, which times the signatures while this thread
 * applies and writes the block on the same cores:
 *   npx tsx bench/lib/signaturesAlone.ts [rounds=10]
 * Prints each way's rate by the clock and CPU a signature (the process's, every thread), medians,
 * and the pairs' ratios.
 */
import { loadavg } from 'node:os';
import { maxTransfersPerBlock } from '../../src/core/index.js';
import { createNodeVerifier } from '../../src/crypto/nodeEd25519.js';
import { easyParams } from '../../test/support/chainBuilder.js';
import { newBenchKey } from './ed25519.js';
import { quantile } from './report.js';
import { transfersBlock } from './verifyReference.js';

const rounds = Number(process.argv[2] ?? 10);
const perBlock = maxTransfersPerBlock(easyParams.maxBlockBytes);
const full = transfersBlock(Array.from({ length: perBlock }, newBenchKey), perBlock);
const reference = transfersBlock(Array.from({ length: 64 }, newBenchKey), 4_000);
const day = 24 * 3_600_000;
const verifier = createNodeVerifier(10_000, { idleMs: day, extraIdleMs: day });

interface Pass {
  readonly rate: number;
  readonly cpu: number;
}

async function pass(work: typeof full): Promise<Pass> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const verdicts = await verifier.verifyAt!(work.bytes, work.offsets);
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (!verdicts || verdicts.includes(0)) throw new Error('a bench signature did not verify');
  const n = work.offsets.length;
  return { rate: (n * 1000) / elapsed, cpu: (used.user + used.system) / n };
}

await pass(reference);
await pass(full);
const ways: Record<'reference' | 'full', Pass[]> = { reference: [], full: [] };
for (let round = 0; round < rounds; round++) {
  const order =
    round % 2 === 0 ? (['reference', 'full'] as const) : (['full', 'reference'] as const);
  for (const way of order) ways[way].push(await pass(way === 'full' ? full : reference));
}
await verifier.close?.();

const median = (xs: number[]) => quantile(xs, 0.5);
const text = (way: keyof typeof ways) =>
  `${Math.round(median(ways[way].map((p) => p.rate))).toLocaleString('en-US')}/s, ${median(ways[way].map((p) => p.cpu)).toFixed(1)} µs CPU a signature`;
const ratios = ways.full.map((p, i) => p.rate / ways.reference[i]!.rate);
console.log(
  `load ${loadavg()[0]!.toFixed(1)}, ${rounds} rounds: the reference's work ${text('reference')}; a full block of ${perBlock} senders ${text('full')}; rate ratio median ${median(ratios).toFixed(3)} (${ratios.map((r) => r.toFixed(2)).join(' ')})`,
);
