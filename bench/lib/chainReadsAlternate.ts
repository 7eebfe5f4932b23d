/**
 * GET /chain of bench/reads.ts's chain (200 blocks × 50 transfers), builds side by side: each
 * build's node (bench/lib/p2pNode.ts compiled, SQLite) loads the same blocks, answers two calls
 * to warm up, then the rounds alternate between the builds, one request each, in turn. Each
 * request: its wall time at the client (fetch, body read whole), the node's CPU for it (its `cpu`
 * command before and after) and the answer's bytes, which must be equal across builds; and,
 * each round, the same bytes from bench/reads.ts's floor (bare node:http in this process).
 *   npx tsx bench/lib/chainReadsAlternate.ts [rounds]
 *   OLD_RUNNER=<p2pNode.js>  an older build, compiled (compileBenchChild's output, copied)
 *   PROFILE_DIR=<dir>        also profiles each build's node over its rounds (<build>.cpuprofile)
 *                            and its first call (<build>-first.cpuprofile.first)
 *   READS_BLOCKS, READS_TXS  the chain's shape (default 200, 50)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { easyParams } from '../../test/support/chainBuilder.js';
import { compileBenchChild } from './compiledNode.js';
import { floorServer } from './floorServer.js';
import { fundedChain } from './fundedChain.js';
import { type NodeChild, startNode, writeBlockFile } from './nodeChild.js';
import { load, median } from './report.js';

const rounds = Number(process.argv[2] ?? '20');
const blocks = Number(process.env.READS_BLOCKS ?? '200');
const txs = Number(process.env.READS_TXS ?? '50');
const profileDir = process.env.PROFILE_DIR;

const temp = mkdtempSync(join(tmpdir(), 'blockyard-chain-reads-'));
const nodes: [string, NodeChild][] = [];
try {
  const chain = fundedChain(easyParams, { senders: txs, spends: blocks * txs, perBlock: txs });
  for (let b = 3; b < blocks; b++) chain.fullBlock();
  const file = join(temp, 'chain.bin');
  writeBlockFile(file, chain.builder.blocks.slice(1));

  const runners: [string, string][] = [];
  if (process.env.OLD_RUNNER) runners.push(['old', process.env.OLD_RUNNER]);
  runners.push(['new', compileBenchChild('bench/lib/p2pNode.ts', 'blockyard-bench-reads-node')]);
  for (const [name, runner] of runners) {
    const node = await startNode({ dataDir: join(temp, name), tips: false }, runner);
    nodes.push([name, node]);
    if (!(await node.command('load', { file })).ok) throw new Error(`${name} refused the chain`);
  }
  /** Wall time and this process's CPU (the client's; the floor's server's too) for one GET. */
  const timed = async (url: string) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const body = Buffer.from(await (await fetch(`${url}/chain`)).arrayBuffer());
    const { user, system } = process.cpuUsage(cpu);
    return { ms: performance.now() - started, clientMs: (user + system) / 1000, body };
  };
  const get = async (node: NodeChild) => {
    const before = (await node.command('cpu')).cpuMs as number;
    const { ms, clientMs, body } = await timed(node.url);
    const cpuMs = ((await node.command('cpu')).cpuMs as number) - before;
    return { ms, clientMs, cpuMs, body };
  };
  const first = new Map<string, number>();
  let reference: Buffer | undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  for (const [name, node] of nodes) {
    if (profileDir) await node.command('profile');
    const cold = await get(node);
    if (profileDir)
      await node.command('profile', { file: join(profileDir, `${name}-first.cpuprofile.first`) });
    first.set(name, cold.ms);
    const { body } = await get(node);
    if (reference && !reference.equals(body)) throw new Error(`${name}'s answer differs`);
    reference = body;
  }
  if (!reference) throw new Error('no build');
  const floor = await floorServer(reference);
  console.log(`load average before: ${load()}; ${reference.length / 1e6} MB`);
  if (profileDir) for (const [, node] of nodes) await node.command('profile');
  const times = new Map(
    nodes.map(([name]) => [
      name,
      { ms: [] as number[], cpu: [] as number[], client: [] as number[] },
    ]),
  );
  const floorTimes = { ms: [] as number[], cpu: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    const atFloor = await timed(floor.url);
    floorTimes.ms.push(atFloor.ms);
    floorTimes.cpu.push(atFloor.clientMs);
    const order = r % 2 === 0 ? nodes : [...nodes].reverse();
    for (const [name, node] of order) {
      const { ms, cpuMs, clientMs } = await get(node);
      times.get(name)?.ms.push(ms);
      times.get(name)?.cpu.push(cpuMs);
      times.get(name)?.client.push(clientMs);
    }
  }
  if (profileDir)
    for (const [name, node] of nodes)
      await node.command('profile', { file: join(profileDir, `${name}.cpuprofile`) });
  for (const [name, t] of times) {
    console.log(
      `${name.padEnd(4)} first ${first.get(name)?.toFixed(1)} ms; wall median ${median(t.ms).toFixed(1)} ms (min ${Math.min(...t.ms).toFixed(1)}), node CPU median ${median(t.cpu).toFixed(1)} ms (min ${Math.min(...t.cpu).toFixed(1)}), client CPU median ${median(t.client).toFixed(1)} ms`,
    );
  }
  console.log(
    `floor (bench/reads.ts's, in this process) wall median ${median(floorTimes.ms).toFixed(1)} ms, CPU (server and client) median ${median(floorTimes.cpu).toFixed(1)} ms`,
  );
  floor.close();
  const old = times.get('old');
  const now = times.get('new');
  if (old && now) {
    const lower = now.cpu.filter((c, i) => c < (old.cpu[i] ?? 0)).length;
    console.log(
      `new / old: wall ${(median(now.ms) / median(old.ms)).toFixed(2)}, CPU ${(median(now.cpu) / median(old.cpu)).toFixed(2)}; new's CPU lower in ${lower} of ${rounds} rounds`,
    );
  }
  console.log(`load average after: ${load()}`);
} finally {
  for (const [, node] of nodes) await node.close();
  rmSync(temp, { recursive: true, force: true });
}
