/**
 * A switch to a heavier branch that leaves the main chain deeper than the store keeps undo data
 * (src/storage/undoWindow.ts, a window of 2 blocks here): not refused, the state rebuilt from the
 * chain's blocks (StoreSwitch.rewind). State, indexes, events and the undo kept afterwards are
 * those of a chain that connected the winning branch alone, on both stores, and after a reopen.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { COIN, hashHeader, hashTx, toHex, validateChain } from '../../../src/core/index.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import type { ChainStore } from '../../../src/storage/types.js';
import {
  alice,
  bob,
  ChainBuilder,
  carol,
  defaultNowMs,
  easyParams,
  miner,
  verify,
} from '../../support/chainBuilder.js';
import {
  accountsOf,
  afterGenesis,
  feed,
  hexOf,
  mainHexes,
  openChain,
  recordEvents,
  unwrap,
} from '../../support/nodeFixtures.js';
import { tempStoreEachTest } from '../../support/tempStore.js';

const now = defaultNowMs(easyParams);
const UNDO = 2;
const temp = tempStoreEachTest();

const kinds = [
  { name: 'memory', open: () => createMemoryStore({ undoBlocks: UNDO }), reopens: false },
  {
    name: 'sqlite',
    open: () => openSqliteStore(temp.path, { undoBlocks: UNDO }),
    reopens: true,
  },
];

/** Main: G A1 … A5, each paying; the branch B from A1: B2 … B7, mined by carol, paying otherwise. */
function branches(): { a: ChainBuilder; b: ChainBuilder } {
  const a = new ChainBuilder();
  a.mine();
  for (let i = 2; i <= 5; i++)
    a.mine({ transfers: [a.transfer(miner, i % 2 ? alice : bob, BigInt(i) * COIN)] });
  const b = a.forkAt(2);
  b.mine({ minerKey: carol.key, transfers: [b.transfer(miner, carol, 7n * COIN)] });
  b.mine({ minerKey: carol.key, transfers: [b.transfer(carol, bob, 2n * COIN)] });
  for (let i = 0; i < 4; i++)
    b.mine({ minerKey: carol.key, transfers: [b.transfer(carol, alice, 1n)] });
  return { a, b };
}

function expectChainOf(store: ChainStore, winner: ChainBuilder, loser: ChainBuilder): void {
  const expected = unwrap(validateChain(winner.blocks, easyParams, verify, now));
  expect(accountsOf(store)).toEqual(expected.accounts);
  expect(store.countAccounts()).toBe(expected.accounts.size);
  winner.blocks.forEach((block, h) => {
    expect(toHex(store.getMainHash(h)!)).toBe(hexOf(block));
    for (const [index, tx] of block.txs.entries())
      expect(store.getTxLocation(hashTx(tx))).toEqual({
        blockHash: hashHeader(block.header),
        height: h,
        index,
      });
  });
  const onWinner = new Set(winner.blocks.map(hexOf));
  for (const block of loser.blocks.filter((x) => !onWinner.has(hexOf(x))))
    for (const tx of block.txs) expect(store.getTxLocation(hashTx(tx))).toBeUndefined();
  // The undo of the last UNDO blocks only, written again by the rebuild or kept by the connects.
  const kept = winner.blocks.slice(1).map((block) => store.hasUndo!(hashHeader(block.header)));
  expect(kept).toEqual(kept.map((_, i) => i >= kept.length - UNDO));
}

/**
 * The store with a copy of its files (what a crash leaves) taken in the middle of the first
 * rewind (StoreSwitch.rewind): after the blocks went off the main chain and the state was
 * emptied, before the replay.
 */
function copiedMidRewind(store: ChainStore, copy: () => void): ChainStore {
  let copied = false;
  return {
    ...store,
    beginSwitch() {
      const sw = store.beginSwitch();
      return {
        ...sw,
        rewind: (height, replay) =>
          sw.rewind(height, (block, state) => {
            if (!copied) copy();
            copied = true;
            return replay(block, state);
          }),
      };
    },
  };
}

