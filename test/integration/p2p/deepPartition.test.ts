/**
 * A partition longer than the undo window (src/storage/undoWindow.ts; 3 blocks here, a copy of the
 * accounts every 3: stateSnapshots.ts), both sides mining, then healed. The light side's nodes
 * switch deeper than their undo reaches (StoreSwitch.rewind): each must end on the heavy branch
 * with the state (balances, nonces, every account) of a node that synced that branch from
 * scratch, and the light side's transfers that are still valid must come back to the mempools.
 * Nodes start in a random order (the seed is printed), half on SQLite, half in memory, and the
 * side that registers the other is drawn too.
 */
import { describe, expect, it } from 'vitest';
import { hashHeader, toHex } from '../../../src/core/index.js';
import type { BlockyardNode, NodeOptions } from '../../../src/node/createNode.js';
import { alice, bob, ChainBuilder, carol, miner } from '../../support/chainBuilder.js';
import { seeded } from '../../support/crashLoop.js';
import { closeNodesAfterEach, get, stopNode } from '../../support/http.js';
import { makeTempDir } from '../../support/nodeFixtures.js';
import {
  mine,
  register,
  startP2pNode,
  submitBlock,
  submitTx,
  waitForAll,
  waitForMempool,
  wireLine,
} from '../../support/p2p.js';

closeNodesAfterEach();
const storeWindows = { undoBlocks: 3, snapshotBlocks: 3 };

/** Every account the node's store holds for these keys, with its nonce, and how many there are. */
function stateOf(node: BlockyardNode, keys: readonly Uint8Array[]) {
  return {
    accounts: keys.map((key) => node.store.getAccount(toHex(key)) ?? null),
    count: node.store.countAccounts(),
  };
}

async function mineOn(node: BlockyardNode, group: readonly BlockyardNode[], blocks: number) {
  let hash = '';
  for (let i = 0; i < blocks; i++) {
    hash = (await mine(node)).hash;
    await waitForAll(group, hash);
  }
  return hash;
}

describe('a partition longer than the undo window', () => {
  it('heals onto the heavy branch everywhere, with the state of a fresh sync', async () => {
    const seed = Number(process.env.PARTITION_SEED ?? Date.now() % 1_000_000);
    console.log(`deepPartition seed ${seed} (PARTITION_SEED=${seed} repeats it)`);
    const random = seeded(seed);
    const dirs = [makeTempDir(), makeTempDir()];
    const specs: Partial<NodeOptions>[] = [
      { dataDir: dirs[0]!.dir, storeWindows },
      { storeWindows },
      { dataDir: dirs[1]!.dir, storeWindows },
      { storeWindows },
    ];
    const order = [0, 1, 2, 3].sort(() => random() - 0.5);
    const nodes: BlockyardNode[] = [];
    try {
      for (const i of order) nodes[i] = await startP2pNode(specs[i]);
      const [a, b, c, d] = nodes as [BlockyardNode, BlockyardNode, BlockyardNode, BlockyardNode];
      const light = [a, b];
      const heavy = [c, d];
      await wireLine(light);
      await wireLine(heavy);

      // The shared prefix: block 1 pays alice, 2 the miner party, 3 and 4 carol. The light side's
      // switch rebuilds from its copy of the accounts at 3, replaying 4.
      const prefix = new ChainBuilder();
      prefix.mine({ minerKey: alice.key });
      prefix.mine();
      prefix.mine({ minerKey: carol.key });
      prefix.mine({ minerKey: carol.key });
      for (const block of prefix.blocks.slice(1)) {
        await submitBlock(a, block);
        await submitBlock(c, block);
      }
      await waitForAll(nodes, toHex(hashHeader(prefix.tip.header)));

      // Light side: alice pays bob, the miner party carol; 5 blocks, deeper than the window.
      const toBob = await submitTx(a, prefix.transfer(alice, bob, 1_000n));
      const stillValid = await submitTx(b, prefix.transfer(miner, carol, 777n));
      await waitForMempool(a, stillValid);
      await mineOn(a, light, 3);
      await mineOn(b, light, 2);
      expect(a.chain.tip.header.height).toBe(9);
      // Heavy side: alice pays carol with the same nonce; 7 blocks.
      const toCarol = await submitTx(c, prefix.transfer(alice, carol, 2_000n));
      await mineOn(c, heavy, 4);
      const heavyTip = await mineOn(d, heavy, 3);

      // Heal: a node of one side, drawn, registers a node of the other.
      const from = random() < 0.5 ? light : heavy;
      const to = from === light ? heavy : light;
      await register(from[Math.floor(random() * 2)]!, [to[Math.floor(random() * 2)]!]);
      await waitForAll(nodes, heavyTip);

      // The light side's still-valid transfer is back everywhere; its double spend is not.
      await Promise.all(nodes.map((node) => waitForMempool(node, stillValid)));
      for (const node of nodes) {
        expect(node.mempool.has(toBob)).toBe(false);
        const status = async (id: string) => (await get(`${node.url}/api/tx/${id}`)).body.status;
        expect(await status(toCarol)).toBe('confirmed');
        expect(await status(toBob)).not.toBe('confirmed');
      }

      // A node that syncs the heavy branch from scratch holds the same state as each of them.
      const fresh = await startP2pNode({ storeWindows });
      await register(fresh, [nodes[Math.floor(random() * 4)]!]);
      await waitForAll([fresh], heavyTip);
      const keys = [alice, bob, carol, miner].map((p) => p.key);
      keys.push(...[...nodes, fresh].map((n) => n.nodeKey.publicKey));
      const expected = stateOf(fresh, keys);
      for (const node of nodes) expect(stateOf(node, keys)).toEqual(expected);
    } finally {
      for (const node of nodes) if (node) await stopNode(node);
      for (const dir of dirs) dir.remove();
    }
  }, 120_000);
});
