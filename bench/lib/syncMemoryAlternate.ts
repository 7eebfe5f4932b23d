/**
 * Two builds of the syncing node measured alternately (A B A B …) in one window, for a change's
 * before and after on a shared machine (bench/lib/syncMemory.ts, one fresh node a run):
 *
 *   npx tsx bench/lib/syncMemoryAlternate.ts <rounds> <A> <B> [C …]   (SYNCMEM_BLOCKS: 30)
 *
 * A, B, …: a compiled p2pNode.js, or a repository's root (its bench/lib/p2pNode.ts is compiled
 * there first, by its own compiledNode.ts), optionally followed by `|` and the fresh node's extra
 * environment (JSON), then `|` and its node flags (space-separated): the same build measured with
 * and without a setting, e.g. `dist.js` `'dist.js|{"MALLOC_ARENA_MAX":"2"}'`
 * `'dist.js||--max-semi-space-size=2'` (SYNCMEM_FRESH_ENV and SYNCMEM_FRESH_FLAGS, per target).
 * Each run prints the peak RSS, the RSS 12 s after the sync, the sync's rate and its CPU a
 * transfer (the node's, and its main thread's), and the load.
 */
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatBreakdown } from './smapsBreakdown.js';
import { measureSyncMemory } from './syncMemory.js';

const [roundsArg, ...targets] = process.argv.slice(2);
if (targets.length < 2) throw new Error('usage: syncMemoryAlternate.ts <rounds> <A> <B> [C …]');
const rounds = Number(roundsArg);
const count = Number(process.env.SYNCMEM_BLOCKS ?? 30);
const file = join(tmpdir(), `blockyard-sync${count}.bin`);

/** A compiled p2pNode.js: `target` itself, or compiled in the root `target` by its own code. */
async function compiled(target: string, name: string): Promise<string> {
  if (target.endsWith('.js')) return resolve(target);
  const root = resolve(target);
  const entry = join(root, 'bench/lib/compiledNode.ts');
  if (!existsSync(entry)) throw new Error(`${root} has no bench/lib/compiledNode.ts`);
  const { compileBenchChild } = (await import(pathToFileURL(entry).href)) as {
    compileBenchChild: (entry: string, cacheName: string) => string;
  };
  return compileBenchChild('bench/lib/p2pNode.ts', `blockyard-bench-syncalt-${name}`);
}

/** Each target's compiled node, and the environment and flags its fresh node starts with. */
const runs: Record<string, { script: string; env: string; flags: string }> = {};
for (const [k, target] of targets.entries()) {
  const name = String.fromCharCode(65 + k);
  const [path = '', env = '', flags = ''] = target.split('|');
  runs[name] = { script: await compiled(path, name.toLowerCase()), env, flags };
}
const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
for (let round = 1; round <= rounds; round++) {
  for (const [name, { script, env, flags }] of Object.entries(runs)) {
    process.env.SYNCMEM_FRESH_ENV = env || '{}';
    process.env.SYNCMEM_FRESH_FLAGS = flags;
    const load = loadavg()[0]!.toFixed(1);
    const m = await measureSyncMemory(file, count, script);
    const us = (ms: number | undefined) =>
      ms === undefined ? '?' : ((1000 * ms) / m.transfers).toFixed(0);
    console.log(
      `${name} #${round}: peak ${mb(m.peakRss)} MB (sampled ${mb(m.sampledPeakRss)}), started ${mb(m.startedRss)}, after ${mb(m.afterRss)}, settled ${mb(m.settledRss)} | ${Math.round((1000 * m.transfers) / m.syncMs)} transfers/s, CPU/tx ${us(m.cpuMs)} µs, main ${us(m.mainCpuMs)} µs | load ${load} → ${loadavg()[0]!.toFixed(1)}`,
    );
    console.log(`  as started: ${m.started}`);
    console.log(`  12 s after the sync: ${m.settled}`);
    if (m.startedParts) console.log(`  started: ${formatBreakdown(m.startedParts)}`);
    if (m.peakParts) console.log(`  at the peak sample: ${formatBreakdown(m.peakParts)}`);
    if (m.settledParts) console.log(`  settled: ${formatBreakdown(m.settledParts)}`);
    if (process.env.SYNCMEM_USAGE) for (const line of m.usage) console.log(`  ${line}`);
  }
}
