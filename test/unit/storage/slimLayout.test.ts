import { describe, expect, it } from 'vitest';
import { type Block, COIN, hashHeader, hashTx, toHex } from '../../../src/core/index.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import type { ChainStore } from '../../../src/storage/types.js';
import { alice, bob, ChainBuilder, carol, easyParams, miner } from '../../support/chainBuilder.js';
import { connectInto, feed, openChain } from '../../support/nodeFixtures.js';
import {
  GEN_LAYOUT,
  layout,
  PREVIOUS_LAYOUT,
  SLIM_LAYOUT,
  toPreviousLayout,
  toSlimLayout,
} from '../../support/previousLayout.js';
import { tempStoreEachTest } from '../../support/tempStore.js';

const temp = tempStoreEachTest();

/** Every transaction's location and every party's history, as the store answers them. */
function lookups(store: ChainStore, blocks: readonly Block[]) {
  const locations = blocks.flatMap((block) =>
    block.txs.map((tx) => store.getTxLocation(hashTx(tx))),
  );
  const histories = [alice, bob, carol, miner].map((p) => store.getHistory(toHex(p.key), 100));
  return { locations, histories };
}

describe.each([
  { name: 'slim', rewrite: toSlimLayout, old: SLIM_LAYOUT },
  { name: 'previous', rewrite: toPreviousLayout, old: PREVIOUS_LAYOUT },
])('the index layout with generations', ({ name, rewrite, old }) => {
  it(`converts a store of the ${name} layout at open, with the same answers`, async () => {
    const a = new ChainBuilder();
    a.mine();
    a.mine({ transfers: [a.transfer(miner, alice, 10n * COIN)] });
    a.mine({ transfers: [a.transfer(alice, bob, 3n * COIN), a.transfer(miner, carol, 1n * COIN)] });
    a.mine({ transfers: [a.transfer(bob, bob, 1n * COIN)] });
    let store = openSqliteStore(temp.path);
    connectInto(store, a.blocks, easyParams);
    const before = lookups(store, a.blocks);
    expect(before.locations.every((l) => l !== undefined)).toBe(true);
    expect(before.histories[1]!.length).toBe(2); // bob: paid, then paid himself (listed once)
    store.close();

    rewrite(temp.path);
    expect(layout(temp.path)).toEqual(old);

    store = openSqliteStore(temp.path);
    expect(layout(temp.path)).toEqual(GEN_LAYOUT);
    expect(lookups(store, a.blocks)).toEqual(before);
    expect(before.locations[3]).toEqual({
      blockHash: hashHeader(a.blocks[2]!.header),
      height: 2,
      index: 1,
    });

    // A heavier branch from block 2 takes blocks 3 and 4 off: their rows go, block 2's stay.
    const chain = await openChain(store);
    const b = new ChainBuilder();
    b.mine();
    b.mine({ transfers: [b.transfer(miner, alice, 10n * COIN)] });
    for (let i = 0; i < 4; i++) b.mine({ minerKey: carol.key });
    expect(hashHeader(b.blocks[3]!.header)).not.toEqual(hashHeader(a.blocks[3]!.header));
    await feed(chain, b.blocks.slice(3));
    expect(chain.tip.header.height).toBe(b.blocks.length - 1);
    for (const block of a.blocks.slice(3)) {
      for (const tx of block.txs) expect(store.getTxLocation(hashTx(tx))).toBeUndefined();
    }
    expect(store.getHistory(toHex(bob.key), 100)).toEqual([]);
    expect(store.getHistory(toHex(alice.key), 100)).toEqual([{ height: 2, index: 1 }]);
    store.close();

    // Opened again: already in generations, nothing to convert, the same answers.
    store = openSqliteStore(temp.path);
    expect(store.getHistory(toHex(alice.key), 100)).toEqual([{ height: 2, index: 1 }]);
    store.close();
  });
});
