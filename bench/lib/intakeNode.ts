/**
 * A node for bench/intake.ts in its own process, so that the load generator does not share its
 * event loop: `node --import tsx bench/lib/intakeNode.ts <mempoolMaxCount>`. Easy proof of work
 * (test/support/chainBuilder.ts), memory store, 127.0.0.1 on a free port, no miner threads.
 *
 * Protocol on stdio, one JSON line each: it prints `{"url"}` once listening; then for every line
 * it reads on stdin it prints what it has spent since the previous one: `{"cpuMs", "elu",
 * "mempool"}` (CPU of the whole process, libuv's verify threads included; the event loop's
 * utilisation, 1 = the main thread never idle). It exits when stdin closes.
 */
import { createInterface } from 'node:readline';
import { createNode } from '../../src/node/createNode.js';
import { createInlineNonceSearch } from '../../src/node/inlineNonceSearch.js';
import { easyParams } from '../../test/support/chainBuilder.js';

const mempoolMaxCount = Number(process.argv[2] ?? 50_000);
const node = await createNode({
  params: easyParams,
  host: '127.0.0.1',
  port: 0,
  mempoolMaxCount,
  // No worker pool: the bench submits its blocks, and idle miner threads would only take memory.
  search: createInlineNonceSearch(),
});
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

let cpu = process.cpuUsage();
let elu = performance.eventLoopUtilization();
const lines = createInterface({ input: process.stdin });
lines.on('line', () => {
  const used = process.cpuUsage(cpu);
  const loop = performance.eventLoopUtilization(elu);
  cpu = process.cpuUsage();
  elu = performance.eventLoopUtilization();
  say({
    cpuMs: (used.user + used.system) / 1000,
    elu: loop.utilization,
    mempool: node.mempool.size,
  });
});
lines.on('close', () => {
  void node.close().then(() => process.exit(0));
});
say({ url: node.url });
