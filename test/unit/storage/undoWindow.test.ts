/**
 * Undo data kept for a window of blocks below the tip (src/storage/undoWindow.ts): a connect
 * deletes the row that leaves the window, a file written before the window (every block's undo,
 * no meta row) is pruned at open, and a disconnect past the window is refused whole, the store
 * unchanged. Deeper switches rebuild the state instead (StoreSwitch.rewind): test/unit/chain/
 * deepReorg.test.ts, and below, the undo the rebuild writes again for its last blocks read back.
 */
import Database from 'better-sqlite3';
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
import { disconnectTip, rewindTo } from '../../support/storeMoves.js';
import { tempStoreEachTest } from '../../support/tempStore.js';

const temp = tempStoreEachTest();
const now = defaultNowMs(easyParams);

/** G and 10 blocks, each paying alice or bob. */
function payingChain(): ChainBuilder {
  const b = new ChainBuilder();
  b.mine();
  for (let i = 2; i <= 10; i++)
    b.mine({ transfers: [b.transfer(miner, i % 2 ? alice : bob, BigInt(i) * COIN)] });
  return b;
}

function undoRows(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return Number(db.prepare('SELECT count(*) FROM undo').pluck().get());
  } finally {
    db.close();
  }
}

describe('the undo window', () => {
  it('keeps the undo of the last blocks only, as each connect prunes one', async () => {
    const store = openSqliteStore(temp.path, { undoBlocks: 4 });
    const b = payingChain();
    await feed(await openChain(store), afterGenesis(b));
    store.close();
    expect(undoRows(temp.path)).toBe(4);
    const reopened = openSqliteStore(temp.path, { undoBlocks: 4 });
    const kept = b.blocks.map((block) => reopened.hasUndo!(hashHeader(block.header)));
    expect(kept).toEqual(b.blocks.map((_, h) => h > 10 - 4));
    reopened.close();
  });

  it('prunes a file written before the window at open, and still disconnects within it', async () => {
    const store = openSqliteStore(temp.path, { undoBlocks: 1_000 });
    const b = payingChain();
    await feed(await openChain(store), afterGenesis(b));
    store.close();
    // As an older checkout left it: every block's undo (genesis's too), no record of a window.
    const db = new Database(temp.path);
    db.prepare("DELETE FROM meta WHERE key = 'undo_kept_blocks'").run();
    db.close();
    expect(undoRows(temp.path)).toBe(11);

    openSqliteStore(temp.path, { undoBlocks: 3 }).close();
    expect(undoRows(temp.path)).toBe(3);
    const pruned = openSqliteStore(temp.path, { undoBlocks: 3 });
    expect(undoRows(temp.path)).toBe(3);
    expect(accountsOf(pruned)).toEqual(b.accounts);
    // Three disconnects within the window, each restoring the state before its block.
    for (let h = 10; h > 7; h--) {
      expect(toHex(disconnectTip(pruned))).toBe(toHex(hashHeader(b.blocks[h]!.header)));
    }
    const at7 = unwrap(validateChain(b.blocks.slice(0, 8), easyParams, verify, now));
    expect(accountsOf(pruned)).toEqual(at7.accounts);
    // A fourth has no undo: refused whole, the tip and state as they were.
    expect(() => disconnectTip(pruned)).toThrow(/no undo data/);
    expect(toHex(pruned.getTipHash()!)).toBe(toHex(hashHeader(b.blocks[7]!.header)));
    expect(accountsOf(pruned)).toEqual(at7.accounts);
    pruned.close();
  });
});

/**
 * deepReorg.test.ts's switches connect past the undo rows a rewind writes again before any
 * disconnect needs them; here a disconnect reads them: wrong or missing rewritten undo would
 * restore a wrong state, or refuse a disconnect it should take.
 */
describe.each([
  { name: 'memory', open: (undoBlocks: number) => createMemoryStore({ undoBlocks }) },
  { name: 'sqlite', open: (undoBlocks: number) => openSqliteStore(temp.path, { undoBlocks }) },
])('the undo a rewind writes again: $name', (kind) => {
  it('restores the state before each of the last blocks replayed, then refuses', async () => {
    const UNDO = 3;
    const replay: ReplayBlock = (block, state) => unwrap(applyBlock(state, block, easyParams));
    const b = payingChain();
    const store = kind.open(UNDO);
    await feed(await openChain(store), afterGenesis(b));
    const stateAt = (h: number) =>
      unwrap(validateChain(b.blocks.slice(0, h + 1), easyParams, verify, now)).accounts;
    const hashAt = (h: number) => toHex(hashHeader(b.blocks[h]!.header));

    const taken = rewindTo(store, 7, replay);
    expect(taken.map(toHex)).toEqual([10, 9, 8].map(hashAt));
    expect(accountsOf(store)).toEqual(stateAt(7));
    expect(b.blocks.map((block) => store.hasUndo!(hashHeader(block.header)))).toEqual(
      b.blocks.map((_, h) => h > 7 - UNDO && h <= 7),
    );
    for (let h = 7; h > 7 - UNDO; h--) {
      expect(toHex(disconnectTip(store))).toBe(hashAt(h));
      expect(accountsOf(store)).toEqual(stateAt(h - 1));
    }
    expect(() => disconnectTip(store)).toThrow(/no undo data/);
    expect(accountsOf(store)).toEqual(stateAt(7 - UNDO));
    store.close();
  });
});

/**
 * Copies of the accounts at checkpoints (src/storage/stateSnapshots.ts): a rewind replays only the
 * blocks after the newest copy at or below its height, and a copy of a block taken off the main
 * chain is never used. The replayed heights tell where each rebuild started.
 */
describe.each([
  { name: 'memory', open: () => createMemoryStore({ undoBlocks: 2, snapshotBlocks: 3 }) },
  {
    name: 'sqlite',
    open: () => openSqliteStore(temp.path, { undoBlocks: 2, snapshotBlocks: 3 }),
  },
])('a rewind from a copy of the accounts: $name', (kind) => {
  it('replays from the copy below the fork point, never from one taken off', async () => {
    const b = payingChain();
    const store = kind.open();
    await feed(await openChain(store), afterGenesis(b));
    const replayed: number[] = [];
    const replay: ReplayBlock = (block, state) => {
      replayed.push(block.header.height);
      return unwrap(applyBlock(state, block, easyParams));
    };
    const stateAt = (h: number) =>
      unwrap(validateChain(b.blocks.slice(0, h + 1), easyParams, verify, now)).accounts;
    const rewind = (height: number) => {
      replayed.length = 0;
      rewindTo(store, height, replay);
      expect(accountsOf(store)).toEqual(stateAt(height));
      expect(store.countAccounts()).toBe(stateAt(height).size);
      return [...replayed];
    };

    // Copies at 3, 6 and 9; 9's block goes off with 10 and 8: rebuilt from 6's copy.
    expect(rewind(7)).toEqual([7]);
    // Blocks at or below the copy keep no undo: 7's only (a window of 2 would keep 6's too).
    expect(b.blocks.map((block) => store.hasUndo!(hashHeader(block.header)))).toEqual(
      b.blocks.map((_, h) => h === 7),
    );
    expect(toHex(disconnectTip(store))).toBe(toHex(hashHeader(b.blocks[7]!.header)));
    expect(accountsOf(store)).toEqual(stateAt(6));
    expect(() => disconnectTip(store)).toThrow(/no undo data/);
    // 6's copy goes with its block: from 3's.
    expect(rewind(5)).toEqual([4, 5]);
    // None at or below 2 (genesis has none): from block 1.
    expect(rewind(2)).toEqual([1, 2]);
    store.close();
  });
});
