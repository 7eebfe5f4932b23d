/**
 * Two real nodes about to reorganise, for the tests of the reorganisation's story. They share a
 * prefix that funds alice and the miner party, then mine apart: on `light` alice pays bob and the
 * miner party pays carol (one block); on `heavy` alice pays carol with the same nonce (two
 * blocks). `meet()` has the light node register the heavy one, and resolves once it has moved.
 */
import { expect } from 'vitest';
import type { BlockyardNode } from '../../src/node/createNode.js';
import { alice, bob, ChainBuilder, carol, miner } from './chainBuilder.js';
import { mine, register, startP2pNodes, submitBlock, submitTx, waitForTip } from './p2p.js';

export interface ReorgScenario {
  readonly light: BlockyardNode;
  readonly heavy: BlockyardNode;
  readonly forkHash: string;
  readonly forkHeight: number;
  /** Alice to bob on the light side: the half of the double spend that loses. */
  readonly toBob: string;
  /** The miner party to carol on the light side: still valid, back to the pool. */
  readonly stillValid: string;
  /** Alice to carol with the same nonce on the heavy side: the half that wins. */
  readonly toCarol: string;
  readonly lightBlock: string;
  readonly heavyFirst: string;
  readonly heavyTip: string;
  meet(): Promise<void>;
}

const ids = (block: { transactions: { id: string }[] }) => block.transactions.map((t) => t.id);

export async function reorgScenario(): Promise<ReorgScenario> {
  const [light, heavy] = await startP2pNodes(2);
  if (!light || !heavy) throw new Error('two nodes');
  const prefix = new ChainBuilder();
  prefix.mine({ minerKey: alice.key });
  prefix.mine();
  for (const block of prefix.blocks.slice(1)) {
    await submitBlock(light, block);
    await submitBlock(heavy, block);
  }
  const forkHash = light.chain.tip.hashHex;

  const toBob = await submitTx(light, prefix.transfer(alice, bob, 1_000n));
  const stillValid = await submitTx(light, prefix.transfer(miner, carol, 777n));
  const lightBlock = await mine(light);
  expect(ids(lightBlock)).toEqual(expect.arrayContaining([toBob, stillValid]));

  const toCarol = await submitTx(heavy, prefix.transfer(alice, carol, 2_000n));
  const heavyFirst = await mine(heavy);
  expect(ids(heavyFirst)).toContain(toCarol);
  const heavyTip: string = (await mine(heavy)).hash;
  return {
    light,
    heavy,
    forkHash,
    forkHeight: prefix.height,
    toBob,
    stillValid,
    toCarol,
    lightBlock: lightBlock.hash,
    heavyFirst: heavyFirst.hash,
    heavyTip,
    async meet() {
      await register(light, [heavy]);
      await waitForTip(light, heavyTip);
    },
  };
}
