/**
 * Profiles a fresh node's first register + resolve onto a chain 20 blocks longer, as bench/adopt.ts
 * (a) measures it: the node runs from a bundle with V8's code cache (bench/lib/bundledNode.ts), a
 * new process each round. V8's CPU profiler (100 µs samples) runs over just the request; one
 * .cpuprofile a round under PROFILE_DIR (default /tmp/fresh-prof). NOPROF=1: CPU times alone.
 * OLD_RUNNER=<a copy of node_modules/.cache/blockyard-bench-p2p-bundle>/bench/lib/bundledNode.js:
 * that older build too, alternated with this one each round (old, new, old, new, …).
 *   npx tsx bench/lib/freshAdoptProfile.ts [rounds]
 *   npx tsx bench/lib/profileSummary.ts /tmp/fresh-prof 40 [pattern]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChainBuilder, easyParams } from '../../test/support/chainBuilder.js';
import { bundleBenchChild, compileBenchChild } from './compiledNode.js';
import { startNode, writeBlockFile } from './nodeChild.js';
import { load, median } from './report.js';

const AHEAD = 20;
const ROUNDS = Number(process.argv[2] ?? 8);
const dir = process.env.PROFILE_DIR ?? '/tmp/fresh-prof';
const profiling = process.env.NOPROF !== '1';
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

async function registerAndResolve(url: string, peer: string): Promise<void> {
  const registered = await fetch(`${url}/nodes/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nodes: [peer] }),
  });
  await registered.arrayBuffer();
  await (await fetch(`${url}/nodes/resolve`)).arrayBuffer();
}

const compiled = compileBenchChild('bench/lib/p2pNode.ts', 'blockyard-bench-p2p-node');
const temp = mkdtempSync(join(tmpdir(), 'blockyard-fresh-prof-'));
const builder = new ChainBuilder(easyParams);
for (let b = 0; b < AHEAD; b++) builder.mine();
const file = join(temp, 'ahead.bin');
writeBlockFile(file, builder.blocks.slice(1));
console.log(`load at start: ${load()}`);
const ahead = await startNode({ dataDir: join(temp, 'ahead'), tips: false }, compiled);
try {
  if (!(await ahead.command('load', { file })).ok) throw new Error('the chain was refused');
  const bundled = await bundleBenchChild(compiled, 'blockyard-bench-p2p-bundle', async (runner) => {
    const trainee = await startNode({ dataDir: join(temp, 'trainee'), tips: false }, runner, {
      BENCH_CODE_CACHE: 'write',
    });
    await registerAndResolve(trainee.url, ahead.url);
    await trainee.close();
  });
  const runners = { ...(process.env.OLD_RUNNER ? { old: process.env.OLD_RUNNER } : {}), bundled };
  const cpus: Record<string, number[]> = Object.fromEntries(
    Object.keys(runners).map((name) => [name, []]),
  );
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, runner] of Object.entries(runners)) {
      const fresh = await startNode({ dataDir: join(temp, `${name}${r}`), tips: false }, runner);
      if (profiling) await fresh.command('profile');
      const cpu0 = (await fresh.command('cpu')).cpuMs;
      await registerAndResolve(fresh.url, ahead.url);
      cpus[name]!.push((await fresh.command('cpu')).cpuMs - cpu0);
      if (profiling)
        await fresh.command('profile', { file: join(dir, `${name}-r${r}.cpuprofile`) });
      await fresh.close();
    }
  }
  for (const [name, each] of Object.entries(cpus))
    console.log(
      `${name}: fresh CPU per request, median ${median(each).toFixed(1)} ms (each ${each.map((c) => c.toFixed(1)).join(', ')})`,
    );
  console.log(`load at end: ${load()}`);
} finally {
  await ahead.close();
  rmSync(temp, { recursive: true, force: true });
}
