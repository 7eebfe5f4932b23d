/**
 * A peer that answers a request for blocks a byte at a time (a slow-drip peer): steadily enough
 * never to stall, too slowly ever to finish. The syncing node reads the answer as it comes
 * (blocksAnswer.ts): it holds a block's bytes as decoded, never the chunks they came in (a unit
 * test counts the memory). Here, between real nodes over HTTP: the node syncs the chain from an
 * honest peer meanwhile, keeps answering, and the drip peer is recorded as timing out once its
 * deadline passed, neither scored nor banned (slow is not lying). NOTE: it was asked again for
 * the blocks the honest peer had brought meanwhile, each time with its deadline doubled (a peer
 * that keeps sending is patiently waited for: fetchBatch.ts), for ≈ 11 minutes. As the only
 * peer it was waited on as long; now a batch is asked of it at most MAX_BATCH_ASKS times in
 * BATCH_GIVE_UP_MS, then it is recorded P2P_TOO_SLOW and GET /api/info says the sync stalled.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { errorMeanings } from '../../../src/core/index.js';
import { MAX_BATCH_ASKS } from '../../../src/p2p/fetchBatch.js';
import { alice, bob, type ChainBuilder, fundedChain } from '../../support/chainBuilder.js';
import { type DripPeer, startDripPeer } from '../../support/dripPeer.js';
import { closeNodesAfterEach, get } from '../../support/http.js';
import {
  peerView,
  register,
  startP2pNode,
  submitBlock,
  waitForPeer,
  waitForTip,
} from '../../support/p2p.js';

closeNodesAfterEach();
const drips: DripPeer[] = [];
afterEach(async () => {
  await Promise.all(drips.splice(0).map((d) => d.close()));
});

/** A drip peer (test/support/dripPeer.ts) holding `chain`, closed after the test. */
async function dripPeer(node: Parameters<typeof startDripPeer>[0], chain: ChainBuilder) {
  const drip = await startDripPeer(node, chain);
  drips.push(drip);
  return drip;
}

describe('a peer that drips its blocks answer a byte at a time', () => {
  it('is recorded as timing out, unscored and unbanned; the sync ends from an honest peer', async () => {
    const chain: ChainBuilder = fundedChain();
    for (let i = 0; i < 3; i++) chain.mine({ transfers: [chain.transfer(alice, bob, 1n)] });
    const [node, honest] = await Promise.all([startP2pNode(), startP2pNode()]);
    for (const block of chain.blocks.slice(1)) await submitBlock(honest!, block);
    const tip = honest!.chain.tip.hashHex;
    const { peer, asked, dripping } = await dripPeer(node!, chain);
    await register(node!, [peer.url]);
    // Once the drip is under way, the honest peer too.
    await dripping;
    await register(node!, [honest!]);
    await waitForTip(node!, tip, 60_000);
    // Its deadline passes: the blocks it was dripping came from the honest peer meanwhile, so
    // it is not asked for them again (it was, with doubled deadlines, for ≈ 11 minutes).
    const failed = await waitForPeer(
      node!,
      peer.url,
      (p) => Boolean(p.lastError),
      'to time out',
      60_000,
    );
    process.stdout.write(`a drip peer: ${failed.lastError}; ${asked.length} requests for blocks\n`);
    expect(failed.lastError).toMatch(/^P2P_TIMEOUT/);
    // Each batch in flight asked once (two at most), none asked again.
    const hashes = asked.flatMap((path) =>
      new URLSearchParams(path.split('?')[1]).get('hashes')!.split(','),
    );
    expect(new Set(hashes).size).toBe(hashes.length);
    expect((await get(`${node!.url}/api/info`)).body.tip_hash).toBe(tip);
    expect(await peerView(node!, peer.url)).toMatchObject({
      banned: false,
      score: 0,
      last_error: { code: 'P2P_TIMEOUT' },
    });
  }, 180_000);

  it('as the only peer, is given up on after MAX_BATCH_ASKS deadlines: recorded too slow, and /api/info says the sync stalled', async () => {
    const chain: ChainBuilder = fundedChain();
    for (let i = 0; i < 3; i++) chain.mine({ transfers: [chain.transfer(alice, bob, 1n)] });
    const node = await startP2pNode();
    const { peer, asked } = await dripPeer(node!, chain);
    let askedWhenGivenUp = 0;
    await register(node!, [peer.url]);
    // Each batch was asked of it again, deadline doubled, for ≈ 11 minutes.
    const failed = await waitForPeer(
      node!,
      peer.url,
      (p) => {
        askedWhenGivenUp = asked.length;
        return p.lastErrorCode === 'P2P_TOO_SLOW';
      },
      'to be given up on as too slow',
      120_000,
    );
    const info = (await get(`${node!.url}/api/info`)).body;
    process.stdout.write(
      `a drip peer alone: ${failed.lastError}; ${askedWhenGivenUp} requests for blocks; /api/info sync ${JSON.stringify(info.sync)}\n`,
    );
    // Each batch (two are in flight) asked at most MAX_BATCH_ASKS times, and the one that
    // ended the download that many times.
    const asks = new Map<string, number>();
    for (const path of asked.slice(0, askedWhenGivenUp)) asks.set(path, (asks.get(path) ?? 0) + 1);
    expect(Math.max(...asks.values())).toBe(MAX_BATCH_ASKS);
    expect(info.height).toBeLessThan(chain.blocks.length - 1);
    expect(info).toMatchObject({
      sync: {
        syncing: false,
        stalled: { peer: peer.url, code: 'P2P_TOO_SLOW', target_height: chain.blocks.length - 1 },
      },
    });
    // The peer list the dashboard shows (web/src/pages/network/PeerList.tsx) says why.
    expect(await peerView(node!, peer.url)).toMatchObject({
      banned: false,
      score: 0,
      last_error: { code: 'P2P_TOO_SLOW', meaning: errorMeanings.P2P_TOO_SLOW },
    });
  }, 180_000);
});
