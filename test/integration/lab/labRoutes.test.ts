/**
 * Lab mode on the node (issue 14): the /api/lab routes exist only on nodes started with --lab;
 * a hash-rate cap makes a node find blocks by real proof of work at about the rate asked; a cut
 * link stops blocks both ways (also when only the receiving end cut it) until it is restored;
 * a withholding node keeps its blocks to itself until it releases them, and they then win by
 * the ordinary fork choice. Every wait is on an event; nothing sleeps.
 */
import { describe, expect, it } from 'vitest';
import { hashHeader, labParams, toHex } from '../../../src/core/index.js';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import { closeNodesAfterEach, expectError, get, postJson, readEvents } from '../../support/http.js';
import {
  mine,
  register,
  startP2pNode,
  waitForEvent,
  waitForPeer,
  waitForTip,
} from '../../support/p2p.js';

closeNodesAfterEach();

const startLabNode = (hashRate: number | null = null) =>
  startP2pNode({ params: labParams, lab: { hashRate } });

const lab = (node: BlockyardNode, route: string, body: unknown) =>
  postJson(`${node.url}/api/lab/${route}`, body);

/** Resolves once `node` has connected `count` more blocks than it had. */
function blocksMore(node: BlockyardNode, count: number) {
  const target = node.chain.tip.header.height + count;
  return waitForEvent(
    node.chain,
    'tip',
    () => node.chain.tip.header.height >= target,
    `${node.url} to reach height ${target}`,
    60_000,
  );
}

async function pair(): Promise<[BlockyardNode, BlockyardNode]> {
  const [a, b] = [await startLabNode(), await startLabNode()];
  await register(b, [a]);
  const answering = (peer: { answering: boolean }) => peer.answering;
  await waitForPeer(a, b.url, answering, 'answering');
  await waitForPeer(b, a.url, answering, 'answering');
  return [a, b];
}

