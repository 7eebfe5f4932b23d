/**
 * The round trips a node makes to adopt a peer's blocks, and the messages gossip sends, counted
 * at the peer that answers them: a short branch is one headers page and its bodies asked for
 * together (no second headers page to hear there is nothing more), and transfers accepted
 * together are announced together, not one message each.
 */
import { describe, expect, it } from 'vitest';
import { signTransfer, type Transfer } from '../../../src/core/index.js';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import { syncFromPeer } from '../../../src/p2p/sync.js';
import { bob, ChainBuilder, defaultNowMs, easyParams } from '../../support/chainBuilder.js';
import { closeNodesAfterEach } from '../../support/http.js';
import { afterGenesis, feed, openChain } from '../../support/nodeFixtures.js';
import {
  mine,
  register,
  startP2pNode,
  startP2pNodes,
  waitForAll,
  waitForEvent,
} from '../../support/p2p.js';

closeNodesAfterEach();

/** Counts the requests `node` answers, by path, from now on. */
function countRequests(node: BlockyardNode): Map<string, number> {
  const counts = new Map<string, number>();
  node.app.server.on('request', (request: { url?: string }) => {
    const path = (request.url ?? '').split('?')[0]!;
    counts.set(path, (counts.get(path) ?? 0) + 1);
  });
  return counts;
}

describe('round trips', () => {
  it('syncs a 20-block branch with one headers page and the bodies in 1, 2, 4, 8, 5', async () => {
    const builder = new ChainBuilder(easyParams);
    for (let i = 0; i < 20; i++) builder.mine();
    const peer = await startP2pNode({ params: easyParams });
    await feed(peer.chain, afterGenesis(builder));
    const counts = countRequests(peer);

    const chain = await openChain();
    const synced = await syncFromPeer(
      { chain, now: () => defaultNowMs(easyParams), timeoutMs: 5_000 },
      peer.url,
    );
    expect(synced).toEqual({ ok: true, value: { headers: 20, blocks: 20 } });
    expect(chain.tip.hashHex).toBe(peer.chain.tip.hashHex);
    expect(Object.fromEntries(counts)).toEqual({ '/api/p2p/headers': 1, '/api/p2p/blocks': 5 });
  });

  it('announces transfers accepted together in at most two messages, not one each', async () => {
    const [a, b] = (await startP2pNodes(2)) as [BlockyardNode, BlockyardNode];
    await register(b, [a]);
    const funding = await mine(a);
    await waitForAll([a, b], funding.hash);
    const counts = countRequests(b);

    const transfers: Transfer[] = Array.from({ length: 20 }, (_, i) =>
      signTransfer(
        {
          type: 'transfer',
          chainId: easyParams.chainId,
          from: a.nodeKey.publicKey,
          to: bob.key,
          amount: 1_000n,
          fee: 1_000n,
          nonce: BigInt(i),
        },
        a.nodeKey.secretKey,
      ),
    );
    const added = await a.mempool.addBatch(transfers);
    expect(added.every((result) => result.ok)).toBe(true);
    await waitForEvent(b.mempool, 'added', () => b.mempool.size === 20, 'all 20 at b');
    // The first goes at once; what is accepted while it is on its way goes in the next.
    const announces = counts.get('/api/p2p/announce') ?? 0;
    expect(announces).toBeGreaterThanOrEqual(1);
    expect(announces).toBeLessThanOrEqual(2);
  });
});
