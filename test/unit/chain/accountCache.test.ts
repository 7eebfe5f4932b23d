/**
 * The chain keeps recent accounts in memory (AccountCache): what it answers must always be what
 * the store holds, through connects, a reorganisation (whose undo the store applies on its own)
 * and evictions.
 */
import { describe, expect, it } from 'vitest';
import { AccountCache } from '../../../src/chain/accountCache.js';
import { type Account, COIN, type StateDiff, toHex } from '../../../src/core/index.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import { alice, bob, ChainBuilder, carol, miner } from '../../support/chainBuilder.js';
import { afterGenesis, everyone, feed, openChain, unwrap } from '../../support/nodeFixtures.js';

const account = (balance: bigint): Account => ({ balance, nonce: 0n, locks: [] });

/** A store of plain accounts that counts its reads. */
function countingStore(accounts: Map<string, Account>) {
  let reads = 0;
  return {
    store: {
      getAccount(key: string) {
        reads++;
        return accounts.get(key);
      },
    },
    reads: () => reads,
  };
}

describe('AccountCache', () => {
  it('reads each account from the store once, missing ones too', () => {
    const { store, reads } = countingStore(new Map([['a', account(5n)]]));
    const cache = new AccountCache(store);
    expect(cache.getAccount('a')).toEqual(account(5n));
    expect(cache.getAccount('a')).toEqual(account(5n));
    expect(cache.getAccount('b')).toBeUndefined();
    expect(cache.getAccount('b')).toBeUndefined();
    expect(reads()).toBe(2);
  });

  it('takes a diff as the new values, null as no account, and forgets all on clear', () => {
    const accounts = new Map([['a', account(5n)]]);
    const { store, reads } = countingStore(accounts);
    const cache = new AccountCache(store);
    cache.getAccount('a');
    const diff: StateDiff = new Map([
      ['a', null],
      ['b', account(7n)],
    ]);
    cache.applyDiff(diff);
    expect(cache.getAccount('a')).toBeUndefined();
    expect(cache.getAccount('b')).toEqual(account(7n));
    expect(reads()).toBe(1);
    cache.clear();
    expect(cache.getAccount('a')).toEqual(account(5n)); // the store's, read again
    expect(reads()).toBe(2);
  });

  it('holds at most maxEntries, and reads evicted ones again', () => {
    const accounts = new Map(['a', 'b', 'c', 'd'].map((k, i) => [k, account(BigInt(i))]));
    const { store, reads } = countingStore(accounts);
    const cache = new AccountCache(store, 2);
    for (const key of ['a', 'b', 'c', 'd']) cache.getAccount(key);
    expect(reads()).toBe(4);
    expect(cache.getAccount('d')).toEqual(account(3n));
    expect(reads()).toBe(4);
    expect(cache.getAccount('a')).toEqual(account(0n));
    expect(reads()).toBe(5);
  });
});

describe("the chain's state", () => {
  it('is the store through connects and a reorganisation onto a branch without some accounts', async () => {
    const store = createMemoryStore();
    const chain = await openChain(store);
    const keys = everyone.map((p) => toHex(p.key));
    const agrees = () => {
      for (const key of keys)
        expect(chain.state.getAccount(key), key).toEqual(store.getAccount(key));
    };
    // Main: G A1 A2 A3, paying alice then bob and carol. Branch from G: B1 … B4, miner only.
    const a = new ChainBuilder();
    a.mine({ minerKey: alice.key });
    a.mine({ transfers: [a.transfer(alice, bob, COIN)] });
    a.mine({ transfers: [a.transfer(alice, carol, COIN)] });
    const b = new ChainBuilder().mineEmpty(4);
    await feed(chain, afterGenesis(a));
    agrees();
    expect(chain.state.getAccount(toHex(carol.key))?.balance).toBe(COIN);
    for (const block of afterGenesis(b)) unwrap(await chain.addBlock(block));
    expect(chain.tip.header.height).toBe(4);
    agrees();
    expect(chain.state.getAccount(toHex(carol.key))).toBeUndefined();
    expect(chain.state.getAccount(toHex(miner.key))?.balance).toBeGreaterThan(0n);
  });
});
