/**
 * The filter of account keys the SQLite store may hold (src/storage/accountFilter.ts): it never
 * forgets a key it was given, so the store's "no such account" without a query is always true;
 * and the store keeps it true when the accounts were written before it was built (a reopened
 * file), when accounts come and go with blocks, and when it outgrows its size.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Account, hashHeader, hashTx, toHex } from '../../../src/core/index.js';
import { AccountFilter } from '../../../src/storage/accountFilter.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import type { ChainStore } from '../../../src/storage/types.js';
import { ChainBuilder } from '../../support/chainBuilder.js';
import { connectInto } from '../../support/nodeFixtures.js';
import { disconnectTip } from '../../support/storeMoves.js';
import { tempStoreEachTest } from '../../support/tempStore.js';

describe('AccountFilter', () => {
  it('holds every key added to it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 300 }),
        (keys) => {
          const filter = new AccountFilter(100);
          for (const key of keys) filter.add(key);
          expect(keys.every((key) => filter.mayHold(key))).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('turns away nearly every other key, and says when it holds more than it was sized for', () => {
    const filter = new AccountFilter(20_000);
    for (let i = 0; i < 20_000; i++) filter.add(randomBytes(32));
    expect(filter.full).toBe(false);
    let held = 0;
    for (let i = 0; i < 20_000; i++) if (filter.mayHold(randomBytes(32))) held++;
    expect(held).toBeLessThan(200); // sized for ≈ 0.05 %; 1 % would still be a bug
    // NOTE: a key all of whose bits are set already is not counted (≈ 1 in 2,000 here): one
    // more key made it full only most of the time; a few more always do.
    for (let i = 0; i < 20 && !filter.full; i++) filter.add(randomBytes(32));
    expect(filter.full).toBe(true);
  });
});

describe('the SQLite store, reading accounts through the filter', () => {
  const temp = tempStoreEachTest();

  /** Connects block `height` of `chain` (empty) with `diff` as its state change. */
  function connectDiff(
    store: ChainStore,
    chain: ChainBuilder,
    height: number,
    diff: Map<string, Account | null>,
  ) {
    const block = chain.blocks[height]!;
    const hash = hashHeader(block.header);
    const record = { hash, header: block.header, chainWork: 1n, seenOrder: 0, invalid: false };
    store.saveBlock(record, block);
    const undo = new Map([...diff.keys()].map((k) => [k, store.getAccount(k) ?? null]));
    store.connectBlock({ hash, block, txIds: block.txs.map(hashTx), diff, undo });
  }
  const account = (n: number): Account => ({ balance: BigInt(n), nonce: 1n, locks: [] });

  it('finds accounts written before it was built, and those written since; forgets none when it grows', () => {
    const chain = new ChainBuilder().mineEmpty(3);
    let store = openSqliteStore(temp.path);
    connectInto(store, [chain.blocks[0]!], chain.params);
    const early = Array.from({ length: 50 }, () => toHex(randomBytes(32)));
    connectDiff(store, chain, 1, new Map(early.map((k, i) => [k, account(i + 1)])));
    store.close();

    // Reopened: the first read builds the filter from the table.
    store = openSqliteStore(temp.path);
    const absent = toHex(randomBytes(32));
    expect(store.getAccount(absent)).toBeUndefined();
    expect(early.map((k) => store.getAccount(k)?.balance)).toEqual(
      early.map((_, i) => BigInt(i + 1)),
    );

    // More keys than the filter was sized for (65,536): it is built again, bigger, from the table.
    const many = Array.from({ length: 70_000 }, () => toHex(randomBytes(32)));
    connectDiff(store, chain, 2, new Map(many.map((k) => [k, account(7)])));
    expect(store.getAccount(absent)).toBeUndefined();
    expect(many.every((k) => store.getAccount(k)?.balance === 7n)).toBe(true);
    expect(early.every((k, i) => store.getAccount(k)?.balance === BigInt(i + 1))).toBe(true);

    // A disconnected block takes its new accounts away; they read as absent again.
    disconnectTip(store);
    expect(many.slice(0, 1000).some((k) => store.getAccount(k) !== undefined)).toBe(false);
    expect(store.getAccount(early[0]!)?.balance).toBe(1n);
    store.close();
  });
});
