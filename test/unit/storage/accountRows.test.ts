/**
 * The SQLite store's account rows (src/storage/accountRows.ts: a diff written in key order) and
 * its tentative connect in a transaction of its own (sqliteCommits.ts: no savepoint): the state
 * after connects of big diffs, kept tentative connects, dropped ones, a connect that fails half
 * written, disconnects back over several blocks, another branch and a reopen is the memory
 * store's, account by account.
 */
import { describe, expect, it } from 'vitest';
import {
  type Account,
  type Block,
  hashHeader,
  hashTx,
  MAX_MONEY,
  type StateDiff,
} from '../../../src/core/index.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import type { ChainStore, ConnectBlock } from '../../../src/storage/types.js';
import { ChainBuilder } from '../../support/chainBuilder.js';
import { disconnectTip } from '../../support/storeMoves.js';
import { tempStoreEachTest } from '../../support/tempStore.js';

const temp = tempStoreEachTest();

/** A seeded generator (mulberry32): the same diffs every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(13);
const hex = () =>
  Array.from({ length: 32 }, () =>
    Math.floor(next() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');
/** 400 keys in no order: a block's diff names them as a block would, not sorted. */
const keys = Array.from({ length: 400 }, () => hex());

function someAccount(): Account {
  const locks = next() < 0.2 ? [{ maturesAt: Math.floor(next() * 1e6), amount: 7n }] : [];
  return {
    balance: next() < 0.05 ? MAX_MONEY : BigInt(Math.floor(next() * 1e15)),
    nonce: BigInt(Math.floor(next() * 1e9)),
    locks,
  };
}

/** A diff over 40–200 of the keys: most changed, some deleted (null). */
function someDiff(): Map<string, Account | null> {
  const diff = new Map<string, Account | null>();
  const count = 40 + Math.floor(next() * 160);
  for (let i = 0; i < count; i++)
    diff.set(keys[Math.floor(next() * keys.length)]!, next() < 0.1 ? null : someAccount());
  return diff;
}

function connectOf(store: ChainStore, block: Block, diff: StateDiff): ConnectBlock {
  const hash = hashHeader(block.header);
  store.saveBlock(
    { hash, header: block.header, chainWork: 1n, seenOrder: 0, invalid: false },
    block,
  );
  const undo = new Map([...diff.keys()].map((k) => [k, store.getAccount(k) ?? null]));
  return { hash, block, txIds: block.txs.map(hashTx), diff, undo };
}

const stateOf = (store: ChainStore) =>
  new Map(keys.map((k) => [k, store.getAccount(k)] as const).filter(([, a]) => a !== undefined));

