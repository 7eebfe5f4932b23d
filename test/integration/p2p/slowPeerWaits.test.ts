/**
 * A peer a sync gave up on as too slow (P2P_TOO_SLOW) is not asked for blocks again at every
 * ping: syncs from it wait (syncDriver.ts SLOW_WAIT_FIRST_MS, doubling). NOTE: it answered every
 * ping, so each ping, or the greeting that followed the give-up, started a sync that stalled or
 * dripped for up to 45 s more: asked for the same blocks without end. The wait ends at once when
 * the peer greets us (it restarted: it may be fast now), and the operator's sync (GET
 * /nodes/resolve) does not wait. Counted in ping rounds, not time.
 *
 * Here a real node's only peer stalls on every request for blocks (test/support/dripPeer.ts), so
 * a sync gives up on it after 3 requests; the node pings it every PING_MS below.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { alice, bob, type ChainBuilder, fundedChain } from '../../support/chainBuilder.js';
import { type DripPeer, registerUntilGivenUp, startDripPeer } from '../../support/dripPeer.js';
import { closeNodesAfterEach, get, postJson } from '../../support/http.js';
import { startP2pNode, waitUntil } from '../../support/p2p.js';

closeNodesAfterEach();
const drips: DripPeer[] = [];
afterEach(async () => {
  await Promise.all(drips.splice(0).map((d) => d.close()));
});

const PING_MS = 200;
/** Ping rounds watched after the give-up: 3 s at PING_MS, a tenth of SLOW_WAIT_FIRST_MS. */
const ROUNDS = 15;

const count = (requests: readonly string[], key: string) =>
  requests.filter((r) => r === key).length;

async function stalledOnlyPeer() {
  const chain: ChainBuilder = fundedChain();
  for (let i = 0; i < 3; i++) chain.mine({ transfers: [chain.transfer(alice, bob, 1n)] });
  const node = await startP2pNode({ pingIntervalMs: PING_MS });
  const drip = await startDripPeer(node, chain, Number.POSITIVE_INFINITY);
  drips.push(drip);
  await registerUntilGivenUp(node, drip, 60_000);
  const { requests } = drip.peer;
  const at = {
    headers: count(requests, 'GET /api/p2p/headers'),
    blocks: count(requests, 'GET /api/p2p/blocks'),
    pings: count(requests, 'GET /api/p2p/hello'),
  };
  // Ping rounds go by: the peer answers each (it is greeted again first, then pinged).
  await waitUntil(
    () => count(requests, 'GET /api/p2p/hello') >= at.pings + ROUNDS,
    `${ROUNDS} pings`,
    60_000,
  );
  const headersSince = count(requests, 'GET /api/p2p/headers') - at.headers;
  const blocksSince = count(requests, 'GET /api/p2p/blocks') - at.blocks;
  process.stdout.write(
    `a too-slow peer over ${ROUNDS} pings after the give-up: ${headersSince} syncs started, ${blocksSince} requests for blocks\n`,
  );
  return { chain, node, drip, headersSince, blocksSince };
}

describe('a peer given up on as too slow', () => {
  it('is not synced from at every ping; its hello ends the wait, and the sync then completes', async () => {
    const { chain, node, drip, headersSince, blocksSince } = await stalledOnlyPeer();
    expect(headersSince).toBe(0);
    expect(blocksSince).toBe(0);
    expect((await get(`${node.url}/api/info`)).body.sync.stalled).toMatchObject({
      peer: drip.peer.url,
      code: 'P2P_TOO_SLOW',
    });

    // It comes back fast, and says hello (as a node that restarted does).
    drip.whole();
    const hello = (await get(`${drip.peer.url}/api/p2p/hello`)).body;
    expect((await postJson(`${node.url}/api/p2p/hello`, hello)).status).toBe(200);
    const tip = chain.blocks.length - 1;
    await waitUntil(() => node.chain.tip.header.height === tip, 'the sync to complete', 30_000);
    expect((await get(`${node.url}/api/info`)).body.sync.stalled).toBeUndefined();
  }, 120_000);

  it('is synced from at once when the operator asks (GET /nodes/resolve)', async () => {
    const { chain, node, drip } = await stalledOnlyPeer();
    drip.whole();
    const resolved = await get(`${node.url}/nodes/resolve`);
    expect(resolved.status).toBe(200);
    expect(node.chain.tip.header.height).toBe(chain.blocks.length - 1);
  }, 120_000);
});