describe.each(kinds)('a switch deeper than the undo window: $name', (kind) => {
  it('rebuilds the state from the chain, both ways, and reopens on it', async () => {
    const opened = kind.open();
    const crashCopy = join(temp.dir, 'crash.sqlite');
    const store = kind.reopens
      ? copiedMidRewind(opened, () => {
          copyFileSync(temp.path, crashCopy);
          if (existsSync(`${temp.path}-wal`)) copyFileSync(`${temp.path}-wal`, `${crashCopy}-wal`);
        })
      : opened;
    const chain = await openChain(store);
    const { a, b } = branches();
    await feed(chain, afterGenesis(a));
    const beforeSwitch = accountsOf(store);
    const [a2, a3, a4, a5] = a.blocks.slice(2).map(hexOf);
    // A2 is more than UNDO blocks below the tip: its undo is gone, so the switch must rebuild.
    expect(store.hasUndo!(hashHeader(a.blocks[2]!.header))).toBe(false);
    const { take } = recordEvents(chain);

    // B6 outweighs A5: the switch, 4 blocks deep; B7 then extends it.
    await feed(chain, b.blocks.slice(2));
    const events = take();
    expect(events.filter((e) => e.type === 'disconnected')).toEqual(
      [a5, a4, a3, a2].map((hashHex) => ({ type: 'disconnected', hashHex })),
    );
    expect(events.filter((e) => e.type === 'connected')).toHaveLength(6);
    expect(events.filter((e) => e.type === 'reorg')).toMatchObject([{ depth: 4 }]);
    expect(mainHexes(chain)).toEqual(b.blocks.map(hexOf));
    expect(accountsOf(chain.state)).toEqual(b.accounts);
    expectChainOf(store, b, a);

    // Back to A once it is heavier again: deeper than the window a second time.
    for (let i = 0; i < 3; i++) a.mine({ transfers: [a.transfer(alice, bob, 1n)] });
    await feed(chain, a.blocks.slice(6));
    expect(chain.tip.hashHex).toBe(hexOf(a.tip));
    expect(accountsOf(chain.state)).toEqual(a.accounts);
    expectChainOf(store, a, b);

    if (!kind.reopens) return;
    // A crash in the middle of the rewind left the chain as it was before the switch: A5.
    const crashed = openSqliteStore(crashCopy, { undoBlocks: UNDO });
    expect(toHex(crashed.getTipHash()!)).toBe(a5);
    expect(accountsOf(crashed)).toEqual(beforeSwitch);
    expect(crashed.countAccounts()).toBe(beforeSwitch.size);
    crashed.close();
    store.close();
    const reopened = kind.open();
    const again = await openChain(reopened);
    expect(again.tip.hashHex).toBe(hexOf(a.tip));
    expectChainOf(reopened, a, b);
    reopened.close();
  });
});

describe('a file made before the copies of the accounts existed', () => {
  it('opens (the tables made), switches deeper than the window from genesis, then copies', async () => {
    const { a, b } = branches();
    const made = openSqliteStore(temp.path, { undoBlocks: UNDO, snapshotBlocks: 0 });
    await feed(await openChain(made), afterGenesis(a));
    made.close();
    // The layout before stateSnapshots.ts: no snapshots, no snapshot_accounts.
    const db = new Database(temp.path);
    db.exec('DROP TABLE snapshot_accounts; DROP TABLE snapshots;');
    db.close();

    const store = openSqliteStore(temp.path, { undoBlocks: UNDO, snapshotBlocks: 3 });
    const chain = await openChain(store);
    expect(chain.tip.hashHex).toBe(hexOf(a.tip));
    expect(store.hasUndo!(hashHeader(a.blocks[2]!.header))).toBe(false);
    await feed(chain, b.blocks.slice(2));
    expect(chain.tip.hashHex).toBe(hexOf(b.tip));
    expectChainOf(store, b, a);
    store.close();
    // The branch's connects took the copies of its checkpoints (3 and 6).
    const reopened = new Database(temp.path, { readonly: true });
    const heights = reopened.prepare('SELECT height FROM snapshots ORDER BY height').pluck().all();
    reopened.close();
    expect(heights).toEqual([3, 6]);
  });
});
