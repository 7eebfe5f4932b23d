/**
 * Profiles a fresh node's first register + resolve onto a chain 20 blocks longer, as bench/adopt.ts
 * (a) measures it: the node runs from a bundle with V8's code cache (bench/lib/bundledNode.ts), a
 * new process each round; the builds compared (OLD_RUNNER, OTHER_RUNNERS, FLAG_RUNNERS) as
 * bench/lib/freshAdoptRunners.ts says. V8's CPU profiler (100 µs samples) runs over just the
 * request; one .cpuprofile a round under PROFILE_DIR (default /tmp/fresh-prof). NOPROF=1: CPU
 * times alone.
 *   npx tsx bench/lib/freshAdoptProfile.ts [rounds]
 *   npx tsx bench/lib/profileSummary.ts /tmp/fresh-prof 40 [pattern]
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freshAdoptSetUp } from './freshAdoptRunners.js';
import { type NodeChild, startNode } from './nodeChild.js';
import { registerAndResolve } from './registerAndResolve.js';
import { load, median } from './report.js';

const ROUNDS = Number(process.argv[2] ?? 8);
const dir = process.env.PROFILE_DIR ?? '/tmp/fresh-prof';
const profiling = process.env.NOPROF !== '1';
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

type CpuAnswer = { cpuMs: number; gcMs?: number; gcCount?: Record<string, number> };
const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
const heapSpaces = process.env.HEAP === '1';
const spacesOf = async (node: NodeChild) =>
  (await node.command('memory')).spaces as Record<string, number>;
const KIND_LETTERS: Record<string, string> = { 1: 's', 4: 'm', 8: 'i', 16: 'w' };

/** The collections between two `cpu` answers (none if the node does not count them). */
function gcDuring(before: CpuAnswer, after: CpuAnswer): { ms: number; kinds: string } {
  const kinds = Object.entries(after.gcCount ?? {})
    .map(([kind, n]) => [kind, n - (before.gcCount?.[kind] ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .map(
      ([kind, n]) =>
        `${KIND_LETTERS[kind.replace('f', '')] ?? kind}${kind.endsWith('f') ? 'f' : ''}${n}`,
    )
    .join(' ');
  return { ms: (after.gcMs ?? 0) - (before.gcMs ?? 0), kinds };
}

console.log(`load at start: ${load()}`);
const { temp, ahead, runners, close } = await freshAdoptSetUp();
try {
  const cpus: Record<string, number[]> = Object.fromEntries(
    Object.keys(runners).map((name) => [name, []]),
  );
  /** CPU from spawn to ready (the warm-up's included). */
  const starts: Record<string, number[]> = Object.fromEntries(
    Object.keys(runners).map((name) => [name, []]),
  );
  const walls: Record<string, number[]> = Object.fromEntries(
    Object.keys(runners).map((name) => [name, []]),
  );
  /** Old, code and large-object spaces before and after the request, MB. */
  const heaps: Record<string, string[]> = Object.fromEntries(
    Object.keys(runners).map((name) => [name, []]),
  );
  /** The main thread's collections during the request: ms, and `s2 m1`-like counts by kind. */
  const gcs: Record<string, { ms: number; kinds: string }[]> = Object.fromEntries(
    Object.keys(runners).map((name) => [name, []]),
  );
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, { runner, flags }] of Object.entries(runners)) {
      const fresh = await startNode(
        { dataDir: join(temp, `${name}${r}`), tips: false },
        runner,
        {},
        flags,
      );
      if (profiling) await fresh.command('profile');
      // HEAP=1 only: asking for them moved when V8 collects (no collection in the request then).
      const heapBefore = heapSpaces ? await spacesOf(fresh) : {};
      const before = await fresh.command('cpu');
      walls[name]!.push((await registerAndResolve(fresh.url, ahead.url)).ms);
      const after = await fresh.command('cpu');
      cpus[name]!.push(after.cpuMs - before.cpuMs);
      starts[name]!.push(before.cpuMs);
      gcs[name]!.push(gcDuring(before, after));
      const heapAfter = heapSpaces ? await spacesOf(fresh) : {};
      if (heapSpaces)
        heaps[name]!.push(
          ['old_space', 'code_space', 'large_object_space']
            .map(
              (space) =>
                `${space.split('_')[0]} ${mb(heapBefore[space]!)}→${mb(heapAfter[space]!)}`,
            )
            .join(' '),
        );
      if (profiling)
        await fresh.command('profile', { file: join(dir, `${name}-r${r}.cpuprofile`) });
      await fresh.close();
    }
  }
  for (const [name, each] of Object.entries(heaps))
    if (heapSpaces)
      console.log(`${name}: heap spaces used, before → after the request (MB): ${each.join('; ')}`);
  for (const [name, each] of Object.entries(gcs))
    console.log(
      `${name}: main thread's GC during the request, median ${median(each.map((g) => g.ms)).toFixed(1)} ms (each ${each.map((g) => `${g.ms.toFixed(1)} [${g.kinds}]`).join(', ')}; kinds: s scavenge, m mark-compact, i incremental marking, w weak callbacks; f forced, a gc() call)`,
    );
  for (const [name, each] of Object.entries(cpus))
    console.log(
      `${name}: fresh CPU per request, median ${median(each).toFixed(1)} ms (each ${each.map((c) => c.toFixed(1)).join(', ')}); wall ${median(walls[name]!).toFixed(1)} ms (each ${walls[name]!.map((w) => w.toFixed(1)).join(', ')}); CPU to start ${median(starts[name]!).toFixed(1)} ms (each ${starts[name]!.map((c) => c.toFixed(0)).join(', ')})`,
    );
  console.log(`load at end: ${load()}`);
} finally {
  await close();
}
