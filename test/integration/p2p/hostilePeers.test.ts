/**
 * Peers that lie, cheat, stall or flood. Each is a small fake node (test/support/fakePeer.ts)
 * that introduces itself correctly and then misbehaves. Whatever it does, the node under test
 * keeps its chain, keeps answering, and scores the peer: a ban for invalid data, points for a
 * timeout, an oversized or a garbled answer.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Block, encodeBlock, encodeHeader, encodeTx, toHex } from '../../../src/core/index.js';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import { BAN_SCORE } from '../../../src/p2p/peerBook.js';
import { bob, ChainBuilder, miner, unsolve } from '../../support/chainBuilder.js';
import {
  chainRoutes,
  type FakePeer,
  type FakePeerOptions,
  headersRoute,
  startFakePeer,
} from '../../support/fakePeer.js';
import { closeNodesAfterEach, expectError, get, postJson } from '../../support/http.js';
import { mine, peerView, register, startP2pNode, waitForPeer } from '../../support/p2p.js';

closeNodesAfterEach();

const TIMEOUT_MS = 300;

/** A node with a chain of its own (two blocks), and a fake peer made for it. */
async function setup(fake: (node: BlockyardNode) => FakePeerOptions) {
  const node = await startP2pNode({ peerTimeoutMs: TIMEOUT_MS });
  await mine(node);
  await mine(node);
  const tip = node.chain.tip.hashHex;
  const peer = await startFakePeer(node, fake(node));
  fakes.push(peer);
  return { node, tip, peer };
}
const fakes: FakePeer[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** The node still has `tip` and answers other requests. */
async function expectHealthy(node: BlockyardNode, tip: string): Promise<void> {
  expect(node.chain.tip.hashHex).toBe(tip);
  const info = await get(`${node.url}/api/info`);
  expect(info.status).toBe(200);
  expect(info.body.tip_hash).toBe(tip);
  expect((await get(`${node.url}/chain`)).body.length).toBe(node.chain.tip.header.height + 1);
}

/** Registers `peer` with `node`, then waits until the node's sync from it failed. */
async function registerAndWaitForFailure(node: BlockyardNode, peer: FakePeer) {
  await register(node, [peer.url]);
  return waitForPeer(node, peer.url, (p) => Boolean(p.lastError), 'to fail a sync');
}

/** Registers `peer` with `node`, then waits until the node has banned it. */
async function registerAndWaitForBan(node: BlockyardNode, peer: FakePeer) {
  await register(node, [peer.url]);
  return waitForPeer(node, peer.url, (_p, banned) => banned, 'to be banned');
}

describe('(a) a peer that lies about its chain', () => {
  it('claims a huge height and chain work with a short chain: the node keeps its own', async () => {
    const short = new ChainBuilder().mineEmpty(1);
    const { node, tip, peer } = await setup(() => ({
      hello: { height: 1_000_000_000, chain_work: '9'.repeat(80) },
      routes: chainRoutes(short.blocks),
    }));
    await register(node, [peer.url]);
    const resolved = await get(`${node.url}/nodes/resolve`);
    expect(resolved.body.message).toBe('Our chain is authoritative');
    expect(resolved.body.peers).toEqual([{ url: peer.url, ok: true, blocks: 0 }]);
    expect(peer.requests).toContain('GET /api/p2p/headers');
    expect(peer.requests).not.toContain('GET /api/p2p/blocks');
    await expectHealthy(node, tip);
    // What it claimed is shown as its claim; it cost it nothing, since it sent nothing invalid.
    expect(await peerView(node, peer.url)).toMatchObject({
      tip_height: 1_000_000_000,
      banned: false,
      score: 0,
    });
  });

  it('says it is on another network: refused, and not kept', async () => {
    const { node, tip, peer } = await setup(() => ({ hello: { genesis_hash: '00'.repeat(32) } }));
    const answer = await postJson(`${node.url}/nodes/register`, { nodes: [peer.url] });
    expectError(answer, 422, 'P2P_WRONG_NETWORK');
    expect((await get(`${node.url}/nodes/get`)).body.nodes).toEqual([]);
    await expectHealthy(node, tip);
  });
});

describe('(b) a peer that sends invalid data is banned', () => {
  it('headers with bad proof of work', async () => {
    const chain = new ChainBuilder().mineEmpty(3);
    const headers = chain.blocks.slice(1).map((b) => b.header);
    headers[2] = unsolve(chain.blocks[3]!).header;
    const { node, tip, peer } = await setup(() => ({ routes: headersRoute(headers) }));
    const banned = await registerAndWaitForBan(node, peer);
    expect(banned.lastError).toMatch(/^POW_INSUFFICIENT_WORK/);
    expect(peer.requests).not.toContain('GET /api/p2p/blocks');
    await expectHealthy(node, tip);
    expect(await peerView(node, peer.url)).toMatchObject({ banned: true });

    // Banned: registering it again says so (and how to lift it); its announcements are refused.
    const again = await register(node, [peer.url]);
    expect(again.nodes).toEqual([
      expect.objectContaining({
        status: 'banned',
        error: expect.objectContaining({ code: 'P2P_BANNED' }),
      }),
    ]);
    expect(again.added).toEqual([]);
    const announced = await postJson(`${node.url}/api/p2p/announce`, {
      port: peer.port,
      headers: [],
    });
    expectError(announced, 403, 'P2P_BANNED');
  });

  it('a block whose transfer has a bad signature (headers valid, body bad)', async () => {
    const chain = new ChainBuilder().mineEmpty(1);
    const honest = chain.transfer(miner, bob, 5n);
    const signature = Uint8Array.from(honest.signature);
    signature[10]! ^= 0x01;
    const forged = chain.next({ transfers: [{ ...honest, signature }] });
    chain.blocks.push(forged); // not appended: the builder would refuse it
    chain.mine();
    const { node, tip, peer } = await setup(() => ({ routes: chainRoutes(chain.blocks) }));
    const banned = await registerAndWaitForBan(node, peer);
    expect(banned.lastError).toMatch(/^TX_BAD_SIGNATURE/);
    expect(peer.requests).toContain('GET /api/p2p/blocks');
    await expectHealthy(node, tip);
    expect(await peerView(node, peer.url)).toMatchObject({ banned: true });
  });

  it('headers that do not link (a header whose previous hash is not the header before it)', async () => {
    const one = new ChainBuilder().mineEmpty(2);
    const other = new ChainBuilder();
    other.mine({ minerKey: bob.key });
    other.mine();
    const headers = [one.blocks[1]!.header, other.blocks[2]!.header];
    const { node, tip, peer } = await setup(() => ({ routes: headersRoute(headers) }));
    const banned = await registerAndWaitForBan(node, peer);
    expect(banned.lastError).toMatch(/^BLOCK_BAD_PREVIOUS/);
    await expectHealthy(node, tip);
    expect(await peerView(node, peer.url)).toMatchObject({ banned: true });
  });

  it('a sync asked for while the peer was being banned does not contact it again', async () => {
    const chain = new ChainBuilder().mineEmpty(1);
    const headers = [unsolve(chain.blocks[1]!).header];
    const bad = headersRoute(headers)['GET /api/p2p/headers']!;
    const { node, tip, peer } = await setup(() => ({
      // Slow enough that /nodes/resolve finds the registration's sync still running.
      routes: { 'GET /api/p2p/headers': (...args) => setTimeout(() => bad(...args), 100) },
    }));
    await register(node, [peer.url]);
    const resolved = (await get(`${node.url}/nodes/resolve`)).body;
    expect(resolved.peers[0].error.code).toBe('POW_INSUFFICIENT_WORK');
    const again = await node.network.sync(peer.url);
    expect(again.ok ? 'ok' : again.code).toBe('P2P_BANNED');
    expect(peer.requests.filter((r) => r === 'GET /api/p2p/headers')).toHaveLength(1);
    await expectHealthy(node, tip);
  });

  it('an announced transfer with a bad signature', async () => {
    const chain = new ChainBuilder().mineEmpty(1);
    const honest = chain.transfer(miner, bob, 5n);
    const signature = Uint8Array.from(honest.signature);
    signature[0]! ^= 0x80;
    const { node, tip, peer } = await setup(() => ({ routes: headersRoute([]) }));
    await register(node, [peer.url]);
    const answer = await postJson(`${node.url}/api/p2p/announce`, {
      port: peer.port,
      txs: [toHex(encodeTx({ ...honest, signature }))],
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ accepted: 0 });
    expect(node.mempool.size).toBe(0);
    await expectHealthy(node, tip);
    expect(await peerView(node, peer.url)).toMatchObject({ banned: true });
  });

  it('an announced header with bad proof of work', async () => {
    const block: Block = new ChainBuilder().mine();
    const { node, tip, peer } = await setup(() => ({ routes: headersRoute([]) }));
    await register(node, [peer.url]);
    const answer = await postJson(`${node.url}/api/p2p/announce`, {
      port: peer.port,
      headers: [toHex(encodeHeader(unsolve(block).header))],
    });
    expectError(answer, 422, 'POW_INSUFFICIENT_WORK');
    await expectHealthy(node, tip);
    expect(await peerView(node, peer.url)).toMatchObject({ banned: true });
  });
});

/** Holds every request to `path` open without answering; resolves `held` at the first. */
function holdOpen() {
  const open: ServerResponse[] = [];
  let reached!: () => void;
  const held = new Promise<void>((resolve) => (reached = resolve));
  const handler = (_req: unknown, res: ServerResponse) => {
    open.push(res);
    reached();
  };
  return { handler, held, stillOpen: () => open.some((r) => !r.writableEnded && !r.destroyed) };
}

describe('(c) a peer that answers slowly or never', () => {
  it('never answers: the node stays responsive, and the sync ends by timeout', async () => {
    const hold = holdOpen();
    const { node, tip, peer } = await setup(() => ({
      routes: { 'GET /api/p2p/headers': hold.handler },
    }));
    const started = performance.now();
    await register(node, [peer.url]);
    await hold.held;
    const asked = performance.now();
    const info = await get(`${node.url}/api/info`);
    expect(info.status).toBe(200);
    expect(hold.stillOpen()).toBe(true); // answered while the sync was stuck
    expect(performance.now() - asked).toBeLessThan(TIMEOUT_MS);

    const failed = await waitForPeer(node, peer.url, (p) => Boolean(p.lastError), 'to time out');
    expect(failed.lastError).toMatch(/^P2P_TIMEOUT/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    // Slow is not lying: the peer is marked as not answering, and its score is untouched.
    expect(failed.score).toBe(0);
    await expectHealthy(node, tip);
    expect(await peerView(node, peer.url)).toMatchObject({
      banned: false,
      score: 0,
      state: 'not answering',
      last_error: { code: 'P2P_TIMEOUT', meaning: 'The peer did not answer in time.' },
    });
  });

  it('answers a byte at a time: the timeout covers the body too', async () => {
    const { node, tip, peer } = await setup(() => ({
      routes: {
        'GET /api/p2p/headers': (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"headers":[');
          const drip = setInterval(() => res.write(' '), 20);
          res.on('close', () => clearInterval(drip));
        },
      },
    }));
    const failed = await registerAndWaitForFailure(node, peer);
    expect(failed.lastError).toMatch(/^P2P_TIMEOUT/);
    await expectHealthy(node, tip);
    expect(await peerView(node, peer.url)).toMatchObject({ banned: false, score: 0 });
  });
});

/** Streams `bytes` of JSON-ish filler, respecting backpressure, until done or closed. */
function flood(res: ServerResponse, bytes: number, declare: boolean): void {
  res.writeHead(200, {
    'content-type': 'application/json',
    ...(declare ? { 'content-length': bytes } : {}),
  });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = () => {
    while (sent < bytes && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

const FIFTY_MB = 50 * 1024 * 1024;

describe('(d) a peer that floods or garbles', () => {
  for (const declare of [true, false]) {
    it(`sends 50 MB ${declare ? 'with' : 'without'} a content-length: cut at the cap, twice is a ban`, async () => {
      const { node, tip, peer } = await setup(() => ({
        routes: { 'GET /api/p2p/headers': (_req, res) => flood(res, FIFTY_MB, declare) },
      }));
      const failed = await registerAndWaitForFailure(node, peer);
      expect(failed.lastError).toMatch(/^P2P_TOO_LARGE/);
      expect(failed.score).toBe(50);
      await expectHealthy(node, tip);
      // Again: 50 more points make a ban.
      const resolved = await get(`${node.url}/nodes/resolve`);
      expect(resolved.body.message).toBe('Our chain is authoritative');
      expect(resolved.body.peers[0].error.code).toBe('P2P_TOO_LARGE');
      await expectHealthy(node, tip);
      const view = await peerView(node, peer.url);
      expect(view).toMatchObject({ banned: true, state: 'banned' });
      // Why, in a line a person can read: the code and what happened, no URL.
      expect(view.ban_reason).toMatch(/^P2P_TOO_LARGE: /);
      expect(view.ban_reason).not.toMatch(/http/);
      expect(BAN_SCORE).toBe(100);
    });
  }

  it('answers garbage instead of JSON, or JSON of the wrong shape: penalised', async () => {
    let answer = 'this is {not json';
    const { node, tip, peer } = await setup(() => ({
      routes: {
        'GET /api/p2p/headers': (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(answer);
        },
      },
    }));
    const failed = await registerAndWaitForFailure(node, peer);
    expect(failed.lastError).toMatch(/^P2P_BAD_RESPONSE.*JSON/);
    expect(failed.score).toBe(20);
    answer = JSON.stringify({ headers: 'zz', more: 1 });
    const resolved = await get(`${node.url}/nodes/resolve`);
    expect(resolved.body.peers[0].error.code).toBe('P2P_BAD_RESPONSE');
    await expectHealthy(node, tip);
    expect(await peerView(node, peer.url)).toMatchObject({ banned: false, score: 40 });
  });

  it('answers blocks as bad hex, an odd length, or cut short: penalised, nothing added', async () => {
    const chain = new ChainBuilder().mineEmpty(4);
    const honest = chainRoutes(chain.blocks);
    const hexOf = (i: number) => toHex(encodeBlock(chain.blocks[i]!));
    // Read as they come (blocksAnswer.ts): each refused with the code the JSON reader gave.
    const answers = [
      `{"blocks":["${hexOf(1).toUpperCase()}"]}`,
      `{"blocks":["${hexOf(1)}0"]}`,
      `{"blocks":["${hexOf(1)}"`,
      `{"blocks":["${hexOf(1).slice(0, 50)}`,
    ];
    let answer = answers[0]!;
    const { node, tip, peer } = await setup(() => ({
      routes: {
        ...honest,
        'GET /api/p2p/blocks': (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(answer);
        },
      },
    }));
    const failed = await registerAndWaitForFailure(node, peer);
    expect(failed.lastError).toMatch(/^P2P_BAD_RESPONSE.*not lowercase hex/);
    for (answer of answers.slice(1)) {
      const resolved = await get(`${node.url}/nodes/resolve`);
      expect(resolved.body.peers[0].error.code).toBe('P2P_BAD_RESPONSE');
    }
    await expectHealthy(node, tip);
    // Each answer the penalty of a bad one (20), as JSON of the wrong shape.
    expect(await peerView(node, peer.url)).toMatchObject({ banned: false, score: 80 });
  });

  it('starts a blocks answer, then closes the connection mid-block: unreachable, nothing added', async () => {
    const chain = new ChainBuilder().mineEmpty(4);
    const hex = toHex(encodeBlock(chain.blocks[1]!));
    let answered = 0;
    const { node, tip, peer } = await setup(() => ({
      routes: {
        ...chainRoutes(chain.blocks),
        // Read as it comes (blocksAnswer.ts): the reader holds half a block when the peer goes.
        'GET /api/p2p/blocks': (_req, res) => {
          answered++;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write(`{"blocks":["${hex.slice(0, 100)}`, () => res.destroy());
        },
      },
    }));
    const failed = await registerAndWaitForFailure(node, peer);
    expect(answered).toBeGreaterThan(0);
    expect(failed.lastError).toMatch(/^P2P_UNREACHABLE/);
    await expectHealthy(node, tip);
    // A peer that went away is marked so, not scored: as before the answer was read as it came.
    expect(await peerView(node, peer.url)).toMatchObject({ banned: false, score: 0 });
  });

  it('posts 50 MB or garbage to the node: refused at the door, the node is fine', async () => {
    const node = await startP2pNode();
    await mine(node);
    const tip = node.chain.tip.hashHex;
    // Node's fetch reads no answer before it has sent the whole body: the node drops what comes
    // after the limit (up to a bound) so that the client gets the 413, not a reset.
    const flooded = await postJson(`${node.url}/api/p2p/announce`, ' '.repeat(FIFTY_MB));
    expectError(flooded, 413, 'API_BODY_TOO_LARGE');
    const garbage = await fetch(`${node.url}/api/p2p/announce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"headers": [',
    });
    expect(garbage.status).toBe(400);
    await expectHealthy(node, tip);
  });
});
