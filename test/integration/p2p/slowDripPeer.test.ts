/**
 * A peer that answers a request for blocks a byte at a time (a slow-drip peer): steadily enough
 * never to stall, too slowly ever to finish. The syncing node reads the answer as it comes
 * (blocksAnswer.ts): it holds a block's bytes as decoded, never the chunks they came in (a unit
 * test counts the memory). Here, between real nodes over HTTP: the node syncs the chain from an
 * honest peer meanwhile, keeps answering, and the drip peer is recorded as timing out once its
 * deadline passed, neither scored nor banned (slow is not lying). NOTE: it was asked again for
 * the blocks the honest peer had brought meanwhile, each time with its deadline doubled (a peer
 * that keeps sending is patiently waited for: fetchBatch.ts), for ≈ 11 minutes.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBlock, toHex } from '../../../src/core/index.js';
import { alice, bob, type ChainBuilder, fundedChain } from '../../support/chainBuilder.js';
import { chainRoutes, type FakePeer, startFakePeer } from '../../support/fakePeer.js';
import { closeNodesAfterEach, get } from '../../support/http.js';
import { hexOf } from '../../support/nodeFixtures.js';
import {
  peerView,
  register,
  startP2pNode,
  submitBlock,
  waitForPeer,
  waitForTip,
} from '../../support/p2p.js';

closeNodesAfterEach();
const fakes: FakePeer[] = [];
const drips: (() => void)[] = [];
afterEach(async () => {
  for (const stop of drips.splice(0)) stop();
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** Writes `text` one byte a write, `everyMs` apart, until done or the connection closes. */
function drip(res: ServerResponse, text: string, everyMs: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  let at = 0;
  const timer = setInterval(() => {
    if (res.destroyed || at >= text.length) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(text[at++]!);
  }, everyMs);
  res.on('close', () => clearInterval(timer));
  drips.push(() => clearInterval(timer));
}

/**
 * A byte this often: never a stall (STALL_MS, 2 s), never a whole answer in its deadline (7 s
 * for a block: fetchBatch.ts batchDeadlines; the smallest block here is 300 characters).
 */
const DRIP_MS = 50;

describe('a peer that drips its blocks answer a byte at a time', () => {
  it('is recorded as timing out, unscored and unbanned; the sync ends from an honest peer', async () => {
    const chain: ChainBuilder = fundedChain();
    for (let i = 0; i < 3; i++) chain.mine({ transfers: [chain.transfer(alice, bob, 1n)] });
    const [node, honest] = await Promise.all([startP2pNode(), startP2pNode()]);
    for (const block of chain.blocks.slice(1)) await submitBlock(honest!, block);
    const tip = honest!.chain.tip.hashHex;
    const asked: string[] = [];
    let started = () => {};
    const dripping = new Promise<void>((resolve) => {
      started = resolve;
    });
    const honestRoutes = chainRoutes(chain.blocks);
    const peer = await startFakePeer(node!, {
      routes: {
        ...honestRoutes,
        'GET /api/p2p/blocks': (req, res, query) => {
          asked.push(req.url!);
          // The blocks asked for, as an honest peer would answer them: only slowly.
          const hexes = (query.get('hashes') ?? '').split(',').map((hash) => {
            const block = chain.blocks.find((b) => hexOf(b) === hash);
            return block ? toHex(encodeBlock(block)) : '';
          });
          drip(res, JSON.stringify({ blocks: hexes }), DRIP_MS);
          started();
        },
      },
    });
    fakes.push(peer);
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
});
