/**
 * A peer that stops sending in the middle of a download (Bitcoin Core calls it stalling): the
 * node drops it from that download within seconds (src/p2p/sync.ts, STALL_MS), scores it, and
 * the download goes on from another peer at once. The staller is a fake peer that serves an
 * honest chain, then answers a request for blocks with the start of its answer and nothing more,
 * holding the connection open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { STALL_MS } from '../../../src/p2p/sync.js';
import { ChainBuilder } from '../../support/chainBuilder.js';
import { chainRoutes, type FakePeer, startFakePeer } from '../../support/fakePeer.js';
import { closeNodesAfterEach } from '../../support/http.js';
import { hexOf } from '../../support/nodeFixtures.js';
import { peerView, startP2pNode, waitForTip } from '../../support/p2p.js';

closeNodesAfterEach();
const fakes: FakePeer[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

describe('a peer that stalls mid-download', () => {
  it('is dropped from the download within seconds, and another peer finishes it', async () => {
    const builder = new ChainBuilder().mineEmpty(40);
    const honest = await startP2pNode();
    for (const block of builder.blocks.slice(1)) await honest.chain.addBlock(block);
    const serve = chainRoutes(builder.blocks);
    let calls = 0;
    let stalledAt = 0;
    let stalled: () => void = () => {};
    const stalling = new Promise<void>((resolve) => {
      stalled = resolve;
    });
    const staller = await startFakePeer(honest, {
      routes: {
        ...serve,
        'GET /api/p2p/blocks': (req, res, query) => {
          // The first two batches (1 and 2 blocks) whole; then the first bytes of an answer, and
          // nothing more (a later sync from it, which the node may try again, stalls the same way).
          if (++calls < 3) return serve['GET /api/p2p/blocks']!(req, res, query);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"blocks":["');
          if (stalledAt === 0) stalledAt = performance.now();
          stalled();
        },
      },
    });
    fakes.push(staller);

    const node = await startP2pNode();
    // The honest peer is in the node's book, but knows nothing of the node: nothing it does
    // starts a sync, only the node's own decision to move the download does.
    expect(node.network.peers.add(honest.url).ok).toBe(true);
    const registered = await node.network.register([staller.url]);
    expect(registered.ok && registered.value[0]?.status).toBe('connected');
    await stalling;
    expect(node.chain.tip.header.height).toBeLessThan(40);
    await waitForTip(node, hexOf(builder.tip), 30_000);
    const movedAfterMs = performance.now() - stalledAt;
    process.stdout.write(
      `stall: the download moved off the stalling peer and finished ${Math.round(movedAfterMs)} ms after it stopped sending (STALL_MS ${STALL_MS})\n`,
    );
    expect(movedAfterMs).toBeGreaterThanOrEqual(STALL_MS - 50);
    expect(movedAfterMs).toBeLessThan(STALL_MS + 8_000);
    const view = await peerView(node, staller.url);
    // Stalling is being away, not lying: its state changes, not its score.
    expect(view.last_error.code).toBe('P2P_TIMEOUT');
    expect(node.network.peers.get(staller.url)?.lastError).toMatch(/^P2P_TIMEOUT.*stalled/);
    expect(view).toMatchObject({ banned: false, score: 0 });
  });
});
