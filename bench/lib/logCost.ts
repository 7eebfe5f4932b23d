/**
 * What the node's pretty log costs (not part of `npm run bench`; run it on its own:
 * `npx tsx bench/lib/logCost.ts 2>/dev/null`, the nodes' logs going where stderr goes).
 *
 * (1) CPU per line: 20,000 `block N connected` events through the pretty logger as it was
 *     (test/support/prettyBefore.ts) and as it is (src/node/logger.ts), alternated, into a stream
 *     that drops them (the formatting alone), on this thread.
 * (2) A fresh node (bench/lib/p2pNode.ts compiled, as bench/adopt.ts (a) runs its node from its
 *     modules) told of a peer 20 blocks ahead, register + resolve, logging as `blockyard node`
 *     does to stderr (BENCH_LOG): before (the format parsed back, a line a block connected), now
 *     (the direct format, a synced run's lines: src/p2p/syncLog.ts), and silent (the bench's
 *     node), alternated; the fresh node's CPU for it (user + system), medians.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/node/logger.js';
import { ChainBuilder, easyParams } from '../../test/support/chainBuilder.js';
import { prettyLoggerBefore } from '../../test/support/prettyBefore.js';
import { compileBenchChild } from './compiledNode.js';
import { startNode, writeBlockFile } from './nodeChild.js';
import { load, median } from './report.js';

const LINES = 20_000;
const ROUNDS = 5;
const REPEATS = 11;
const AHEAD = 20;
const out = (line = ''): void => void process.stdout.write(`${line}\n`);

function dropping(): Writable {
  return new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
}

/** CPU microseconds per line of `log`. */
function perLine(log: Logger): number {
  const hash = 'ab'.repeat(32);
  const cpu = process.cpuUsage();
  for (let i = 0; i < LINES; i++) log.info({ hash, txs: 1 }, `block ${i} connected`);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / LINES;
}

out(`load average at start: ${load()}`);
const before: number[] = [];
const now: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  before.push(perLine(prettyLoggerBefore('info', dropping())));
  now.push(perLine(createLogger('pretty', 'info', dropping())));
}
out(`(1) CPU per pretty line, median of ${ROUNDS} × ${LINES.toLocaleString('en-US')}:`);
out(
  `  before ${median(before).toFixed(2)} µs  (each: ${before.map((t) => t.toFixed(2)).join(', ')})`,
);
out(`  now    ${median(now).toFixed(2)} µs  (each: ${now.map((t) => t.toFixed(2)).join(', ')})`);

const temp = mkdtempSync(join(tmpdir(), 'blockyard-bench-logs-'));
try {
  const compiled = compileBenchChild('bench/lib/p2pNode.ts', 'blockyard-bench-p2p-node');
  const builder = new ChainBuilder(easyParams);
  for (let b = 0; b < AHEAD; b++) builder.mine();
  const file = join(temp, 'ahead.bin');
  writeBlockFile(file, builder.blocks.slice(1));
  const ahead = await startNode({ dataDir: join(temp, 'ahead'), tips: false }, compiled);
  if (!(await ahead.command('load', { file })).ok) throw new Error('the chain was refused');
  const cpu: Record<string, number[]> = { before: [], pretty: [], none: [] };
  for (let r = 0; r < REPEATS; r++) {
    for (const format of Object.keys(cpu)) {
      const env = format === 'none' ? {} : { BENCH_LOG: format };
      const dataDir = join(temp, `fresh-${r}-${format}`);
      const fresh = await startNode({ dataDir, tips: false }, compiled, env);
      const start = (await fresh.command('cpu')).cpuMs as number;
      const registered = await fetch(`${fresh.url}/nodes/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nodes: [ahead.url] }),
      });
      await registered.arrayBuffer();
      const answer = (await (await fetch(`${fresh.url}/nodes/resolve`)).json()) as {
        length: number;
      };
      if (answer.length !== AHEAD + 1) throw new Error(`resolved to ${answer.length} blocks`);
      cpu[format]!.push(((await fresh.command('cpu')).cpuMs as number) - start);
      await fresh.close();
    }
  }
  await ahead.close();
  out(`(2) a fresh node's CPU for register + resolve onto ${AHEAD} blocks, median of ${REPEATS}:`);
  for (const [format, each] of Object.entries(cpu))
    out(
      `  ${format.padEnd(7)} ${median(each).toFixed(1)} ms  (each: ${each.map((t) => t.toFixed(1)).join(', ')})`,
    );
  out(`load average at end: ${load()}`);
} finally {
  rmSync(temp, { recursive: true, force: true });
}
