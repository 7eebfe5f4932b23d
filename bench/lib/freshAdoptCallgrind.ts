/**
 * A fresh node's first register + resolve onto a chain 20 blocks longer, counted in instructions
 * (valgrind's callgrind, collection on only during the request): a figure the machine's load does
 * not move, where CPU time moves by half on a busy machine. Same nodes as freshAdoptProfile.ts
 * (the bundle with its code cache; OLD_RUNNER, FLAG_RUNNERS: bench/lib/freshAdoptRunners.ts).
 * One callgrind.out.<name>-r<round>-<thread> a thread under OUT_DIR (default /tmp/fresh-callgrind;
 * -01 is the main thread's): callgrind_annotate them for where the instructions go.
 *   npx tsx bench/lib/freshAdoptCallgrind.ts [rounds]
 * NOTE: V8 flags measured with it for that request (main thread, M instructions, 2 rounds each;
 * the flag would be set for the node's life): before warmHex (src/node/warmUp.ts) 61–63 against
 * --always-sparkplug 75, --no-opt 69, --no-lazy-feedback-allocation 58–59; after it 53–57
 * against --no-sparkplug 57, --no-lazy-feedback-allocation 51–52. Left alone: none pays enough.
 * What is left (53 M): Sparkplug compiling ≈ 7.5 M (V8 names every function it considers,
 * SharedFunctionInfo::PassesFilter, ≈ 2 M of it), regular expressions first run in the request
 * ≈ 4 M (the schemas' hex patterns, the loopback-host test, secure-json-parse's; each compiled
 * twice, --trace-regexp-parser), inline-cache misses ≈ 9 M.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { freshAdoptSetUp } from './freshAdoptRunners.js';
import { type NodeChild, startNode } from './nodeChild.js';
import { registerAndResolve } from './registerAndResolve.js';
import { load, median } from './report.js';

const run = promisify(execFile);
const ROUNDS = Number(process.argv[2] ?? 3);
const outDir = process.env.OUT_DIR ?? '/tmp/fresh-callgrind';
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

/** callgrind_control on `node`; a `cpu` command wakes it, so that valgrind reads the request. */
async function control(node: NodeChild, option: string): Promise<void> {
  const done = run('callgrind_control', [option, String(node.pid)]);
  await node.command('cpu');
  await done;
}

console.log(`load at start: ${load()}`);
const { temp, ahead, runners, close } = await freshAdoptSetUp();
try {
  const counts: Record<string, number[]> = Object.fromEntries(
    Object.keys(runners).map((name) => [name, []]),
  );
  const mains: Record<string, number[]> = Object.fromEntries(
    Object.keys(runners).map((name) => [name, []]),
  );
  for (let r = 0; r < ROUNDS; r++)
    for (const [name, { runner, flags }] of Object.entries(runners)) {
      const out = join(outDir, `callgrind.out.${name}-r${r}`);
      const wrap = `valgrind --tool=callgrind --instr-atstart=no --smc-check=all-non-file --separate-threads=yes --callgrind-out-file=${out}`;
      const fresh = await startNode(
        { dataDir: join(temp, `${name}${r}`), tips: false },
        runner,
        { BENCH_NODE_WRAP: wrap },
        flags,
      );
      await control(fresh, '--instr=on');
      await registerAndResolve(fresh.url, ahead.url);
      await control(fresh, '--instr=off');
      await fresh.close();
      // One file a thread (--separate-threads): <out>-01 is the main thread's.
      const threads = readdirSync(outDir)
        .filter((f) => f.startsWith(`${basename(out)}-`))
        .map(
          (f) =>
            [
              f,
              Number(/^totals:\s+(\d+)/m.exec(readFileSync(join(outDir, f), 'utf8'))?.[1] ?? 0) /
                1e6,
            ] as const,
        );
      counts[name]!.push(threads.reduce((n, [, m]) => n + m, 0));
      mains[name]!.push(threads.find(([f]) => f.endsWith('-01'))?.[1] ?? Number.NaN);
      console.log(
        `${name} r${r}: ${counts[name]!.at(-1)!.toFixed(1)} M instructions, main thread ${mains[name]!.at(-1)!.toFixed(1)}`,
      );
    }
  for (const [name, each] of Object.entries(counts))
    console.log(
      `${name}: M instructions in the request, median ${median(each).toFixed(1)} (each ${each.map((n) => n.toFixed(1)).join(', ')}); main thread ${median(mains[name]!).toFixed(1)} (each ${mains[name]!.map((n) => n.toFixed(1)).join(', ')})`,
    );
  console.log(`load at end: ${load()}`);
} finally {
  await close();
}
