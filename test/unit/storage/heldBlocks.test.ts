/**
 * A sync's block writes held in one SQL transaction (ChainStore.holdBlocks): what another
 * connection to the file sees is what a node killed at that moment would reopen on, so it must
 * be a whole chain as of the last commit: never the held blocks, never half of one.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { COIN, hashHeader, toHex } from '../../../src/core/index.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import type { ChainStore } from '../../../src/storage/types.js';
import { alice, ChainBuilder, miner } from '../../support/chainBuilder.js';
import { accountsOf, connectInto, makeTempDir } from '../../support/nodeFixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function openPair(): { store: ChainStore; committedTip: () => string | undefined; path: string } {
  const temp = makeTempDir();
  const path = join(temp.dir, 'chain.sqlite');
  const store = openSqliteStore(path);
  // A second connection reads only what was committed: the file a crash would leave.
  const reader = new Database(path, { readonly: true });
  const tip = reader.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'tip'");
  cleanups.push(() => {
    reader.close();
    if (store !== undefined) {
      try {
        store.close();
      } catch {
        // closed by the test
      }
    }
    temp.remove();
  });
  return { store, committedTip: () => tip.get()?.value, path };
}

const hashOf = (b: ChainBuilder, height: number) => toHex(hashHeader(b.blocks[height]!.header));

describe('held block writes (SQLite)', () => {
  it('are committed together, by holdBlocks(false) or any other write, and never seen before', () => {
    const b = new ChainBuilder();
    b.mine();
    b.mine({ transfers: [b.transfer(miner, alice, 3n * COIN)] });
    b.mine();
    const { store, committedTip } = openPair();
    connectInto(store, b.blocks.slice(0, 1), b.params);
    expect(committedTip()).toBe(hashOf(b, 0));

    store.holdBlocks(true);
    connectInto(store, b.blocks.slice(1, 3), b.params);
    // This connection sees its own writes; the file does not have them yet.
    expect(toHex(store.getTipHash()!)).toBe(hashOf(b, 2));
    expect(committedTip()).toBe(hashOf(b, 0));
    // A peer's record is not held back by the blocks: it commits them first, then itself.
    store.savePeer({
      url: 'http://127.0.0.1:1',
      named: false,
      addedMs: 1,
      lastSeenMs: 1,
      score: 0,
      scoreMs: 1,
      bannedUntilMs: 0,
      banReason: '',
    });
    expect(committedTip()).toBe(hashOf(b, 2));

    // Still holding: the next block waits again; one that does not extend the tip is refused
    // and rolled back alone, the held one stays.
    connectInto(store, b.blocks.slice(3, 4), b.params);
    const again = b.blocks[2]!;
    const connectAgain = () =>
      store.connectBlock({
        hash: hashHeader(again.header),
        block: again,
        txIds: [],
        diff: new Map(),
        undo: new Map(),
      });
    expect(connectAgain).toThrow(/does not extend/);
    expect(committedTip()).toBe(hashOf(b, 2));
    store.holdBlocks(false);
    expect(committedTip()).toBe(hashOf(b, 3));
    expect(accountsOf(store)).toEqual(b.accounts);
  });

  it('a store closed while holding keeps the held blocks', () => {
    const b = new ChainBuilder();
    b.mine();
    const { store, path } = openPair();
    connectInto(store, b.blocks.slice(0, 1), b.params);
    store.holdBlocks(true);
    connectInto(store, b.blocks.slice(1, 2), b.params);
    store.close();
    const reopened = openSqliteStore(path);
    expect(toHex(reopened.getTipHash()!)).toBe(hashOf(b, 1));
    reopened.close();
  });
});
