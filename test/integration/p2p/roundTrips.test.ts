/**
 * The round trips a node makes to adopt a peer's blocks, counted at the peer that answers them:
 * a short branch is one headers page and its bodies (no second headers page to hear there is
 * nothing more). From a peer since 0.2.0 the bodies of a short branch of small blocks come in
 * one request (max_bytes); an older peer's are asked for in its own form, 1, then 2 at a time
 * (its answers cannot be capped: batchSizes.ts UNCAPPED_BATCH_MOST), many requests at once. A peer the operator names is greeted with its first headers page asked for at
 * once, and /nodes/resolve joins that sync rather than starting another.
 */
import { describe, expect, it } from 'vitest';
import { fail } from '../../../src/core/index.js';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import { UNCAPPED_BATCH_MOST } from '../../../src/p2p/batchSizes.js';
import { syncFromPeer } from '../../../src/p2p/sync.js';
import { ChainBuilder, defaultNowMs, easyParams } from '../../support/chainBuilder.js';
import { closeNodesAfterEach, get } from '../../support/http.js';
import { afterGenesis, feed, openChain } from '../../support/nodeFixtures.js';
import { register, startP2pNode } from '../../support/p2p.js';

closeNodesAfterEach();

/** Counts the requests `node` answers, by path, from now on; `urls` has each whole. */
function countRequests(node: BlockyardNode): Map<string, number> & { urls: string[] } {
  const counts = Object.assign(new Map<string, number>(), { urls: [] as string[] });
  node.app.server.on('request', (request: { url?: string; method?: string }) => {
    const path = (request.url ?? '').split('?')[0]!;
    const method = `${request.method} ${path}`;
    counts.set(method, (counts.get(method) ?? 0) + 1);
    counts.set(path, (counts.get(path) ?? 0) + 1);
    counts.urls.push(request.url ?? '');
  });
  return counts;
}

/**
 * The requests for a 20-block branch to a peer before 0.2.0: 1 block, then 2 a request; those
 * after the first two go out together, in no set order (sorted here, as `sorted` gives them).
 */
const OLDER_FORM_20 = [1, 2, 1, ...Array.from({ length: 8 }, () => UNCAPPED_BATCH_MOST)];
/** The request sizes, first two in order (one after the other), the rest sorted. */
const sorted = (sizes: readonly { hashes: number; maxBytes: string | null }[]) => [
  ...sizes.slice(0, 2),
  ...sizes.slice(2).sort((a, b) => a.hashes - b.hashes),
];
/** How many hashes each block request asked for, and whether it gave max_bytes. */
const blockRequests = (urls: readonly string[]) =>
  urls
    .filter((u) => u.startsWith('/api/p2p/blocks'))
    .map((u) => {
      const query = new URL(u, 'http://x').searchParams;
      return { hashes: query.get('hashes')!.split(',').length, maxBytes: query.get('max_bytes') };
    });

/** A fresh chain syncs a peer's 20-block chain from it, the peer having said `peerVersion`. */
async function syncTwentyBlocks(peerVersion: string | undefined) {
  const builder = new ChainBuilder(easyParams);
  for (let i = 0; i < 20; i++) builder.mine();
  const peer = await startP2pNode({ params: easyParams });
  await feed(peer.chain, afterGenesis(builder));
  const counts = countRequests(peer);
  const chain = await openChain();
  const synced = await syncFromPeer(
    { chain, now: () => defaultNowMs(easyParams), timeoutMs: 5_000, peerVersion },
    peer.url,
  );
  expect(synced).toEqual({ ok: true, value: { headers: 20, blocks: 20 } });
  expect(chain.tip.hashHex).toBe(peer.chain.tip.hashHex);
  return counts;
}

