/**
 * Helpers for tests of nodes talking to each other over real HTTP on 127.0.0.1: start a few
 * nodes (inline nonce search, so they start at once), wire them, and wait for what happens
 * between them. Waits listen to the nodes' own events (chain `tip`, mempool `added`, peer book
 * `changed`) with a deadline; `waitUntil` polls, for the few things that have no event.
 */
import { expect } from 'vitest';
import { type Block, encodeBlock, encodeTx, type Tx, toHex } from '../../src/core/index.js';
import { createInlineNonceSearch } from '../../src/miner/inlineNonceSearch.js';
import type { BlockyardNode, NodeOptions } from '../../src/node/createNode.js';
import type { PeerState } from '../../src/p2p/peerBook.js';
import { addressOf, type Body, get, postJson, startNode } from './http.js';

export { mine } from './http.js';

/**
 * Nodes for p2p tests. The sync timer is long (a minute): what the tests see must come from
 * announcements and registration, not from a timer that would hide a lost message.
 */
export function startP2pNode(options: Partial<NodeOptions> = {}): Promise<BlockyardNode> {
  return startNode({
    search: createInlineNonceSearch(),
    syncIntervalMs: 60_000,
    peerTimeoutMs: 2_000,
    ...options,
  });
}

export function startP2pNodes(
  count: number,
  options: Partial<NodeOptions> = {},
): Promise<BlockyardNode[]> {
  return Promise.all(Array.from({ length: count }, () => startP2pNode(options)));
}

/** POST /nodes/register on `node` with `peers` (their URLs); expects 201. */
export async function register(
  node: BlockyardNode,
  peers: readonly (BlockyardNode | string)[],
): Promise<Body> {
  const nodes = peers.map((p) => (typeof p === 'string' ? p : p.url));
  const answer = await postJson(`${node.url}/nodes/register`, { nodes });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

/** Wires nodes in a line: each registers the one before it. */
export async function wireLine(nodes: readonly BlockyardNode[]): Promise<void> {
  for (let i = 1; i < nodes.length; i++) await register(nodes[i]!, [nodes[i - 1]!]);
}

export async function submitTx(node: BlockyardNode, tx: Tx): Promise<string> {
  const answer = await postJson(`${node.url}/api/tx`, { hex: toHex(encodeTx(tx)) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id;
}

export async function submitBlock(node: BlockyardNode, block: Block): Promise<Body> {
  const answer = await postJson(`${node.url}/api/blocks`, { hex: toHex(encodeBlock(block)) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

export async function balanceOf(node: BlockyardNode, key: Uint8Array): Promise<bigint> {
  const answer = await get(`${node.url}/api/address/${addressOf(key)}`);
  expect(answer.status).toBe(200);
  return BigInt(answer.body.balance);
}

/**
 * Resolves when `ready()` holds, checked now and after each `event` of `emitter`; rejects after
 * `timeoutMs` with `what` in the message.
 */
export function waitForEvent<E extends string>(
  emitter: {
    on(event: E, listener: () => void): unknown;
    off(event: E, listener: () => void): unknown;
  },
  event: E,
  ready: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!ready()) return;
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      emitter.off(event, check);
    };
    emitter.on(event, check);
  });
}

/** Resolves once `node`'s tip is `hashHex`. */
export function waitForTip(node: BlockyardNode, hashHex: string, timeoutMs?: number) {
  return waitForEvent(
    node.chain,
    'tip',
    () => node.chain.tip.hashHex === hashHex,
    `${node.url} to reach tip ${hashHex.slice(0, 16)} (at ${node.chain.tip.header.height} ${node.chain.tip.hashHex.slice(0, 16)})`,
    timeoutMs,
  );
}

/** Resolves once every node's tip is `hashHex`. */
export async function waitForAll(
  nodes: readonly BlockyardNode[],
  hashHex: string,
  timeoutMs?: number,
): Promise<void> {
  await Promise.all(nodes.map((node) => waitForTip(node, hashHex, timeoutMs)));
}

/** Resolves once `node`'s mempool holds `idHex`. */
export function waitForMempool(node: BlockyardNode, idHex: string, timeoutMs?: number) {
  return waitForEvent(
    node.mempool,
    'added',
    () => node.mempool.has(idHex),
    `${node.url} to hold transaction ${idHex.slice(0, 16)} in its mempool`,
    timeoutMs,
  );
}

/** Resolves with `node`'s record of `url` once `ready` holds for it. */
export async function waitForPeer(
  node: BlockyardNode,
  url: string,
  ready: (peer: PeerState, banned: boolean) => boolean,
  what: string,
  timeoutMs?: number,
): Promise<PeerState> {
  const { peers } = node.network;
  const holds = () => {
    const peer = peers.get(url);
    return peer !== undefined && ready(peer, peers.isBanned(url));
  };
  await waitForEvent(peers, 'changed', holds, `${url} ${what}`, timeoutMs);
  return peers.get(url)!;
}

/** Polls `check` every 10 ms until it holds; for what no event announces (a remote's state). */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (performance.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** GET /nodes/get's view of `url` on `node`. */
export async function peerView(node: BlockyardNode, url: string): Promise<Body> {
  const answer = await get(`${node.url}/nodes/get`);
  expect(answer.status).toBe(200);
  return answer.body.peers.find((p: { url: string }) => p.url === url);
}
