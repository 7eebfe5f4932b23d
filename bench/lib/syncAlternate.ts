/**
 * Two builds (or more) of a fresh node syncing the same full blocks from one serving node,
 * measured alternately (A B A B …) in one window: the whole sync's rate, the rate after its first
 * full block (bench/p2p.ts's two lines), the time before that block's tip, and the CPU a transfer.
 *
 *   npx tsx bench/lib/syncAlternate.ts <rounds> <rootA> <rootB> [root …]
 *
 * A root is a repository's (its bench/lib/p2pNode.ts runs the fresh node), optionally followed
 * by `|` and that node's extra environment (JSON). A root after `tsx:` runs under tsx, as bench
 * p2p's sync does; else compiled by tsc (compileBenchChild), as syncMemory.ts does.
 * SYNCALT_BLOCKS: full blocks (30). BENCH_TIMELINE=1 writes each fresh node's timeline
 * (syncTimeline.ts); SYNCALT_PROFILE=<dir> its main thread's CPU profile over the sync
 * (profileWindow.ts cuts it by the timeline). The serving node is the first root's, started once.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { blockHashHex } from '../../src/core/index.js';
import { type NodeChild, readBlockFile, startNode } from './nodeChild.js';
import { fullBlocksFile } from './syncMemory.js';

const [roundsArg, ...targets] = process.argv.slice(2);
if (targets.length < 1) throw new Error('usage: syncAlternate.ts <rounds> <rootA> [rootB …]');
const rounds = Number(roundsArg);
const count = Number(process.env.SYNCALT_BLOCKS ?? 30);
const file = join(tmpdir(), `blockyard-sync${count}.bin`);
fullBlocksFile(file, count);
const blocks = readBlockFile(file).map(({ block }) => block);
const firstFull = blocks.findIndex((block) => block.txs.length > 2_001);
const transfers = blocks.reduce((n, block) => n + block.txs.length - 1, 0);
const steadyTransfers = blocks.slice(firstFull + 1).reduce((n, b) => n + b.txs.length - 1, 0);

/** How each root's node is started: its script, and startNode's flags. */
async function nodeOf(
  root: string,
  name: string,
  tsx: boolean,
): Promise<{ script: string; flags: string[] }> {
  if (tsx) {
    const held = join(root, 'bench/lib/heldYoungGeneration.mjs');
    return {
      script: join(root, 'bench/lib/p2pNode.ts'),
      flags: [
        '--import',
        'tsx',
        ...(existsSync(held) ? ['--import', pathToFileURL(held).href] : []),
      ],
    };
  }
  const { compileBenchChild } = (await import(
    pathToFileURL(join(root, 'bench/lib/compiledNode.ts')).href
  )) as { compileBenchChild: (entry: string, cacheName: string) => string };
  return {
    script: compileBenchChild('bench/lib/p2pNode.ts', `blockyard-syncalt-${name}`),
    flags: [],
  };
}

const runs: { name: string; script: string; flags: string[]; env: Record<string, string> }[] = [];
for (const [k, target] of targets.entries()) {
  const [rooted = '', env = ''] = target.split('|');
  const tsx = rooted.startsWith('tsx:');
  const root = resolve(tsx ? rooted.slice(4) : rooted);
  const name = String.fromCharCode(65 + k);
  runs.push({
    name,
    ...(await nodeOf(root, name.toLowerCase(), tsx)),
    env: JSON.parse(env || '{}'),
  });
}
const temp = mkdtempSync(join(tmpdir(), 'blockyard-syncalt-'));
const started: NodeChild[] = [];
try {
  const first = runs[0]!;
  // NOTE: startNode adds tsx's --import itself only for a script it is not given; the flags do.
  const server = await startNode(
    { dataDir: join(temp, 'server'), tips: false },
    first.script,
    {},
    first.flags,
  );
  started.push(server);
  const loaded = await server.command('load', { file });
  if (!loaded.ok) throw new Error(`the serving node refused the chain: ${loaded.code}`);
  const results: Record<string, number[][]> = {};
  for (let round = 1; round <= rounds; round++) {
    for (const [i, run] of runs.entries()) {
      const load = loadavg()[0]!.toFixed(1);
      const fresh = await startNode(
        { dataDir: join(temp, `fresh-${round}-${i}`) },
        run.script,
        run.env,
        run.flags,
      );
      started.push(fresh);
      // SYNCALT_PROFILE=dir: V8's CPU profile of the fresh node's main thread over its sync.
      const profileDir = process.env.SYNCALT_PROFILE;
      if (profileDir) await fresh.command('profile');
      const synced = await fresh.command('sync', { url: server.url });
      if (profileDir)
        await fresh.command('profile', {
          file: join(profileDir, `${run.name}-${round}-${fresh.pid}.cpuprofile`),
        });
      if (!synced.ok || synced.height !== blocks.length)
        throw new Error(`the sync failed: ${synced.code} ${synced.detail} at ${synced.height}`);
      const tipAt = (b: number) => fresh.tips.get(blockHashHex(blocks[b]!.header))!;
      const steadyMs = Number(tipAt(blocks.length - 1) - tipAt(firstFull)) / 1e6;
      const row = [
        (1000 * transfers) / synced.ms,
        (1000 * steadyTransfers) / steadyMs,
        synced.ms - steadyMs,
        (1000 * synced.cpuMs) / transfers,
        (1000 * (synced.mainCpuMs ?? Number.NaN)) / transfers,
      ];
      results[run.name] = [...(results[run.name] ?? []), row];
      console.log(
        `${run.name} #${round}: ${row[0]!.toFixed(0)}/s, after the 1st full block ${row[1]!.toFixed(0)}/s, before its tip ${row[2]!.toFixed(0)} ms | CPU/tx ${row[3]!.toFixed(0)} µs, main ${row[4]!.toFixed(1)} µs | load ${load} → ${loadavg()[0]!.toFixed(1)} | pid ${fresh.pid}`,
      );
      await fresh.close();
      started.pop();
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [name, rows] of Object.entries(results))
    console.log(
      `${name} medians: ${median(rows.map((r) => r[0]!)).toFixed(0)}/s, steady ${median(rows.map((r) => r[1]!)).toFixed(0)}/s, before the 1st full tip ${median(rows.map((r) => r[2]!)).toFixed(0)} ms, CPU/tx ${median(rows.map((r) => r[3]!)).toFixed(0)} µs, main ${median(rows.map((r) => r[4]!)).toFixed(1)} µs`,
    );
} finally {
  for (const node of started) await node.close();
  rmSync(temp, { recursive: true, force: true });
}
