/**
 * A switch of the main chain lets the event loop run between its steps when the store keeps its
 * readers on the chain before it (StoreSwitch.isolated: SQLite), and runs in one go when it
 * cannot (the memory store): src/chain/switchSlices.ts. Counted as turns of the event loop
 * (setImmediate) that come while the store's switch is open, from beginSwitch to its commit.
 */
import { describe, expect, it } from 'vitest';
import { COIN } from '../../../src/core/index.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import type { ChainStore } from '../../../src/storage/types.js';
import { alice, ChainBuilder, carol, miner } from '../../support/chainBuilder.js';
import { afterGenesis, feed, hexOf, openChain, unwrap } from '../../support/nodeFixtures.js';
import { tempStoreEachTest } from '../../support/tempStore.js';

const temp = tempStoreEachTest();
const UNDO = 2;

/** Main: G A1 … A5; the branch from A1: B2 … B6, mined by carol (B6 makes the switch). */
function branches(): { a: ChainBuilder; b: ChainBuilder } {
  const a = new ChainBuilder();
  a.mine();
  for (let i = 2; i <= 5; i++) a.mine({ transfers: [a.transfer(miner, alice, BigInt(i) * COIN)] });
  const b = a.forkAt(2);
  for (let i = 0; i < 5; i++)
    b.mine({ minerKey: carol.key, transfers: [b.transfer(miner, carol, BigInt(i + 1) * COIN)] });
  return { a, b };
}

/** `store` with its switches watched: `open` while one is under way. */
function watched(store: ChainStore): { store: ChainStore; open: () => boolean } {
  let open = false;
  const wrapped: ChainStore = {
    ...store,
    beginSwitch() {
      const sw = store.beginSwitch();
      open = true;
      const end = (commit: boolean) => {
        open = false;
        if (commit) sw.commit();
        else sw.abort();
      };
      return { ...sw, commit: () => end(true), abort: () => end(false) };
    },
  };
  return { store: wrapped, open: () => open };
}

/** Turns of the event loop that came while the switch `b.tip` makes was under way. */
async function turnsDuringSwitch(inner: ChainStore): Promise<number> {
  const { a, b } = branches();
  const { store, open } = watched(inner);
  const chain = await openChain(store, { switchSliceMs: 0 });
  await feed(chain, afterGenesis(a));
  await feed(chain, b.blocks.slice(2, -1));
  expect(chain.tip.hashHex).toBe(hexOf(a.tip));
  let turns = 0;
  let done = false;
  const tick = () => {
    if (open()) turns++;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  const added = await chain.addBlock(b.tip);
  done = true;
  expect(unwrap(added)).toMatchObject({ status: 'connected', reorgDepth: 4 });
  expect(chain.tip.hashHex).toBe(hexOf(b.tip));
  store.close();
  return turns;
}

describe('a switch of the main chain deeper than the undo window', () => {
  it('lets the event loop run between its steps on SQLite (its readers see the old chain)', async () => {
    const turns = await turnsDuringSwitch(openSqliteStore(temp.path, { undoBlocks: UNDO }));
    // Slices of 0 ms: a turn after each block taken off or replayed, and after each connect.
    expect(turns).toBeGreaterThan(4);
  });

  it('runs in one go on the memory store, whose readers would see it half done', async () => {
    expect(await turnsDuringSwitch(createMemoryStore({ undoBlocks: UNDO }))).toBe(0);
  });
});
