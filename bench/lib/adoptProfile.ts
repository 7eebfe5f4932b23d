/**
 * Profiles the running node of bench/adopt.ts (a): V8's CPU profiler (100 µs samples) on only
 * the register + resolve of each round, over GROUPS pairs of nodes × ROUNDS rounds (round 0, each
 * process's first, is not profiled). Writes one .cpuprofile a round under PROFILE_DIR (default
 * /tmp/adopt-prof) and prints the wall and CPU time of each round; with NOPROF=1 nothing is
 * profiled (the CPU time alone, to compare two builds side by side).
 *   npx tsx bench/lib/adoptProfile.ts [groups] [rounds]
 *   npx tsx bench/lib/profileSummary.ts /tmp/adopt-prof 40 [pattern]
 *
 * PERF: where a running node's register + resolve onto 20 blocks goes (6 × 5 rounds, 100 µs
 * samples, load 11, rounds 3-5 of each node: the check compiles in rounds 1-2, answerCheck.ts),
 * in shares of its busy samples; the profiler's own stop (`dispatch`) and the harness's answers
 * (p2pNode.js) are ≈ 10 % more:
 *   - adding the 20 blocks ≈ 25 %: checkBlock 6.5 %, SQLite (saveBlock, connectTentatively, the
 *     held commit) ≈ 8 %, the header's hash and context computed again by Chain.startOnTip ≈ 5 %
 *     and by addChecked ≈ 2 %, the events (gossip, mempool) ≈ 1.3 %;
 *   - node:http both ways (7 exchanges: register, resolve, the peer's hello back to us; hello,
 *     headers ×1-2, blocks to the peer) ≈ 30-35 %, spread over http's own code, writev, timers;
 *   - the sync's own checks: the headers page 2 %, the bodies decoded and hashed 4 %;
 *   - the resolve's answer ≈ 4 % (views built from the blocks in hand, one write; storing the 20
 *     views is 1.5 %).
 * The header is hashed four times a block (the sync's header check, the body's match with it,
 * startOnTip, checkBlock): passing what was checked along is what would cut adding next.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChainBuilder, easyParams } from '../../test/support/chainBuilder.js';
import { compileBenchChild } from './compiledNode.js';
import { startNode as startChild, writeBlockFile } from './nodeChild.js';
import { load, median } from './report.js';

const AHEAD = 20;
const GROUPS = Number(process.argv[2] ?? 6);
const ROUNDS = Number(process.argv[3] ?? 5);
const dir = process.env.PROFILE_DIR ?? '/tmp/adopt-prof';
/** NOPROF=1: the same rounds unprofiled, for their CPU time alone. */
const profiling = process.env.NOPROF !== '1';
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const post = async (url: string, body: object) =>
  (
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).arrayBuffer();

const compiled = compileBenchChild('bench/lib/p2pNode.ts', 'blockyard-bench-p2p-node');
const temp = mkdtempSync(join(tmpdir(), 'blockyard-adopt-prof-'));
const builder = new ChainBuilder(easyParams);
for (let b = 0; b < AHEAD * (ROUNDS + 1); b++) builder.mine();
const blocks = builder.blocks.slice(1);
const walls: number[] = [];
const cpus: number[] = [];
console.log(`load at start: ${load()}`);
try {
  for (let g = 0; g < GROUPS; g++) {
    const running = await startChild({ dataDir: join(temp, `running${g}`), tips: false }, compiled);
    const growing = await startChild({ dataDir: join(temp, `growing${g}`), tips: false }, compiled);
    for (let r = 0; r <= ROUNDS; r++) {
      const file = join(temp, `g${g}r${r}.bin`);
      writeBlockFile(file, blocks.slice(AHEAD * r, AHEAD * (r + 1)));
      const grown = await growing.command('load', { file });
      if (!grown.ok) throw new Error(`refused: ${grown.code}`);
      if (r > 0 && profiling) await running.command('profile');
      const cpu0 = (await running.command('cpu')).cpuMs;
      const started = performance.now();
      await post(`${running.url}/nodes/register`, { nodes: [growing.url] });
      const answer = (await (await fetch(`${running.url}/nodes/resolve`)).json()) as {
        length: number;
      };
      const wall = performance.now() - started;
      const cpu = (await running.command('cpu')).cpuMs - cpu0;
      if (r > 0) {
        if (profiling)
          await running.command('profile', { file: join(dir, `g${g}r${r}.cpuprofile`) });
        walls.push(wall);
        cpus.push(cpu);
      }
      if (answer.length !== AHEAD * (r + 1) + 1) throw new Error(`length ${answer.length}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await post(`${running.url}/nodes/remove`, { nodes: [growing.url] });
      await post(`${growing.url}/nodes/remove`, { nodes: [running.url] });
    }
    await running.close();
    await growing.close();
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
console.log(
  `wall median ${median(walls).toFixed(1)} ms: ${walls.map((t) => t.toFixed(0)).join(' ')}`,
);
console.log(
  `node CPU median ${median(cpus).toFixed(1)} ms: ${cpus.map((t) => t.toFixed(0)).join(' ')}`,
);
console.log(`load at end: ${load()}`);