describe('round trips', () => {
  for (const [version, form] of [
    [undefined, 'no version'],
    ['0.1.0', 'an older version'],
    ['blockyard', 'a version that is not MAJOR.MINOR.PATCH'],
  ] as const) {
    it(`syncs a 20-block branch from a peer with ${form}: one headers page, bodies in 1, then 2 a request`, async () => {
      const counts = await syncTwentyBlocks(version);
      expect(counts.get('/api/p2p/headers')).toBe(1);
      // The form every version takes: no max_bytes; at most UNCAPPED_BATCH_MOST (2) hashes
      // after the first, since such an answer cannot be capped (batchSizes.ts).
      expect(sorted(blockRequests(counts.urls))).toEqual(
        OLDER_FORM_20.map((hashes) => ({ hashes, maxBytes: null })),
      );
    });
  }

  it('syncs a 20-block branch of small blocks from a peer since 0.2.0 in one request', async () => {
    const counts = await syncTwentyBlocks('0.2.0');
    expect(blockRequests(counts.urls)).toEqual([{ hashes: 20, maxBytes: `${512 * 1024}` }]);
  });

  it('uses a first headers page asked for beforehand, and asks again if that call failed', async () => {
    const builder = new ChainBuilder(easyParams);
    for (let i = 0; i < 3; i++) builder.mine();
    const peer = await startP2pNode({ params: easyParams });
    await feed(peer.chain, afterGenesis(builder));
    const now = () => defaultNowMs(easyParams);
    // The page a node with only the genesis block asks for first.
    const genesis = peer.chain.main[0]!.hashHex;
    const headers = (await get(`${peer.url}/api/p2p/headers?locator=${genesis}`)).body;
    const counts = countRequests(peer);

    const chain = await openChain();
    const given = await syncFromPeer(
      { chain, now, timeoutMs: 5_000, firstPage: Promise.resolve({ ok: true, value: headers }) },
      peer.url,
    );
    expect(given).toEqual({ ok: true, value: { headers: 3, blocks: 3 } });
    expect(counts.get('/api/p2p/headers')).toBeUndefined();

    const other = await openChain();
    const failed = await syncFromPeer(
      {
        chain: other,
        now,
        timeoutMs: 5_000,
        firstPage: Promise.resolve(fail('P2P_TIMEOUT', 'the early call timed out')),
      },
      peer.url,
    );
    expect(failed).toEqual({ ok: true, value: { headers: 3, blocks: 3 } });
    expect(counts.get('/api/p2p/headers')).toBe(1);
  });

  it('register + resolve onto a 20-block-longer chain: one hello, the bodies in one request', async () => {
    const builder = new ChainBuilder(easyParams);
    for (let i = 0; i < 20; i++) builder.mine();
    const ahead = await startP2pNode({ params: easyParams });
    await feed(ahead.chain, afterGenesis(builder));
    const behind = await startP2pNode({ params: easyParams });
    const counts = countRequests(ahead);

    await register(behind, [ahead]);
    const resolved = await get(`${behind.url}/nodes/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.body.length).toBe(21);
    // The registration's sync may have ended before the resolve came (then the resolve asks
    // again, with one more headers page, and finds nothing more) or still run (then the resolve
    // joins it, and reports the blocks it added during the call).
    const chain = resolved.body.new_chain ?? resolved.body.chain;
    expect(chain.map((b: { hash: string }) => b.hash)).toEqual(
      ahead.chain.main.map((e) => e.hashHex),
    );
    const [report] = resolved.body.peers;
    expect(report.ok).toBe(true);
    if (resolved.body.new_chain) expect(report.blocks).toBeGreaterThan(0);
    else expect(report.blocks).toBe(0);
    expect(behind.chain.tip.hashHex).toBe(ahead.chain.tip.hashHex);
    expect(counts.get('POST /api/p2p/hello')).toBe(1);
    // Joined, one page; asked again after the registration's sync ended, two. A sync joined
    // after it had added every block (then finishing) also leaves the chain as it was.
    if (resolved.body.new_chain) expect(counts.get('/api/p2p/headers')).toBe(1);
    else expect([1, 2]).toContain(counts.get('/api/p2p/headers'));
    expect(counts.get('/api/p2p/blocks')).toBe(1);
  });
});
