/**
 * The peer book over a node's life: peers kept across a restart, /nodes/resolve with a peer that
 * is down, peer exchange, and a node that closes while calls to its peers are still in flight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import { MAX_PEERS } from '../../../src/p2p/peerBook.js';
import { ChainBuilder } from '../../support/chainBuilder.js';
import { type FakePeer, startFakePeer } from '../../support/fakePeer.js';
import { closeNodesAfterEach, expectError, get, postJson, stopNode } from '../../support/http.js';
import { makeTempDir } from '../../support/nodeFixtures.js';
import {
  mine,
  peerView,
  register,
  startP2pNode,
  startP2pNodes,
  submitBlock,
  waitForAll,
  waitForPeer,
  waitForTip,
} from '../../support/p2p.js';

closeNodesAfterEach();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const urlsOf = async (node: BlockyardNode): Promise<string[]> =>
  (await get(`${node.url}/nodes/get`)).body.nodes.sort();

describe('peers across a restart', () => {
  it('keeps its peers, with their scores, and greets them again when it starts', async () => {
    const temp = makeTempDir();
    cleanups.push(temp.remove);
    const [a, b] = await startP2pNodes(2);
    let x = await startP2pNode({ dataDir: temp.dir });
    await register(x, [a!, b!]);
    expect(await urlsOf(x)).toEqual([a!.url, b!.url].sort());
    x.network.peers.penalize(b!.url, 'P2P_BAD_RESPONSE', 'a test');
    await stopNode(x);

    // While x is down, a mines: x learns of it only by greeting a when it starts again.
    const block = await mine(a!);
    x = await startP2pNode({ dataDir: temp.dir });
    expect(await urlsOf(x)).toEqual([a!.url, b!.url].sort());
    expect(x.network.peers.get(b!.url)).toMatchObject({ score: 20, named: true });
    await waitForTip(x, block.hash);
    // And a, which x greeted from its new port, knows x there.
    await waitForPeer(a!, x.url, () => true, 'to know x again');
  });
});

describe('/nodes/resolve with a peer that is down', () => {
  it('reports the peer that is down, and says whether the chain was replaced', async () => {
    const [x, y] = await startP2pNodes(2);
    const down = await startP2pNode();
    const downUrl = down.url;
    await stopNode(down);
    // Put in the book without greeting them: nothing syncs before resolve does.
    x!.network.peers.add(y!.url);
    x!.network.peers.add(downUrl);
    const longer = new ChainBuilder().mineEmpty(3);
    for (const block of longer.blocks.slice(1)) await submitBlock(y!, block);

    const first = (await get(`${x!.url}/nodes/resolve`)).body;
    expect(first.message).toBe('Our chain was replaced');
    expect(first.length).toBe(4);
    expect(first.new_chain.map((b: { hash: string }) => b.hash)).toEqual(
      y!.chain.main.map((e) => e.hashHex),
    );
    const report = (url: string) => first.peers.find((p: { url: string }) => p.url === url);
    expect(report(y!.url)).toEqual({ url: y!.url, ok: true, blocks: 3 });
    expect(report(downUrl)).toMatchObject({
      url: downUrl,
      ok: false,
      blocks: 0,
      error: { code: 'P2P_UNREACHABLE' },
    });

    const second = (await get(`${x!.url}/nodes/resolve`)).body;
    expect(second.message).toBe('Our chain is authoritative');
    expect(second.chain).toHaveLength(4);
    expect(second.peers.map((p: { ok: boolean }) => p.ok).sort()).toEqual([false, true]);
  });
});

describe('a peer that was away', () => {
  it('is marked as not answering, never scored, retried, and welcome back on the same address', async () => {
    const x = await startP2pNode();
    let y = await startP2pNode();
    const { url: yUrl } = y;
    const port = Number(new URL(yUrl).port);
    await register(y, [x]);
    await waitForPeer(x, yUrl, (p) => p.answering, 'to be answering on x');
    await stopNode(y);

    // x mines on while y is down: the first announcement fails, then x retries y with backoff.
    for (let i = 1; i <= 10; i++) await mine(x);
    await waitForPeer(x, yUrl, (p) => p.failures >= 2, 'to fail twice on x');
    const view = await peerView(x, yUrl);
    expect(view).toMatchObject({ banned: false, score: 0, state: 'not answering' });
    expect(view.last_error.code).toBe('P2P_UNREACHABLE');

    // y comes back where it was, greets x, and catches up; x sees it answering at once.
    y = await startP2pNode({ port, peers: [x.url] });
    expect(y.url).toBe(yUrl);
    await waitForTip(y, x.chain.tip.hashHex);
    expect(y.chain.tip.header.height).toBe(10);
    await waitForPeer(x, yUrl, (p) => p.answering, 'to answer x again');
  });
});

describe('a full peer book', () => {
  it('adds nobody from a hello whose address does not answer as that node', async () => {
    const [x, newcomer] = await startP2pNodes(2);
    // Greetings that give ports where nothing listens: answered, but never added.
    for (let port = 1; port <= 5; port++) {
      const hello = { ...newcomer!.network.hello(), port };
      expect((await postJson(`${x!.url}/api/p2p/hello`, hello)).status).toBe(200);
    }
    // A real greeting from the newcomer is verified by calling it back, and added.
    await register(newcomer!, [x!]);
    await waitForPeer(x!, newcomer!.url, (p) => p.answering, 'to be verified by x');
    expect(x!.network.peers.list().map((p) => p.url)).toEqual([newcomer!.url]);
  });

  it('makes room for a new peer by forgetting a banned one', async () => {
    const [x, newcomer] = await startP2pNodes(2);
    const urls = Array.from({ length: MAX_PEERS }, (_, i) => `http://127.0.0.1:${i + 1}`);
    for (const url of urls) x!.network.peers.add(url, true);
    expectError(
      await postJson(`${x!.url}/nodes/register`, { nodes: [newcomer!.url] }),
      422,
      'P2P_PEER_LIMIT',
    );
    for (const url of urls) x!.network.peers.penalize(url, 'P2P_WRONG_NETWORK', 'a test');
    await register(x!, [newcomer!]);
    expect(x!.network.peers.list()).toHaveLength(MAX_PEERS);
    expect(x!.network.peers.usable().map((p) => p.url)).toEqual([newcomer!.url]);
  });
});

describe('peer exchange', () => {
  it('C knows B, B knows A: after an exchange C knows A, and A knows C', async () => {
    const [a, b, c] = await startP2pNodes(3);
    await register(b!, [a!]);
    await register(c!, [b!]);
    expect(await urlsOf(c!)).toEqual([b!.url]);
    await c!.network.exchangePeers();
    expect(await urlsOf(c!)).toEqual([a!.url, b!.url].sort());
    expect(await urlsOf(a!)).toEqual([b!.url, c!.url].sort());
    // The new link carries blocks: a block mined on C reaches A even with B gone.
    await stopNode(b!);
    const block = await mine(c!);
    await waitForAll([a!], block.hash);
  });
});

describe('a node closing while its peers are still answering', () => {
  it('stops using its store: a late failure is not written to a closed database', async () => {
    const temp = makeTempDir();
    cleanups.push(temp.remove);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    cleanups.push(() => process.off('unhandledRejection', onUnhandled));

    // A peer that holds every announcement open until the test closes it.
    let held!: () => void;
    const announced = new Promise<void>((resolve) => (held = resolve));
    const node = await startP2pNode({ dataDir: temp.dir });
    const fake: FakePeer = await startFakePeer(node, {
      routes: {
        'GET /api/p2p/headers': (_req, res) => res.end('{"headers":[]}'),
        'POST /api/p2p/announce': () => held(),
      },
    });
    cleanups.push(() => fake.close());
    await register(node, [fake.url]);
    await mine(node);
    await announced;
    await stopNode(node);
    await fake.close(); // the announcement now fails, after the node's store closed
    const scored = await waitForPeer(node, fake.url, (p) => Boolean(p.lastError), 'to fail');
    expect(scored.lastError).toMatch(/^P2P_UNREACHABLE/);
    expect(unhandled).toEqual([]);
  });
});

describe('registering and removing peers by hand', () => {
  it('refuses to register the node itself with P2P_SELF, as its own hello says', async () => {
    const [x] = await startP2pNodes(1);
    const answer = await postJson(`${x!.url}/nodes/register`, { nodes: [x!.url] });
    expectError(answer, 422, 'P2P_SELF');
    expect(await urlsOf(x!)).toEqual([]);
  });

  it('forgets a removed peer, keeps the others, and says which it did not know', async () => {
    const [x, a, b] = await startP2pNodes(3);
    await register(x!, [a!, b!]);
    const host = a!.url.replace('http://', '');
    const answer = await postJson(`${x!.url}/nodes/remove`, { nodes: [host, '127.0.0.1:1'] });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      message: 'Nodes have been removed',
      removed: [a!.url],
      unknown: ['127.0.0.1:1'],
      total_nodes: [b!.url],
    });
    expect(await urlsOf(x!)).toEqual([b!.url]);
    expectError(
      await postJson(`${x!.url}/nodes/remove`, { nodes: [a!.url] }),
      404,
      'API_NOT_FOUND',
    );
  });
});
