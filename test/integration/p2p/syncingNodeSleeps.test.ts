/**
 * The syncing node itself goes to sleep in the middle of a sync of full 1 MB blocks, as a
 * laptop whose lid is closed: stopped (SIGSTOP) once it has connected a full block, for longer
 * than every deadline of the calls it had under way (a batch of 2 full blocks:
 * fetchBatch.ts batchDeadlines) and of its peers' calls to it (peerClient.ts
 * DEFAULT_TIMEOUT_MS), then woken (SIGCONT). Its own timers all come due at once on waking,
 * before it has read what its peers sent meanwhile. It must end on the whole chain from the
 * same two peers, ban neither nor score them (they did nothing wrong), be neither banned nor
 * scored by them, answer GET /api/info once awake, and reopen on a chain that is whole (no block
 * half connected). Real node processes, started at once; peers registered in a random order.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { batchDeadlines } from '../../../src/p2p/fetchBatch.js';
import { DEFAULT_TIMEOUT_MS } from '../../../src/p2p/peerClient.js';
import { get } from '../../support/http.js';
import { hexOf } from '../../support/nodeFixtures.js';
import {
  type Child,
  copyOf,
  emptyDir,
  expectWholeChain,
  fullBlockChain,
  peerRecord,
  pollInfo,
  procState,
  registerAt,
  runCleanups,
  servedDir,
  spawnNode,
} from './fullBlockNodes.js';

afterEach(runCleanups);

const FULL_BLOCKS = 8;
const blocks = fullBlockChain(FULL_BLOCKS);
const tipHeight = blocks.length - 1;
/** It sleeps once it has this height: the first full block connected, the rest on the way. */
const SLEEP_AT = 3;
/**
 * How long it sleeps. NOTE: a duration, not a wait for an event: the scenario is a sleep longer
 * than every timeout, of which nothing can be observed while the node is stopped.
 */
const SLEEP_MS = Math.max(batchDeadlines(2).timeoutMs, DEFAULT_TIMEOUT_MS) + 2_000;

let served: { dir: string; remove: () => void };
beforeAll(async () => {
  served = await servedDir(blocks);
}, 120_000);
afterAll(() => served.remove());

/** The node at `url` has `other` as a good peer, if it knows it at all: not banned, no score. */
async function expectGoodPeer(url: string, other: string): Promise<void> {
  const record = await peerRecord(url, other);
  if (record) expect(record, `${url} on ${other}`).toMatchObject({ banned: false, score: 0 });
}

describe(`a node syncing ${FULL_BLOCKS} full blocks sleeps (SIGSTOP) mid-sync`, () => {
  it('and wakes (SIGCONT) after every deadline passed: it ends on the whole chain, no ban, no score, whole after a restart', async () => {
    const dir = emptyDir();
    const [node, ...peers] = await Promise.all([
      spawnNode(dir, 'report-tips'),
      spawnNode(copyOf(served.dir)),
      spawnNode(copyOf(served.dir)),
    ]);
    if (!node) throw new Error('no syncing node');
    for (const peer of peers)
      expect((await get(`${peer.url}/api/info`)).body.height).toBe(tipHeight);
    const order: Child[] = Math.random() < 0.5 ? peers : [...peers].reverse();
    for (const peer of order) await registerAt(node, peer);

    await node.line((m) => (m.tip ?? 0) >= SLEEP_AT);
    const pid = node.process.pid!;
    node.process.kill('SIGSTOP');
    // Stopped once /proc says so (the signal is delivered asynchronously).
    while (procState(pid) !== 'T') await delay(5);
    const peerInfo = peers.map((peer) => pollInfo(peer.url));
    await delay(SLEEP_MS);
    node.process.kill('SIGCONT');
    const info = pollInfo(node.url);
    await node.line((m) => m.tip === tipHeight);
    await info.stop();
    for (const polled of peerInfo) await polled.stop();

    process.stdout.write(
      `a syncing node slept ${SLEEP_MS} ms at height ≥ ${SLEEP_AT} of ${tipHeight} and woke: ` +
        `${info.statuses.length} GET /api/info answered after waking\n`,
    );
    // Its peers answered while it slept (their answers to it stuck in its socket), and it
    // answered once awake.
    for (const polled of peerInfo) expect(polled.statuses.every((s) => s === 200)).toBe(true);
    expect(info.statuses.every((s) => s === 200)).toBe(true);
    expect((await get(`${node.url}/api/info`)).body.tip_hash).toBe(hexOf(blocks[tipHeight]!));
    for (const peer of peers) {
      expect(await peerRecord(node.url, peer.url), 'the node on its peer').toMatchObject({
        banned: false,
        score: 0,
      });
      // What the peer saw of it while it slept (its calls to it timed out, or none was made).
      const seen = await peerRecord(peer.url, node.url);
      process.stdout.write(`  ${peer.url} on it: last error ${seen?.last_error?.code ?? 'none'}\n`);
      await expectGoodPeer(peer.url, node.url);
    }
    node.process.kill('SIGTERM');
    await node.exited;
    await expectWholeChain(dir, blocks);
  }, 180_000);
});
