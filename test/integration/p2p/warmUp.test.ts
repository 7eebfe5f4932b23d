/**
 * A node started with `warmUp` (as `blockyard node` starts) calls itself once through the
 * client it calls peers with (src/node/warmUp.ts): the call is answered, and leaves nothing
 * behind, neither a connection nor a peer, and the node adopts a longer chain as any other;
 * then the node collects what its start left (a full collection), so its first sync does not.
 */
import { createServer } from 'node:net';
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { selfUrl, warmHttp } from '../../../src/node/warmUp.js';
import { ChainBuilder, easyParams } from '../../support/chainBuilder.js';
import { closeNodesAfterEach, get } from '../../support/http.js';
import { register, startP2pNode, waitUntil } from '../../support/p2p.js';

closeNodesAfterEach();

/** The number of connections `node`'s server holds now. */
const connections = (node: Awaited<ReturnType<typeof startP2pNode>>) =>
  new Promise<number>((resolve, reject) =>
    node.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );

/** A loopback port nothing listens on (one just closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Full collections forced (a gc() call) in this process while `start` runs. */
async function forcedCollectionsDuring(start: () => Promise<unknown>): Promise<number> {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  await start();
  // Node makes a collection's entry on the turn after it (an immediate): one turn, then the rest.
  await new Promise((resolve) => setImmediate(resolve));
  entries.push(...observer.takeRecords());
  observer.disconnect();
  return entries.filter((entry) => {
    const { kind, flags } = (entry as unknown as { detail: { kind: number; flags: number } })
      .detail;
    return (
      kind === constants.NODE_PERFORMANCE_GC_MAJOR &&
      flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED
    );
  }).length;
}

describe('the start garbage collection', () => {
  it('runs once when the node warms up, not otherwise (tests)', async () => {
    expect(await forcedCollectionsDuring(() => startP2pNode({ warmUp: true }))).toBe(1);
    expect(await forcedCollectionsDuring(() => startP2pNode())).toBe(0);
  });
});

describe('the warm-up call', () => {
  it('is answered by the node itself, and leaves no connection and no peer', async () => {
    const node = await startP2pNode({ warmUp: true });
    expect(node.warmed).toBe(true);
    await waitUntil(async () => (await connections(node)) === 0, 'the warm-up connection closed');
    expect(node.network.peers.list()).toEqual([]);
    expect((await get(`${node.url}/nodes/get`)).body.nodes).toEqual([]);
  });

  it('is not made unless asked for', async () => {
    const node = await startP2pNode();
    expect(node.warmed).toBe(false);
  });

  it('leaves the adoption of a longer chain as it was', async () => {
    const builder = new ChainBuilder(easyParams);
    for (let i = 0; i < 5; i++) builder.mine();
    const ahead = await startP2pNode();
    for (const block of builder.blocks.slice(1)) await ahead.chain.addBlock(block);
    const fresh = await startP2pNode({ warmUp: true });
    await register(fresh, [ahead]);
    const resolved = await get(`${fresh.url}/nodes/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.body.length).toBe(6);
    expect(fresh.chain.tip.hashHex).toBe(ahead.chain.tip.hashHex);
    expect(fresh.network.peers.list().map((p) => p.url)).toEqual([ahead.url]);
  });

  it('makes two calls on one kept-alive connection, as calls to a peer go, then closes it', async () => {
    const node = await startP2pNode();
    let opened = 0;
    const paths: string[] = [];
    node.app.server.on('connection', () => opened++);
    node.app.server.on('request', (request: { url?: string }) => paths.push(request.url ?? ''));
    expect(await warmHttp(node.url)).toBe(true);
    expect(paths).toEqual(['/api/p2p/hello', '/api/p2p/hello']);
    expect(opened).toBe(1);
    await waitUntil(async () => (await connections(node)) === 0, 'the warm-up connection closed');
  });

  it('is not made once the node closes (its signal)', async () => {
    const node = await startP2pNode();
    const paths: string[] = [];
    node.app.server.on('request', (request: { url?: string }) => paths.push(request.url ?? ''));
    expect(await warmHttp(node.url, AbortSignal.abort())).toBe(false);
    expect(paths).toEqual([]);
  });

  it('fails quietly where nothing answers', async () => {
    expect(await warmHttp(`http://127.0.0.1:${await closedPort()}`)).toBe(false);
  });
});

describe('selfUrl', () => {
  it('calls a node listening on every interface over loopback, any other at its address', () => {
    expect(selfUrl('0.0.0.0', 5000)).toBe('http://127.0.0.1:5000');
    expect(selfUrl('::', 5000)).toBe('http://[::1]:5000');
    expect(selfUrl('127.0.0.1', 5001)).toBe('http://127.0.0.1:5001');
    expect(selfUrl('192.168.1.20', 5000)).toBe('http://192.168.1.20:5000');
    expect(selfUrl('::1', 5000)).toBe('http://[::1]:5000');
  });
});
