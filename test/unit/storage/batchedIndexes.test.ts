/**
 * A block of many transfers has its txs and history rows written by the SQLite store's batched
 * statements (sqliteStore.ts, writeIndexes): the same rows as a row at a time, which the memory
 * store keeps, through a connect, a disconnect and a reconnect.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { COIN, hashHeader, hashTx, toHex } from '../../../src/core/index.js';
import { historyKeys } from '../../../src/storage/historyKeys.js';
import { MIN_BATCHED_ROWS } from '../../../src/storage/indexRows.js';
import type { ChainStore } from '../../../src/storage/types.js';
import { alice, bob, ChainBuilder, carol, miner } from '../../support/chainBuilder.js';
import { connectInto, memoryKind, sqliteKind } from '../../support/nodeFixtures.js';
import { disconnectTip } from '../../support/storeMoves.js';

const TRANSFERS = 2 * MIN_BATCHED_ROWS + 3;

/** A mined block, miner → alice, then alice pays bob, carol, herself and the miner in turn. */
function bigBlockChain(): ChainBuilder {
  const b = new ChainBuilder();
  b.mine();
  b.mine({ transfers: [b.transfer(miner, alice, 30n * COIN)] });
  const to = [bob, carol, alice, miner];
  const transfers = Array.from({ length: TRANSFERS }, (_, i) =>
    b.transfer(alice, to[i % to.length]!, 1n + BigInt(i), { nonce: BigInt(i) }),
  );
  b.mine({ transfers });
  return b;
}

/** The rows one statement a row writes: each transaction's location, each party's history. */
function expectIndexes(store: ChainStore, b: ChainBuilder, upTo: number): void {
  for (const [height, block] of b.blocks.entries()) {
    for (const [index, tx] of block.txs.entries()) {
      expect(store.getTxLocation(hashTx(tx))).toEqual(
        height <= upTo ? { blockHash: hashHeader(block.header), height, index } : undefined,
      );
    }
  }
  for (const party of [alice, bob, carol, miner]) {
    const expected = [];
    for (const block of b.blocks.slice(0, upTo + 1))
      for (const [index, tx] of block.txs.entries())
        if (historyKeys(tx).some((k) => toHex(k) === toHex(party.key)))
          expected.push({ height: block.header.height, index });
    expect(store.getHistory(toHex(party.key), 1000)).toEqual(expected.reverse());
  }
}

const kinds = [memoryKind(), sqliteKind()];
afterAll(() => {
  for (const kind of kinds) kind.cleanup();
});

describe.each(kinds)('index rows of a block of many transfers: $name', (kind) => {
  it('are every transaction and every party, through disconnect and reconnect', () => {
    const store = kind.create();
    const b = bigBlockChain();
    expect(b.tip.txs.length - 1).toBeGreaterThanOrEqual(MIN_BATCHED_ROWS);
    const top = b.height;
    connectInto(store, b.blocks, b.params);
    expectIndexes(store, b, top);
    // alice: every transfer once, her payments to herself too.
    expect(store.getHistory(toHex(alice.key), 1000).filter((e) => e.height === top)).toHaveLength(
      TRANSFERS,
    );
    disconnectTip(store);
    expectIndexes(store, b, top - 1);
    connectInto(store, [b.tip], b.params);
    expectIndexes(store, b, top);
    // bob is paid by transfers 1, 5, 9, …: the newest three, by a page below the next height.
    const last = 1 + 4 * Math.floor((TRANSFERS - 1) / 4);
    expect(store.getHistory(toHex(bob.key), 3, top + 1)).toEqual([
      { height: top, index: last },
      { height: top, index: last - 4 },
      { height: top, index: last - 8 },
    ]);
  });
});