describe('lab mode', () => {
  it('has no lab routes on an ordinary node', async () => {
    const node = await startP2pNode();
    expectError(await get(`${node.url}/api/lab`), 404, 'API_NOT_FOUND');
    expectError(
      await postJson(`${node.url}/api/lab/miner`, { mining: true }),
      404,
      'API_NOT_FOUND',
    );
    const docs = (await get(`${node.url}/docs/json`)).body as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths).filter((p) => p.startsWith('/api/lab'))).toEqual([]);
  });

  it('refuses bad input and a wrong token', async () => {
    const node = await startLabNode();
    expectError(await lab(node, 'miner', { hash_rate: 0 }), 400, 'API_BAD_REQUEST');
    expectError(await lab(node, 'links', { peers: ['not a url/x'] }), 400, 'API_BAD_REQUEST');
    expectError(await lab(node, 'release', { when: 'later' }), 400, 'API_BAD_REQUEST');
    expectError(await lab(node, 'release', {}), 409, 'LAB_NOT_WITHHOLDING');
    const withToken = await fetch(`${node.url}/api/lab`, {
      headers: { authorization: 'Bearer wrong' },
    });
    expect(withToken.status).toBe(401);
  });

  it('mines at about the capped hash rate, by real proof of work', async () => {
    const node = await startLabNode();
    const on = await lab(node, 'miner', { hash_rate: 40_000, mining: true });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ hash_rate_cap: 40_000, mining: true });
    const started = performance.now();
    await blocksMore(node, 6);
    const seconds = (performance.now() - started) / 1_000;
    const status = (await get(`${node.url}/api/lab`)).body;
    // Measured while searching: near the cap, never far above it.
    expect(status.hash_rate).toBeGreaterThan(40_000 * 0.5);
    expect(status.hash_rate).toBeLessThan(40_000 * 1.2);
    // ~2^14 hashes a block at 40,000/s: about 0.4 s each; 6 blocks in far less than a minute.
    expect(seconds).toBeLessThan(30);
    for (const entry of node.chain.main.slice(1)) {
      expect(entry.header.bits).toBe(labParams.genesisBits);
    }
    await lab(node, 'miner', { mining: false });
    expect((await get(`${node.url}/api/lab`)).body.mining).toBe(false);
  });

  it('cuts a link both ways, also from the receiving end alone, and restores it', async () => {
    const [a, b] = await pair();
    const first = await mine(a);
    await waitForTip(b, first.hash);

    // Only b cuts: b's own calls to a fail before they leave, and a's calls to b are dropped
    // at b, the connection closed with no answer.
    const cut = await lab(b, 'links', { peers: [a.url], cut: true });
    expect(cut.body.links).toEqual([{ peer: a.url, cut: true, delay_ms: 0 }]);
    const hidden = await mine(a);
    const fromB = (await get(`${b.url}/nodes/resolve`)).body.peers;
    expect(fromB).toEqual([
      expect.objectContaining({
        url: a.url,
        ok: false,
        error: { code: 'P2P_UNREACHABLE', message: `${a.url}: the lab cut this link` },
      }),
    ]);
    const fromA = (await get(`${a.url}/nodes/resolve`)).body.peers;
    expect(fromA).toEqual([
      expect.objectContaining({
        url: b.url,
        ok: false,
        error: expect.objectContaining({ code: 'P2P_UNREACHABLE' }),
      }),
    ]);
    expect(b.chain.get(hidden.hash)).toBeUndefined();

    const restored = await lab(b, 'links', { peers: [a.url], cut: false });
    expect(restored.body.links).toEqual([]);
    await get(`${b.url}/nodes/resolve`);
    await waitForTip(b, hidden.hash);
  });

  it('adds a delay to each call over a link', async () => {
    const [a, b] = await pair();
    await lab(b, 'links', { peers: [a.url], delay_ms: 400 });
    const started = performance.now();
    const answer = (await get(`${b.url}/nodes/resolve`)).body.peers;
    expect(answer[0]).toMatchObject({ url: a.url, ok: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('withholds mined blocks until released, then they win by the fork choice', async () => {
    const [a, b] = await pair();
    await lab(a, 'miner', { hash_rate: 40_000 });
    const on = await lab(a, 'withhold', { on: true });
    expect(on.body.withholding).toMatchObject({ on: true, base_height: 0, blocks: [] });
    const response = await fetch(`${a.url}/api/events`);
    const events = readEvents(response);
    await lab(a, 'miner', { mining: true });
    const found = [(await events.next('lab')).data, (await events.next('lab')).data];
    await lab(a, 'miner', { mining: false });
    await events.close();
    expect(found.map((f) => f.action)).toEqual(['withheld', 'withheld']);
    expect(found[1].prev_hash).toBe(found[0].hash);
    // Nobody saw them, a's own chain included.
    expect(a.chain.tip.header.height).toBe(0);
    expect(b.chain.tip.header.height).toBe(0);
    expect((await get(`${a.url}/api/lab`)).body.withholding.blocks.length).toBeGreaterThanOrEqual(
      2,
    );

    const released = await lab(a, 'release', {});
    expect(released.status).toBe(200);
    const hashes = released.body.released.map((r: { hash: string }) => r.hash);
    expect(hashes.slice(0, 2)).toEqual([found[0].hash, found[1].hash]);
    expect(new Set(released.body.released.map((r: { status: string }) => r.status))).toEqual(
      new Set(['connected']),
    );
    const last = hashes[hashes.length - 1];
    await waitForTip(b, last);
    expect(toHex(hashHeader(b.chain.tip.header))).toBe(last);
  });

  it('releases by itself once its private branch is longer (when: ahead)', async () => {
    const [a, b] = await pair();
    await lab(a, 'miner', { hash_rate: 40_000 });
    await lab(a, 'withhold', { on: true });
    const armed = await lab(a, 'release', { when: 'ahead' });
    expect(armed.status).toBe(200);
    expect(armed.body.released).toEqual([]);
    expect(armed.body.status.withholding.release).toBe('ahead');
    const response = await fetch(`${a.url}/api/events`);
    const events = readEvents(response);
    await lab(a, 'miner', { mining: true });
    // Its first private block is longer than the public chain (height 0): out at once, by itself.
    const withheld = (await events.next('lab')).data;
    const released = (await events.next('lab')).data;
    await lab(a, 'miner', { mining: false });
    await events.close();
    expect(withheld.action).toBe('withheld');
    expect(released).toMatchObject({ action: 'released', blocks: [{ hash: withheld.hash }] });
    await waitForTip(b, withheld.hash);
    // Withholding goes on from the released block; a new branch is manual again.
    const status = (await get(`${a.url}/api/lab`)).body.withholding;
    expect(status).toMatchObject({ on: true, release: 'ahead' });
    expect((await lab(a, 'withhold', { on: true })).body.withholding.release).toBe('manual');
  });

  it('announces a released block that only ties its own tip, so a peer without the rival takes it', async () => {
    const [a, b] = await pair();
    // c knows only a.
    const c = await startLabNode();
    await register(c, [a]);
    await waitForPeer(a, c.url, (p) => p.answering, 'answering');
    await lab(a, 'miner', { hash_rate: 40_000 });
    await lab(a, 'withhold', { on: true });
    const response = await fetch(`${a.url}/api/events`);
    const events = readEvents(response);
    await lab(a, 'miner', { mining: true });
    const withheld = (await events.next('lab')).data;
    await lab(a, 'miner', { mining: false });
    await events.close();
    // b finds a block at height 1 in public; a takes it as its tip, but cannot pass it on to c.
    await lab(a, 'links', { peers: [c.url], cut: true });
    await mine(b);
    const rival = toHex(hashHeader(b.chain.tip.header));
    await waitForTip(a, rival);
    await lab(a, 'links', { peers: [c.url], cut: false });
    const first = (await lab(a, 'release', { count: 1 })).body.released[0];
    // On a it only ties its tip (first seen stays), yet a announces it, as a selfish miner's
    // node would: c, still at genesis, takes it.
    expect(first).toMatchObject({ hash: withheld.hash, height: 1, status: 'side' });
    expect(toHex(hashHeader(a.chain.tip.header))).toBe(rival);
    await waitForTip(c, withheld.hash);
    expect(c.chain.tip.header.height).toBe(1);
  });
});
