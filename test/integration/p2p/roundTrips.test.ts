/**
 * The round trips a node makes to adopt a peer's blocks, counted
 * at the peer that answers them: a short branch is one headers page and its bodies asked for
 * together (no second headers page to hear there is nothing more).
 */
import { describe, expect, it } from 'vitest';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import { syncFromPeer } from '../../../src/p2p/sync.js';
import { ChainBuilder, defaultNowMs, easyParams } from '../../support/chainBuilder.js';
import { closeNodesAfterEach } from '../../support/http.js';
import { afterGenesis, feed, openChain } from '../../support/nodeFixtures.js';
import { startP2pNode } from '../../support/p2p.js';

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
});
