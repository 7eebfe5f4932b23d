/**
 * The worker threads' verify (verifyAt over a block's transfers, as a chain checks a block on its
 * tip), native from the raw key against node:crypto with the key cache, alternated in one
 * process: each a verifier of its own with its own workers (createNodeVerifier's `native`), over
 * blocks of 4,000 transfers by 64 keys seen before (the benches' reference) and by 4,000 keys
 * never seen (a full block's senders). Clock rate and CPU a signature (every thread):
 *   npx tsx bench/lib/nativeWorkers.ts [rounds]
 */
import { loadavg } from 'node:os';
import { createNodeVerifier } from '../../src/crypto/nodeEd25519.js';
import { newBenchKey } from './ed25519.js';
import { quantile } from './report.js';
import { transfersBlock } from './verifyReference.js';

const COUNT = 4_000;
const rounds = Number(process.argv[2] ?? 6);

/** COUNT transfers by `keyCount` new keys, as a block (verifyReference.ts's). */
const blockOf = (keyCount: number) =>
  transfersBlock(Array.from({ length: keyCount }, newBenchKey), COUNT);

const ways = {
  native: createNodeVerifier(10_000, { idleMs: 3_600_000 }, { native: true }),
  'node:crypto': createNodeVerifier(10_000, { idleMs: 3_600_000 }, { native: false }),
};
const cached = blockOf(64);
const results = new Map<string, { rate: number[]; cpu: number[] }>();
for (const verifier of Object.values(ways)) await verifier.verifyAt!(cached.bytes, cached.offsets);

for (let round = 0; round < rounds; round++) {
  const fresh = blockOf(COUNT); // new keys for both ways this round
  const names = Object.keys(ways) as (keyof typeof ways)[];
  for (const name of round % 2 === 0 ? names : names.reverse()) {
    for (const [kind, work] of [
      ['64 keys seen', cached],
      ['4,000 new keys', fresh],
    ] as const) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const verdicts = await ways[name].verifyAt!(work.bytes, work.offsets);
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      if (!verdicts || verdicts.includes(0)) throw new Error(`${name}: a signature failed`);
      const key = `${name.padEnd(12)} ${kind}`;
      const entry = results.get(key) ?? { rate: [], cpu: [] };
      entry.rate.push((COUNT * 1000) / ms);
      entry.cpu.push((used.user + used.system) / COUNT);
      results.set(key, entry);
    }
  }
}
for (const [key, { rate, cpu }] of [...results].sort()) {
  console.log(
    `${key.padEnd(30)} ${Math.round(quantile(rate, 0.5)).toLocaleString('en-US')}/s (median), CPU ${quantile(cpu, 0.5).toFixed(1)} µs a signature (median; min ${Math.min(...cpu).toFixed(1)})`,
  );
}
console.log(`${rounds} rounds alternated; load ${loadavg()[0]!.toFixed(1)}`);
for (const verifier of Object.values(ways)) await verifier.close!();
