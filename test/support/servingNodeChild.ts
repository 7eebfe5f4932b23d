/**
 * A node in a child process that only serves its data directory's chain (no mining), for tests
 * that slow a real node down with SIGSTOP/SIGCONT: `node --import tsx
 * test/support/servingNodeChild.ts <dataDir>` prints `{"url"}` on stdout once it listens. With
 * `pause-on-blocks`, it stops itself (SIGSTOP) on every request for blocks, before it has read
 * it, after printing `{"paused": n, "path"}` (the request's path and query): the parent sends
 * SIGCONT when it wants it to go on (a node whose own thread is busy for a while whenever it is
 * asked for blocks), or SIGKILL (a node that dies holding a request). With `pause-once-on-blocks
 * n`, it does that once, on its n-th request for blocks (a peer that stops mid-sync, after it
 * served some). With `report-tips`, it prints `{"tip": height}` each time its chain's tip changes
 * (a node to kill mid-sync), and `{"peer", "error"}` each time a peer's last error changes. With
 * `kill-after-batch n`, it kills itself (SIGKILL) as soon as its n-th answer to POST
 * /api/tx/batch is handed to the kernel: no grace at all between an answer and the crash.
 */
import { createNode } from '../../src/node/createNode.js';
import { easyParams } from './chainBuilder.js';

const [dataDir, mode] = process.argv.slice(2);
if (!dataDir)
  throw new Error(
    'usage: servingNodeChild.ts <dataDir> [pause-on-blocks | pause-once-on-blocks n | report-tips | kill-after-batch n]',
  );

const node = await createNode({ params: easyParams, dataDir, host: '127.0.0.1', port: 0 });
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
if (mode === 'pause-on-blocks' || mode === 'pause-once-on-blocks') {
  const once = mode === 'pause-once-on-blocks' ? Number(process.argv[4] ?? 1) : undefined;
  let asked = 0;
  let paused = 0;
  // Before fastify's own listener: nothing of the answer is written before the pause.
  node.app.server.prependListener('request', (request) => {
    if (!request.url?.startsWith('/api/p2p/blocks')) return;
    if (once !== undefined && ++asked !== once) return;
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
if (mode === 'report-tips') {
  node.chain.on('tip', (entry) => say({ tip: entry.header.height }));
  const lastErrors = new Map<string, string | undefined>();
  node.network.peers.on('changed', (peer) => {
    if (lastErrors.get(peer.url) === peer.lastErrorCode) return;
    lastErrors.set(peer.url, peer.lastErrorCode);
    if (peer.lastErrorCode) say({ peer: peer.url, error: peer.lastErrorCode });
  });
}
say({ url: node.url });
process.once('SIGTERM', () => void node.close().then(() => process.exit(0)));
