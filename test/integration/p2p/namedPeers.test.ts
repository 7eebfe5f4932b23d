/**
 * Peers the operator names are kept and retried until removed (Bitcoin Core's `addnode`), so a
 * class can start its nodes in any order; bans come only from misbehaviour, with the reason
 * shown and a way to lift them.
 */
import { describe, expect, it } from 'vitest';
import { closeNodesAfterEach, get, postJson, stopNode } from '../../support/http.js';
import {
  mine,
  peerView,
  register,
  startP2pNode,
  waitForPeer,
  waitForTip,
} from '../../support/p2p.js';

closeNodesAfterEach();

/** A URL on 127.0.0.1 where nothing listens now, and its port (free a moment ago). */
async function freeUrl(): Promise<{ url: string; port: number }> {
  const probe = await startP2pNode();
  const { url } = probe;
  await stopNode(probe);
  return { url, port: Number(new URL(url).port) };
}

describe('a peer registered before it runs', () => {
  it('answers 201 with its state, retries within about a second, and connects once it is up', async () => {
    const a = await startP2pNode();
    const { url, port } = await freeUrl();
    const answer = await register(a, [url]);
    expect(answer.nodes).toEqual([
      expect.objectContaining({
        url,
        status: 'retrying',
        state: 'not answering yet: will keep trying',
        error: expect.objectContaining({ code: 'P2P_UNREACHABLE' }),
      }),
    ]);
    expect(answer.total_nodes).toEqual([url]);
    // The first retry comes within about a second, and nothing is scored.
    const started = performance.now();
    await waitForPeer(a, url, (p) => p.failures >= 2, 'to be retried', 3_000);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await peerView(a, url)).toMatchObject({
      named: true,
      score: 0,
      banned: false,
      state: 'not answering',
    });

    // It starts, with a chain of its own: a finds it and takes its chain.
    const b = await startP2pNode({ port });
    const block = await mine(b);
    await waitForPeer(a, url, (p) => p.answering, 'to connect', 10_000);
    await waitForTip(a, block.hash, 10_000);
    expect(await peerView(a, url)).toMatchObject({ state: 'answering', tip_hash: block.hash });
  });

  it('--peers naming a node that is not up yet: connects once it is', async () => {
    const { url, port } = await freeUrl();
    const a = await startP2pNode({ peers: [url] });
    await waitForPeer(a, url, (p) => p.failures >= 1, 'to fail a first time');
    const b = await startP2pNode({ port });
    await waitForPeer(a, url, (p) => p.answering, 'to connect', 10_000);
    // And b learns of a by a's greeting, verified by calling a back.
    await waitForPeer(b, a.url, (p) => p.answering, 'to know a', 10_000);
  });

  it('is called at once when it calls us, not at the end of its backoff', async () => {
    const { url, port } = await freeUrl();
    const a = await startP2pNode();
    await register(a, [url]);
    // Four failures: the next retry is 4 to 8 s away.
    await waitForPeer(a, url, (p) => p.failures >= 4, 'to back off', 15_000);
    const b = await startP2pNode({ port, peers: [a.url] });
    const started = performance.now();
    await waitForPeer(a, url, (p) => p.answering, 'to connect when it calls', 10_000);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(b.network.peers.get(a.url)?.answering).toBe(true);
  });

  it('still refuses a malformed URL (400) and the node itself (P2P_SELF)', async () => {
    const a = await startP2pNode();
    const bad = await postJson(`${a.url}/nodes/register`, { nodes: ['http://x:1/a?b'] });
    expect({ status: bad.status, code: bad.body.error.code }).toEqual({
      status: 400,
      code: 'P2P_BAD_URL',
    });
    const self = await postJson(`${a.url}/nodes/register`, { nodes: [a.url] });
    expect({ status: self.status, code: self.body.error.code }).toEqual({
      status: 422,
      code: 'P2P_SELF',
    });
    expect(a.network.peers.list()).toEqual([]);
  });
});

describe('bans', () => {
  it('shows why a peer is banned, and the operator can lift it', async () => {
    const [a, b] = [await startP2pNode(), await startP2pNode()];
    await register(a, [b]);
    a.network.peers.penalize(
      b.url,
      'BLOCK_BAD_MERKLE_ROOT',
      `block 00ff at ${b.url}/api/p2p/blocks?hashes=${'ab'.repeat(32)}`,
      100,
    );
    const banned = await peerView(a, b.url);
    expect(banned).toMatchObject({ banned: true, state: 'banned', answering: false });
    expect(banned.ban_reason).toMatch(/^BLOCK_BAD_MERKLE_ROOT: block 00ff at …$/);
    expect(banned.last_error).toMatchObject({ code: 'BLOCK_BAD_MERKLE_ROOT' });
    // A banned peer registered again stays banned, and says how to lift it.
    const again = await register(a, [b]);
    expect(again.nodes[0]).toMatchObject({
      status: 'banned',
      state: expect.stringMatching(/POST \/nodes\/unban/),
    });

    const lifted = await postJson(`${a.url}/nodes/unban`, { nodes: [b.url] });
    expect(lifted.status).toBe(200);
    expect(lifted.body.unbanned).toEqual([b.url]);
    await waitForPeer(a, b.url, (p) => p.answering, 'to be called again');
    expect(await peerView(a, b.url)).toMatchObject({ banned: false, score: 0, ban_reason: null });
    const unknown = await postJson(`${a.url}/nodes/unban`, { nodes: ['127.0.0.1:1'] });
    expect(unknown.status).toBe(404);
  });

  it('a peer that is away is never banned, however long it is away', async () => {
    const a = await startP2pNode();
    const { url } = await freeUrl();
    await register(a, [url]);
    for (let i = 0; i < 50; i++)
      a.network.recordFailure(url, { code: 'P2P_TIMEOUT', detail: 'a test' });
    expect(await peerView(a, url)).toMatchObject({
      banned: false,
      score: 0,
      failures: expect.any(Number),
    });
    expect((await get(`${a.url}/nodes/get`)).body.nodes).toEqual([url]);
  });
});
