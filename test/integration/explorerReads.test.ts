/**
 * The explorer's reads on a real node: the projected next block is the block the miner then
 * really mines (same transfers, same order, same fees); a page of blocks says who mined each
 * and the fees it paid; the statistics give each block's interval, difficulty and hash rate, and
 * on a retargeting network where the window stands.
 */
import { describe, expect, it } from 'vitest';
import { bob, carol, easyParams, paramsWithGenesis } from '../support/chainBuilder.js';
import { closeNodesAfterEach, expectError, get, sendFromNode, startNode } from '../support/http.js';

closeNodesAfterEach();

describe('the explorer reads', () => {
  it('projects the next block the miner then mines, and tells who mined each block and its fees', async () => {
    const node = await startNode();
    expect((await node.miner.mineOnce()).ok).toBe(true);
    const ids = [
      await sendFromNode(node, bob.key, 2, 0.001),
      await sendFromNode(node, carol.key, 3, 0.5),
    ];
    const projected = (await get(`${node.url}/api/next-block`)).body;
    expect(projected).toMatchObject({
      height: 2,
      parent_hash: node.chain.tip.hashHex,
      tx_count: 2,
      fees: `${100_000 + 50_000_000}`,
      pending_count: 2,
    });
    expect(BigInt(projected.reward)).toBe(BigInt(projected.subsidy) + 50_100_000n);
    expect(projected.transactions.map((t: { id: string }) => t.id)).toEqual(ids);

    const mined = await node.miner.mineOnce();
    expect(mined.ok).toBe(true);
    const block = (await get(`${node.url}/api/blocks/2`)).body;
    expect(block.transactions.slice(1).map((t: { id: string }) => t.id)).toEqual(ids);
    expect(block.transactions[0].amount).toBe(projected.reward);

    const rows = (await get(`${node.url}/api/blocks?limit=2`)).body.blocks;
    expect(rows.map((r: { mined_by: string; fees: string }) => [r.mined_by, r.fees])).toEqual([
      [node.nodeKey.address, '50100000'],
      [node.nodeKey.address, '0'],
    ]);
    const empty = (await get(`${node.url}/api/next-block`)).body;
    expect(empty).toMatchObject({ height: 3, tx_count: 0, fees: '0', transactions: [] });
  });

  it('gives intervals, difficulty and hash rate; no retarget on a fixed-target network', async () => {
    const node = await startNode();
    for (let i = 0; i < 12; i++) expect((await node.miner.mineOnce()).ok).toBe(true);
    const stats = (await get(`${node.url}/api/stats?blocks=5`)).body;
    expect(stats.retarget).toBeNull();
    expect(stats.blocks.map((b: { height: number }) => b.height)).toEqual([8, 9, 10, 11, 12]);
    for (const b of stats.blocks) {
      const header = node.chain.main[b.height]!.header;
      const parent = node.chain.main[b.height - 1]!.header;
      expect(b.interval_ms).toBe(header.timestampMs - parent.timestampMs);
      expect(b.difficulty).toBe(1);
    }
    expect(stats.blocks[4].hash_rate === null || stats.blocks[4].hash_rate > 0).toBe(true);
    // Genesis has no interval, and no hash rate is measured from its timestamp (fixed long ago).
    const [genesis, first, second] = (await get(`${node.url}/api/stats`)).body.blocks;
    expect(genesis).toMatchObject({ height: 0, interval_ms: null, hash_rate: null });
    expect(first).toMatchObject({ height: 1, hash_rate: null });
    const spanMs = node.chain.main[2]!.header.timestampMs - node.chain.main[1]!.header.timestampMs;
    expect(second.hash_rate).toBe(spanMs > 0 ? 2000 / spanMs : null);
    expectError(await get(`${node.url}/api/stats?blocks=lots`), 400, 'API_BAD_REQUEST');
  });

  it('tells the progress to the next retarget on a retargeting network', async () => {
    const params = paramsWithGenesis(easyParams, {
      retarget: { intervalBlocks: 4, targetBlockTimeMs: 1_000 },
    });
    const node = await startNode({ params });
    for (let i = 0; i < 9; i++) expect((await node.miner.mineOnce()).ok).toBe(true);
    const { retarget } = (await get(`${node.url}/api/stats`)).body;
    const start = node.chain.main[7]!.header.timestampMs;
    expect(retarget).toMatchObject({
      interval_blocks: 4,
      target_block_time_ms: 1_000,
      next_height: 12,
      blocks_left: 3,
      window_blocks: 2,
      window_elapsed_ms: node.chain.tip.header.timestampMs - start,
      expected_ms: 4_000,
    });
    expect(retarget.projected_ratio).toBeGreaterThanOrEqual(0.25);
    expect(retarget.projected_ratio).toBeLessThanOrEqual(4);
  });
});
