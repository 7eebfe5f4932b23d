/**
 * A node in a child process that only serves its data directory's chain (no mining), for tests
 * that slow a real node down with SIGSTOP/SIGCONT: `node --import tsx
 * test/support/servingNodeChild.ts <dataDir>` prints `{"url"}` on stdout once it listens. With
 * `pause-on-blocks`, it stops itself (SIGSTOP) on every request for blocks, before it has read
 * it, after printing `{"paused": n, "path"}` (the request's path and query): the parent sends
 * SIGCONT when it wants it to go on (a node whose own thread is busy for a while whenever it is
 * asked for blocks), or SIGKILL (a node that dies holding a request). With `report-tips`, it
 * prints `{"tip": height}` each time its chain's tip changes (a node to kill mid-sync). With
 * `kill-after-batch n`, it kills itself (SIGKILL) as soon as its n-th answer to POST
 * /api/tx/batch is handed to the kernel: no grace at all between an answer and the crash.
 */
import { createNode } from '../../src/node/createNode.js';
import { easyParams } from './chainBuilder.js';

const [dataDir, mode] = process.argv.slice(2);
if (!dataDir)
  throw new Error(
    'usage: servingNodeChild.ts <dataDir> [pause-on-blocks | report-tips | kill-after-batch n]',
  );

const node = await createNode({ params: easyParams, dataDir, host: '127.0.0.1', port: 0 });
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
if (mode === 'pause-on-blocks') {
  let paused = 0;
  // Before fastify's own listener: nothing of the answer is written before the pause.
  node.app.server.prependListener('request', (request) => {
    if (!request.url?.startsWith('/api/p2p/blocks')) return;
    // stdout is a pipe, written synchronously: the parent has the line before the stop.
    say({ paused: ++paused, path: request.url });
    process.kill(process.pid, 'SIGSTOP');
  });
}
if (mode === 'kill-after-batch') {
  const last = Number(process.argv[4] ?? 1);
  let answered = 0;
  node.app.server.prependListener('request', (request, response) => {
    if (request.method !== 'POST' || request.url !== '/api/tx/batch') return;
    // 'finish': the whole answer is in the socket's kernel buffer, which outlives the process.
    response.once('finish', () => {
      if (++answered >= last) process.kill(process.pid, 'SIGKILL');
    });
  });
}
if (mode === 'report-tips') node.chain.on('tip', (entry) => say({ tip: entry.header.height }));
say({ url: node.url });
process.once('SIGTERM', () => void node.close().then(() => process.exit(0)));
