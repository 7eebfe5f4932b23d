/**
 * A node that joins late: one node holds a chain longer than a page of headers (2,000), a fresh
 * node registers it and catches up by itself, headers first, page after page, showing its
 * progress in /api/info while it does.
 */
import { describe, expect, it } from 'vitest';
import { MAX_HEADERS_PER_PAGE } from '../../../src/p2p/messages.js';
import { ChainBuilder } from '../../support/chainBuilder.js';
import { closeNodesAfterEach, get } from '../../support/http.js';
import { register, startP2pNode, waitForTip } from '../../support/p2p.js';

closeNodesAfterEach();

const LENGTH = MAX_HEADERS_PER_PAGE + 150;

describe('a late joiner', () => {
  it('catches up with a chain of more than one header page by itself', async () => {
    const builder = new ChainBuilder().mineEmpty(LENGTH);
    const big = await startP2pNode();
    for (const block of builder.blocks.slice(1)) {
      const added = await big.chain.addBlock(block);
      expect(added.ok).toBe(true);
    }
    expect(big.chain.tip.header.height).toBe(LENGTH);

    const fresh = await startP2pNode();
    // The sync's progress as the node holds it, at every new tip; and what /api/info says, at
    // every 100th (the requests are answered while the sync goes on).
    const targets = new Set<number>();
    const shown: { syncing: boolean; height: number; target_height: number }[] = [];
    const asked: Promise<void>[] = [];
    fresh.chain.on('tip', (entry) => {
      const progress = fresh.network.progress;
      if (progress) targets.add(progress.targetHeight);
      if (entry.header.height % 100 === 0)
        asked.push(get(`${fresh.url}/api/info`).then((info) => void shown.push(info.body.sync)));
    });
    const started = performance.now();
    await register(fresh, [big]);
    await waitForTip(fresh, big.chain.tip.hashHex, 60_000);
    const ms = performance.now() - started;
    await Promise.all(asked);

    expect(fresh.chain.tip.header.height).toBe(LENGTH);
    expect(fresh.chain.main.map((e) => e.hashHex)).toEqual(big.chain.main.map((e) => e.hashHex));
    // Two pages of headers: progress went toward the end of the first, then of the second.
    expect([...targets]).toEqual([MAX_HEADERS_PER_PAGE, LENGTH]);
    const syncing = shown.filter((s) => s.syncing);
    expect(syncing.length).toBeGreaterThan(0);
    for (const s of syncing) expect(s.height).toBeLessThanOrEqual(s.target_height);
    const done = (await get(`${fresh.url}/api/info`)).body;
    expect(done).toMatchObject({ height: LENGTH, tip_hash: big.chain.tip.hashHex, peer_count: 1 });
    expect(ms).toBeLessThan(60_000);
  });
});
