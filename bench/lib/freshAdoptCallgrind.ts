/**
 * A fresh node's first register + resolve onto a chain 20 blocks longer, counted in instructions
 * (valgrind's callgrind, collection on only during the request): a figure the machine's load does
 * not move, where CPU time moves by half on a busy machine. Same nodes as freshAdoptProfile.ts (the
 * bundle with its code cache); FLAG_RUNNERS as there. One callgrind.out.<pid> a node under OUT_DIR
 * (default /tmp/fresh-callgrind): callgrind_annotate it for where the instructions go.
 *   npx tsx bench/lib/freshAdoptCallgrind.ts [rounds]
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { ChainBuilder, easyParams } from '../../test/support/chainBuilder.js';
import { bundleBenchChild, compileBenchChild } from './compiledNode.js';
import { type NodeChild, startNode, writeBlockFile } from './nodeChild.js';
import { load, median } from './report.js';

const run = promisify(execFile);
const AHEAD = 20;
const ROUNDS = Number(process.argv[2] ?? 3);
const outDir = process.env.OUT_DIR ?? '/tmp/fresh-callgrind';
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

async function registerAndResolve(url: string, peer: string): Promise<void> {
  const registered = await fetch(`${url}/nodes/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nodes: [peer] }),
  });
  await registered.arrayBuffer();
  await (await fetch(`${url}/nodes/resolve`)).arrayBuffer();
}

/** callgrind_control on `node`; a `cpu` command wakes it, so that valgrind reads the request. */
async function control(node: NodeChild, option: string): Promise<void> {
  const done = run('callgrind_control', [option, String(node.pid)]);
  await node.command('cpu');
  await done;
}

const compiled = compileBenchChild('bench/lib/p2pNode.ts', 'blockyard-bench-p2p-node');
const temp = mkdtempSync(join(tmpdir(), 'blockyard-fresh-cg-'));
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
  const runners: Record<string, { runner: string; flags: string[] }> = {
    ...(process.env.OLD_RUNNER ? { old: { runner: process.env.OLD_RUNNER, flags: [] } } : {}),
    bundled: { runner: bundled, flags: [] },
  };
  for (const pair of (process.env.FLAG_RUNNERS ?? '').split(';').filter(Boolean)) {
    const [name, flags] = pair.split('=', 2) as [string, string];
    runners[name] = { runner: bundled, flags: flags.split(' ').filter(Boolean) };
  }
  for (const [name, { runner, flags }] of Object.entries(runners)) {
    if (name === 'bundled') continue;
    const trainee = await startNode(
      { dataDir: join(temp, `trainee-${name}`), tips: false },
      runner,
      { BENCH_CODE_CACHE: 'write' },
      flags,
    );
    await registerAndResolve(trainee.url, ahead.url);
    await trainee.close();
  }
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
  await ahead.close();
  rmSync(temp, { recursive: true, force: true });
}
