/**
 * An announced block that extends a block the node has is fetched at once, with no headers page
 * first (src/p2p/directFetch.ts, BIP 130's direct fetch); announced by several peers, it is
 * fetched once; invalid, it bans its sender as a sync would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { blockHashHex, encodeHeader, toHex } from '../../../src/core/index.js';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import { bob, ChainBuilder, miner } from '../../support/chainBuilder.js';
import { chainRoutes, type FakePeer, headersRoute, startFakePeer } from '../../support/fakePeer.js';
import { closeNodesAfterEach, postJson } from '../../support/http.js';
import { mine, register, startP2pNode, waitForPeer, waitForTip } from '../../support/p2p.js';

closeNodesAfterEach();
const fakes: FakePeer[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

function countRequests(node: BlockyardNode): Map<string, number> {
  const counts = new Map<string, number>();
  node.app.server.on('request', (request: { url?: string }) => {
    const path = (request.url ?? '').split('?')[0]!;
    counts.set(path, (counts.get(path) ?? 0) + 1);
  });
  return counts;
}

/** A fake peer whose headers page is empty (its first sync finds nothing) and serves `blocks`. */
async function fakeServing(node: BlockyardNode, blocks: ChainBuilder['blocks']) {
  const peer = await startFakePeer(node, {
    routes: { ...chainRoutes(blocks), ...headersRoute([]) },
  });
  fakes.push(peer);
  await register(node, [peer.url]);
  await node.network.sync(peer.url, { join: true }); // the sync the greeting started
  return peer;
}

const announce = (node: BlockyardNode, peer: FakePeer, header: string) =>
  postJson(`${node.url}/api/p2p/announce`, { port: peer.port, headers: [header] });

describe('direct fetch', () => {
  it('a mined block reaches a peer by one request for its body, no headers page', async () => {
    const [a, b] = [await startP2pNode(), await startP2pNode()];
    await register(b, [a]);
    await b.network.sync(a.url, { join: true });
    const counts = countRequests(a);
    await mine(a);
    await waitForTip(b, a.chain.tip.hashHex);
    expect(counts.get('/api/p2p/blocks')).toBe(1);
    expect(counts.get('/api/p2p/headers')).toBeUndefined();
  });

  it('fetches a block announced by two peers at once from one of them', async () => {
    const node = await startP2pNode();
    const chain = new ChainBuilder().mineEmpty(1);
    const [one, two] = [
      await fakeServing(node, chain.blocks),
      await fakeServing(node, chain.blocks),
    ];
    const header = toHex(encodeHeader(chain.blocks[1]!.header));
    const answers = await Promise.all([announce(node, one, header), announce(node, two, header)]);
    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    await waitForTip(node, blockHashHex(chain.blocks[1]!.header));
    const fetched = [...one.requests, ...two.requests].filter((r) => r === 'GET /api/p2p/blocks');
    expect(fetched).toHaveLength(1);
  });

  it('an announced block with a bad signature bans its sender, as a sync would', async () => {
    const node = await startP2pNode();
    const chain = new ChainBuilder().mineEmpty(1);
    const honest = chain.transfer(miner, bob, 5n);
    const signature = Uint8Array.from(honest.signature);
    signature[10]! ^= 0x01;
    const forged = chain.next({ transfers: [{ ...honest, signature }] });
    expect((await node.chain.addBlock(chain.blocks[1]!)).ok).toBe(true);
    const peer = await fakeServing(node, [...chain.blocks, forged]);
    const before = peer.requests.length;
    const answer = await announce(node, peer, toHex(encodeHeader(forged.header)));
    expect(answer.status).toBe(202);
    const banned = await waitForPeer(node, peer.url, (_p, isBanned) => isBanned, 'to be banned');
    expect(banned.lastError).toMatch(/^TX_BAD_SIGNATURE/);
    expect(node.chain.tip.header.height).toBe(1);
    expect(peer.requests.slice(before)).toEqual(['GET /api/p2p/blocks']);
  });
});
