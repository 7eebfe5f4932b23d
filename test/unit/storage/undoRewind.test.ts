/**
 * ChainStore.rewindTo writes the undo of the last blocks it replays again (src/storage/
 * undoWindow.ts): a later disconnect within the window reads it. deepReorg.test.ts's switches
 * connect past those rows before any disconnect needs them, so this reads them back: wrong or
 * missing rewritten undo would restore a wrong state here, or refuse a disconnect it should take.
 */
import { describe, expect, it } from 'vitest';
import { applyBlock, COIN, hashHeader, toHex, validateChain } from '../../../src/core/index.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import type { ReplayBlock } from '../../../src/storage/types.js';
import {
  alice,
  bob,
  ChainBuilder,
  defaultNowMs,
  easyParams,
  miner,
  verify,
} from '../../support/chainBuilder.js';
import { accountsOf, afterGenesis, feed, openChain, unwrap } from '../../support/nodeFixtures.js';
import { tempStoreEachTest } from '../../support/tempStore.js';

const temp = tempStoreEachTest();
const now = defaultNowMs(easyParams);
const UNDO = 3;
const replay: ReplayBlock = (block, state) => unwrap(applyBlock(state, block, easyParams));

const kinds = [
  { name: 'memory', open: () => createMemoryStore({ undoBlocks: UNDO }) },
  { name: 'sqlite', open: () => openSqliteStore(temp.path, { undoBlocks: UNDO }) },
];

describe.each(kinds)('undo written again by rewindTo: $name', (kind) => {
  it('restores the state before each of the last blocks replayed, then refuses', async () => {
    const b = new ChainBuilder();
    b.mine();
    for (let i = 2; i <= 10; i++)
      b.mine({ transfers: [b.transfer(miner, i % 2 ? alice : bob, BigInt(i) * COIN)] });
    const store = kind.open();
    await feed(await openChain(store), afterGenesis(b));
    const stateAt = (h: number) =>
      unwrap(validateChain(b.blocks.slice(0, h + 1), easyParams, verify, now)).accounts;
    const hashAt = (h: number) => toHex(hashHeader(b.blocks[h]!.header));

    const taken = store.rewindTo!(7, replay);
    expect(taken.map((t) => toHex(t.hash))).toEqual([10, 9, 8].map(hashAt));
    expect(accountsOf(store)).toEqual(stateAt(7));
    expect(b.blocks.map((block) => store.hasUndo!(hashHeader(block.header)))).toEqual(
      b.blocks.map((_, h) => h > 7 - UNDO && h <= 7),
    );
    for (let h = 7; h > 7 - UNDO; h--) {
      expect(toHex(store.disconnectTip().hash)).toBe(hashAt(h));
      expect(accountsOf(store)).toEqual(stateAt(h - 1));
    }
    expect(() => store.disconnectTip()).toThrow(/no undo data/);
    expect(accountsOf(store)).toEqual(stateAt(7 - UNDO));
    store.close();
  });
});
