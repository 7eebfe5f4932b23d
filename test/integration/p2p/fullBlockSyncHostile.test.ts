/**
 * A sync of full 1 MB blocks (6,368 transfers each) from a peer that goes away in the middle of
 * it, while a second peer holds the same chain. Big blocks come in batches of 2 (fetchBodies.ts,
 * BATCH_HEX_CHARS), a branch no other hostile test takes. Every node is a real process: the
 * peer that goes away stops itself (SIGSTOP) on its third request for blocks, after it served
 * the first ones; then (a) it is woken (SIGCONT) after the syncing node has given up on it, or
 * (b) killed (SIGKILL). The syncing node must end on the whole chain (the rest from the other
 * peer), answer GET /api/info all along, keep its memory within bounds, not score the peer that
 * went away, and reopen on a chain that is whole: valid from genesis, its accounts and
 * transaction index agreeing with it (no block half connected).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { get } from '../../support/http.js';
import {
  type Child,
  copyOf,
  emptyDir,
  expectWholeChain,
  fullBlockChain,
  peakRss,
  peerRecord,
  pollInfo,
  registerAt,
  runCleanups,
  servedDir,
  spawnNode,
} from './fullBlockNodes.js';

afterEach(runCleanups);

const FULL_BLOCKS = 10;
/**
 * The peer stops on this request for blocks. The node asks: the capped first request (blocks 1
 * and 2, the small ones), blocks 3–4, then 5–8 (asked for while 3–4 were on their way, sized by
 * the small blocks' hex), then 2 full blocks a request: the 4th asks for 9–10. NOTE: before
 * fetchBodies.ts sized a batch when it asks for it, the 4th asked for 9–12 (8 MB of hex): it was
 * sized when 5–8 were asked for, also by the small blocks.
 */
const STOP_ON_REQUEST = 4;
/**
 * The syncing node's peak resident memory may not pass this. NOTE: generous on purpose (a node
 * under tsx; bench p2p's compiled node peaks at 365–378 MB over 30 full blocks): it catches a
 * sync that holds what it should let go (answers asked again and again, blocks kept), not a few
 * MB.
 */
const PEAK_RSS_BOUND = 1_200e6;

const blocks = fullBlockChain(FULL_BLOCKS);
const tipHeight = blocks.length - 1;

let served: { dir: string; remove: () => void };
beforeAll(async () => {
  served = await servedDir(blocks);
}, 120_000);
afterAll(() => served.remove());

/**
 * The syncing node, started on an empty directory, registers `peer` (it syncs from it) and the
 * peer stops on its STOP_ON_REQUEST-th request for blocks; then the syncing node also learns
 * the honest peer. `afterStop` does what the case does to the stopped peer.
 */
async function syncAcrossAStop(afterStop: (peer: Child, syncing: Child) => Promise<void>) {
  const [peer, honest, syncing] = await Promise.all([
    spawnNode(copyOf(served.dir), 'pause-once-on-blocks', String(STOP_ON_REQUEST)),
    spawnNode(copyOf(served.dir)),
    (async () => {
      const dir = emptyDir();
      return { dir, child: await spawnNode(dir, 'report-tips') };
    })(),
  ]);
  // The peers serve the whole chain.
  for (const serving of [peer, honest])
    expect((await get(`${serving.url}/api/info`)).body.height).toBe(tipHeight);
  const node = syncing.child;
  const info = pollInfo(node.url);
  await registerAt(node, peer);
  const stopped = await peer.line((m) => m.paused !== undefined);
  expect(stopped.path).toMatch(/^\/api\/p2p\/blocks\?hashes=/);
  // Full blocks come two a request: the one it stopped on asked for 2.
  expect(new URLSearchParams(stopped.path!.split('?')[1]).get('hashes')!.split(',')).toHaveLength(
    2,
  );
  const heightAtStop = (await get(`${node.url}/api/info`)).body.height as number;
  expect(heightAtStop).toBeLessThan(tipHeight);

  await registerAt(node, honest);
  await afterStop(peer, node);
  await node.line((m) => m.tip === tipHeight);
  await info.stop();

  const peak = peakRss(node.process.pid!);
  process.stdout.write(
    `full-block sync past a peer that went away at height ${heightAtStop} of ${tipHeight}: ` +
      `${info.statuses.length} GET /api/info answered, peak RSS ${(peak / 1e6).toFixed(0)} MB\n`,
  );
  expect(info.statuses.every((status) => status === 200)).toBe(true);
  // It answered while it synced, not only before and after.
  expect(info.heights.some((h) => h > heightAtStop && h < tipHeight)).toBe(true);
  expect(peak).toBeLessThan(PEAK_RSS_BOUND);
  return { node, dir: syncing.dir, peer, heightAtStop };
}

/** Stops a node (SIGTERM) and waits for it to exit. */
async function stopped(node: Child): Promise<void> {
  node.process.kill('SIGTERM');
  await node.exited;
}

describe(`a sync of ${FULL_BLOCKS} full blocks from a peer that goes away`, () => {
  it('stopped (SIGSTOP) mid-sync, woken after the syncing node gave up on it: the rest comes from the other peer', async () => {
    const { node, dir, peer } = await syncAcrossAStop(async (stopped, syncing) => {
      // The syncing node's stall timeout ends the download from it (its last error is recorded).
      await syncing.line((m) => m.peer === stopped.url && m.error === 'P2P_TIMEOUT');
    });
    peer.process.kill('SIGCONT');
    // Once it answers a hello, it has read and answered the request it stopped on.
    expect((await get(`${peer.url}/api/p2p/hello`)).status).toBe(200);
    expect((await get(`${node.url}/api/info`)).body.height).toBe(tipHeight);
    expect(await peerRecord(node.url, peer.url)).toMatchObject({ banned: false, score: 0 });
    await stopped(node);
    await expectWholeChain(dir, blocks);
  }, 180_000);

  it('killed (SIGKILL) mid-sync: the rest comes from the other peer', async () => {
    const { node, dir, peer } = await syncAcrossAStop(async (stopped) => {
      stopped.process.kill('SIGKILL');
      await stopped.exited;
    });
    const record = await peerRecord(node.url, peer.url);
    expect(record).toMatchObject({ banned: false, score: 0 });
    await stopped(node);
    await expectWholeChain(dir, blocks);
  }, 180_000);
});
