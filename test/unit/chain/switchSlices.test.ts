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

type Phase = 'checking' | 'open' | 'committed';

/** `store` with its switches watched: the phase of the switch under way. */
function watched(store: ChainStore): { store: ChainStore; phase: () => Phase } {
  let phase: Phase = 'checking';
  const wrapped: ChainStore = {
    ...store,
    beginSwitch() {
      const sw = store.beginSwitch();
      phase = 'open';
      const end = (commit: boolean) => {
        phase = 'committed';
        if (commit) sw.commit();
        else sw.abort();
      };
      return { ...sw, commit: () => end(true), abort: () => end(false) };
    },
  };
  return { store: wrapped, phase: () => phase };
}

/**
 * Turns of the event loop that came while the switch `b.tip` makes was under way, by phase: its
 * branch's signatures checked (nothing moved yet), the store's switch open, after its commit
 * (the chain's moves and the blocks' events).
 */
async function turnsDuringSwitch(inner: ChainStore): Promise<Record<Phase, number>> {
  const { a, b } = branches();
  const { store, phase } = watched(inner);
  const chain = await openChain(store, { switchSliceMs: 0 });
  // Every transfer's signature known good (a node's mempool had them): its check waits for no
  // other thread, so the event loop turns only where the switch lets it.
  chain.trustVerified(() => true);
  await feed(chain, afterGenesis(a));
  await feed(chain, b.blocks.slice(2, -1));
  expect(chain.tip.hashHex).toBe(hexOf(a.tip));
  const turns = { checking: 0, open: 0, committed: 0 };
  let done = false;
  const tick = () => {
    if (done) return;
    turns[phase()]++;
    setImmediate(tick);
  };
  const added = chain.addBlock(b.tip);
  setImmediate(tick);
  const result = await added;
  done = true;
  expect(unwrap(result)).toMatchObject({ status: 'connected', reorgDepth: 4 });
  expect(chain.tip.hashHex).toBe(hexOf(b.tip));
  store.close();
  return turns;
}

describe('a switch of the main chain deeper than the undo window', () => {
  it('lets the event loop run between its steps on SQLite (its readers see the old chain)', async () => {
    const turns = await turnsDuringSwitch(openSqliteStore(temp.path, { undoBlocks: UNDO }));
    // Slices of 0 ms: a turn after each block's signatures, each block taken off or replayed,
    // and each connect; none once committed: the chain and the mempool move with its events.
    expect(turns.checking).toBeGreaterThanOrEqual(4);
    expect(turns.open).toBeGreaterThan(4);
    expect(turns.committed).toBe(0);
  });

  it('runs in one go on the memory store, whose readers would see it half done', async () => {
    const turns = await turnsDuringSwitch(createMemoryStore({ undoBlocks: UNDO }));
    // Its branch's signatures are checked before anything moves: turns there are harmless.
    expect(turns.checking).toBeGreaterThanOrEqual(4);
    expect(turns.open + turns.committed).toBe(0);
  });
});