describe('account rows (SQLite) against the memory store', () => {
  it('connects, tentative or not, kept or dropped, disconnects, reorganises and reopens alike', () => {
    const main = new ChainBuilder().mineEmpty(8);
    const fork = main.clone();
    const blocks = main.mineEmpty(5).blocks;
    const last = blocks[7]!.header.timestampMs;
    for (let i = 1; i <= 3; i++) fork.mine({ timestampMs: last + 7_777 * i });
    const memory = createMemoryStore();
    let sqlite = openSqliteStore(temp.path);
    for (const store of [memory, sqlite])
      store.connectBlock(connectOf(store, blocks[0]!, new Map()));

    const connect = (block: Block, diff: StateDiff, tentative: boolean) => {
      memory.connectBlock(connectOf(memory, block, diff));
      const c = connectOf(sqlite, block, diff);
      if (!tentative) sqlite.connectBlock(c);
      else {
        // A dropped one first: nothing of it may remain.
        sqlite.connectTentatively!(c).drop();
        expect(sqlite.getMainHash(block.header.height)).toBeUndefined();
        expect(sqlite.connectTentatively!(c).keep()).toBe(true);
      }
      expect(stateOf(sqlite)).toEqual(stateOf(memory));
    };
    for (let h = 1; h <= 12; h++) connect(blocks[h]!, someDiff(), h % 2 === 0);
    expect(stateOf(memory).size).toBeGreaterThan(200);

    for (let i = 0; i < 5; i++) {
      disconnectTip(memory);
      disconnectTip(sqlite);
      expect(stateOf(sqlite)).toEqual(stateOf(memory));
    }
    // Another branch from height 7.
    for (const [i, block] of fork.blocks.slice(8).entries()) connect(block, someDiff(), i !== 1);
    expect(sqlite.getMainHash(8)).toEqual(hashHeader(fork.blocks[8]!.header));
    sqlite.close();
    sqlite = openSqliteStore(temp.path);
    expect(stateOf(sqlite)).toEqual(stateOf(memory));
    sqlite.close();
  });

  it('a connect that fails half written, tentative or not, leaves the state as it was', () => {
    const blocks = new ChainBuilder().mineEmpty(3).blocks;
    const sqlite = openSqliteStore(temp.path);
    sqlite.connectBlock(connectOf(sqlite, blocks[0]!, new Map()));
    sqlite.connectBlock(connectOf(sqlite, blocks[1]!, someDiff()));
    const before = stateOf(sqlite);
    // Written in key order: the last key's row fails (beyond 64 bits) after all the others.
    const diff = someDiff();
    diff.set('f'.repeat(64), { balance: 1n << 64n, nonce: 0n, locks: [] });
    const c = connectOf(sqlite, blocks[2]!, diff);
    expect(() => sqlite.connectTentatively!(c)).toThrow(RangeError);
    expect(stateOf(sqlite)).toEqual(before);
    expect(sqlite.getMainHash(2)).toBeUndefined();
    expect(() => sqlite.connectBlock(c)).toThrow(RangeError);
    expect(stateOf(sqlite)).toEqual(before);
    // Nothing was left open: the next connect commits, and a reopen finds it.
    diff.delete('f'.repeat(64));
    sqlite.connectBlock(connectOf(sqlite, blocks[2]!, diff));
    const after = stateOf(sqlite);
    expect(after).not.toEqual(before);
    sqlite.close();
    const reopened = openSqliteStore(temp.path);
    expect(stateOf(reopened)).toEqual(after);
    reopened.close();
  });

  it('in a sync (held writes), a tentative connect that fails half written loses only itself', () => {
    const blocks = new ChainBuilder().mineEmpty(4).blocks;
    const sqlite = openSqliteStore(temp.path);
    sqlite.connectBlock(connectOf(sqlite, blocks[0]!, new Map()));
    sqlite.holdBlocks(true);
    // A held block before it, kept tentatively (inside the held transaction's savepoint).
    expect(sqlite.connectTentatively!(connectOf(sqlite, blocks[1]!, someDiff())).keep()).toBe(true);
    const held = stateOf(sqlite);
    const diff = someDiff();
    diff.set('f'.repeat(64), { balance: 1n << 64n, nonce: 0n, locks: [] });
    expect(() => sqlite.connectTentatively!(connectOf(sqlite, blocks[2]!, diff))).toThrow(
      RangeError,
    );
    expect(stateOf(sqlite)).toEqual(held);
    expect(sqlite.getMainHash(2)).toBeUndefined();
    // The held transaction goes on: the next block joins it, and the commit keeps both.
    diff.delete('f'.repeat(64));
    expect(sqlite.connectTentatively!(connectOf(sqlite, blocks[2]!, diff)).keep()).toBe(true);
    sqlite.holdBlocks(false);
    const after = stateOf(sqlite);
    expect(after).not.toEqual(held);
    sqlite.close();
    const reopened = openSqliteStore(temp.path);
    expect(stateOf(reopened)).toEqual(after);
    expect(reopened.getMainHash(1)).toEqual(hashHeader(blocks[1]!.header));
    expect(reopened.getMainHash(2)).toEqual(hashHeader(blocks[2]!.header));
    reopened.close();
  });
});
