/**
 * A network split in two and healed. Five nodes share a prefix that funds alice and the miner
 * party; then {A, B} and {C, D, E} mine apart, with more blocks on {C, D, E}. Alice spends the
 * same nonce on both sides (to bob on the light side, to carol on the heavy one), and the miner
 * party pays carol on the light side only. Once one node of each side registers the other,
 * every node must follow the heavy side, the double spend must end as the heavy side's, and the
 * light side's other transfer, still valid, must come back to the mempools and be mined again.
 */
import { describe, expect, it } from 'vitest';
import { MAX_UNREQUESTED_FORK_DEPTH } from '../../../src/chain/sideBranches.js';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import { alice, bob, ChainBuilder, carol, miner } from '../../support/chainBuilder.js';
import { closeNodesAfterEach, get } from '../../support/http.js';
import {
  balanceOf,
  mine,
  register,
  startP2pNodes,
  submitBlock,
  submitTx,
  waitForAll,
  waitForMempool,
  waitForTip,
  wireLine,
} from '../../support/p2p.js';

closeNodesAfterEach();

/** Mines one block on each node in turn, each waiting until all of `group` has the last one. */
async function mineInTurn(miners: readonly BlockyardNode[], group: readonly BlockyardNode[]) {
  let hash = '';
  for (const node of miners) {
    await waitForTip(node, group[0]!.chain.tip.hashHex);
    hash = (await mine(node)).hash;
    await waitForAll(group, hash);
  }
  return hash;
}

describe('a partition and its healing', () => {
  it('ends on the heaviest chain everywhere, with one side of the double spend', async () => {
    const nodes = await startP2pNodes(5);
    const [a, b, c, d, e] = nodes as [
      BlockyardNode,
      BlockyardNode,
      BlockyardNode,
      BlockyardNode,
      BlockyardNode,
    ];
    const light = [a, b];
    const heavy = [c, d, e];
    await wireLine(light);
    await wireLine(heavy);

    // The shared prefix: block 1 pays alice, block 2 the miner party.
    const prefix = new ChainBuilder();
    prefix.mine({ minerKey: alice.key });
    prefix.mine();
    for (const block of prefix.blocks.slice(1)) {
      await submitBlock(a, block);
      await submitBlock(c, block);
    }
    const prefixTip = (await get(`${a.url}/api/info`)).body.tip_hash;
    await waitForAll(nodes, prefixTip);

    // The light side: alice pays bob, the miner party pays carol; two blocks.
    const toBob = await submitTx(a, prefix.transfer(alice, bob, 1_000n));
    const stillValid = await submitTx(a, prefix.transfer(miner, carol, 777n));
    await waitForMempool(b, stillValid);
    const lightBlock = await mine(a);
    expect(lightBlock.transactions.map((t: { id: string }) => t.id)).toEqual(
      expect.arrayContaining([toBob, stillValid]),
    );
    await waitForAll(light, lightBlock.hash);
    const lightTip = await mineInTurn([b], light);

    // The heavy side: alice pays carol with the same nonce; three blocks.
    const toCarol = await submitTx(c, prefix.transfer(alice, carol, 2_000n));
    const heavyBlock = await mine(c);
    expect(heavyBlock.transactions.map((t: { id: string }) => t.id)).toContain(toCarol);
    await waitForAll(heavy, heavyBlock.hash);
    const heavyTip = await mineInTurn([d, e], heavy);
    expect(a.chain.tip.hashHex).toBe(lightTip);
    expect(c.chain.tip.header.height).toBeGreaterThan(a.chain.tip.header.height);

    // Heal: one node of the light side registers one of the heavy side.
    await register(b, [d]);
    await waitForAll(nodes, heavyTip);

    // The light side's still-valid transfer is back, travels to the heavy side, and is mined.
    await Promise.all(nodes.map((node) => waitForMempool(node, stillValid)));
    for (const node of nodes) expect(node.mempool.has(toBob)).toBe(false);
    const remined = await mine(e);
    expect(remined.transactions.map((t: { id: string }) => t.id)).toContain(stillValid);
    await waitForAll(nodes, remined.hash);

    // The double spend resolved to carol's side on every node, and every balance agrees.
    for (const node of nodes) {
      const status = async (id: string) => (await get(`${node.url}/api/tx/${id}`)).body.status;
      expect(await status(toCarol)).toBe('confirmed');
      expect(await status(toBob)).not.toBe('confirmed');
      expect(await status(stillValid)).toBe('confirmed');
      expect(node.mempool.size).toBe(0);
    }
    const keys = [alice, bob, carol, miner].map((p) => p.key);
    keys.push(...nodes.map((n) => n.nodeKey.publicKey));
    const balances = async (node: BlockyardNode) =>
      Promise.all(keys.map((key) => balanceOf(node, key)));
    const expected = await balances(e);
    for (const node of nodes) expect(await balances(node)).toEqual(expected);
    expect(await balanceOf(e, bob.key)).toBe(0n);
    expect(await balanceOf(e, carol.key)).toBe(2_000n + 777n);
  });

  it('after a partition longer than the side-branch policy reaches, the branch with more work still wins', async () => {
    const [a, b] = await startP2pNodes(2);
    // Apart: a mines MAX_UNREQUESTED_FORK_DEPTH + 2 blocks, b four more. Unrequested, b's first
    // blocks would be too deep for a to keep; headers first, they are the better branch.
    for (let i = 0; i < MAX_UNREQUESTED_FORK_DEPTH + 2; i++) await mine(a!);
    for (let i = 0; i < MAX_UNREQUESTED_FORK_DEPTH + 6; i++) await mine(b!);
    const heavy = b!.chain.tip.hashHex;
    await register(a!, [b!]);
    await waitForTip(a!, heavy);
    expect(a!.chain.tip.header.height).toBe(MAX_UNREQUESTED_FORK_DEPTH + 6);
  });
});
