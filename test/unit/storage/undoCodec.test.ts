/**
 * A block's undo data as the SQLite store keeps it (src/storage/undoCodec.ts): the binary layout
 * round-trips any diff, is what a block's undo is written as, half the older JSON text or less;
 * diffs it cannot hold go as that text; an older file's text undo still disconnects its block.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Account,
  type Block,
  hashHeader,
  hashTx,
  MAX_MONEY,
  type StateDiff,
  toHex,
} from '../../../src/core/index.js';
import { encodeDiff } from '../../../src/storage/accountCodec.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import type { ChainStore, ConnectBlock } from '../../../src/storage/types.js';
import { decodeUndo, encodeUndo } from '../../../src/storage/undoCodec.js';
import { ChainBuilder } from '../../support/chainBuilder.js';
import { disconnectTip } from '../../support/storeMoves.js';
import { tempStoreEachTest } from '../../support/tempStore.js';

const temp = tempStoreEachTest();

const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toHex);
const account: fc.Arbitrary<Account> = fc.record({
  balance: fc.oneof(
    fc.bigInt({ min: 0n, max: MAX_MONEY }),
    fc.constantFrom(0n, 127n, 128n, 2n ** 53n - 1n, 2n ** 53n, MAX_MONEY),
  ),
  // A sender's nonce is one past its last transfer's, a u64: up to 2^64.
  nonce: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }), fc.constantFrom(0n, 2n ** 64n)),
  locks: fc.array(
    fc.record({
      maturesAt: fc.nat(),
      amount: fc.bigInt({ min: 0n, max: MAX_MONEY }),
    }),
    { maxLength: 3 },
  ),
});
const diff = fc
  .array(fc.tuple(key, fc.option(account, { nil: null })), { maxLength: 60 })
  .map((entries) => new Map(entries));

/** A full block's undo: its senders as they were, its new recipients absent. */
function fullBlockUndo(): Map<string, Account | null> {
  const undo = new Map<string, Account | null>();
  for (let i = 0; i < 6_368; i++) {
    const k = (n: number) => n.toString(16).padStart(64, '0');
    undo.set(k(2 * i), { balance: 49_000_000_000n + BigInt(i), nonce: BigInt(i % 7), locks: [] });
    undo.set(k(2 * i + 1), null);
  }
  return undo;
}

describe('undo data (undoCodec)', () => {
  it('round-trips any diff, in its order, as bytes', () => {
    fc.assert(
      fc.property(diff, (d) => {
        const stored = encodeUndo(d);
        expect(Buffer.isBuffer(stored)).toBe(true);
        const back = decodeUndo(stored);
        expect(back).toEqual(d);
        expect([...back.keys()]).toEqual([...d.keys()]);
      }),
      { numRuns: 300 },
    );
  });

  it("writes a full block's undo in less than half of the older text", () => {
    const undo = fullBlockUndo();
    const stored = encodeUndo(undo);
    expect(Buffer.isBuffer(stored)).toBe(true);
    expect(stored.length * 2).toBeLessThan(encodeDiff(undo).length);
    expect(decodeUndo(stored)).toEqual(undo);
  });

  it('holds the longest values, in accounts with many locks, whole', () => {
    const big = 2n ** 70n - 1n;
    const lock = { maturesAt: Number.MAX_SAFE_INTEGER, amount: big };
    const undo = new Map<string, Account | null>(
      Array.from({ length: 300 }, (_, i) => [
        i.toString(16).padStart(64, '0'),
        { balance: big, nonce: big, locks: Array.from({ length: i % 7 }, () => lock) },
      ]),
    );
    const stored = encodeUndo(undo);
    expect(Buffer.isBuffer(stored)).toBe(true);
    expect(decodeUndo(stored)).toEqual(undo);
  });

  it('writes a diff the layout cannot hold as the older text, which reads back', () => {
    const ok: Account = { balance: 1n, nonce: 2n, locks: [] };
    const odd: StateDiff[] = [
      new Map([['AB'.repeat(32), ok]]), // upper case: another key once made bytes and hex again
      new Map([['ab'.repeat(31), ok]]),
      new Map([[`${'ab'.repeat(31)}g0`, ok]]),
      new Map([['ab'.repeat(32), { ...ok, balance: -1n }]]),
      new Map([['ab'.repeat(32), { ...ok, nonce: 1n << 70n }]]),
      new Map([['ab'.repeat(32), { ...ok, locks: [{ maturesAt: -1, amount: 1n }] }]]),
      new Map([['ab'.repeat(32), { ...ok, locks: [{ maturesAt: 1, amount: -1n }] }]]),
    ];
    for (const d of odd) {
      const stored = encodeUndo(new Map([['cd'.repeat(32), null], ...d]));
      expect(stored).toBe(encodeDiff(new Map([['cd'.repeat(32), null], ...d])));
      expect(decodeUndo(stored)).toEqual(new Map([['cd'.repeat(32), null], ...d]));
    }
  });

  it('refuses bytes of another layout or cut short', () => {
    const stored = encodeUndo(
      new Map([['ab'.repeat(32), { balance: 300n, nonce: 1n, locks: [] }]]),
    ) as Buffer;
    expect(() => decodeUndo(Buffer.concat([Buffer.from([2]), stored.subarray(1)]))).toThrow(
      /unknown layout/,
    );
    for (let cut = 2; cut < stored.length; cut++)
      expect(() => decodeUndo(stored.subarray(0, cut))).toThrow(/cut short/);
    expect(() => decodeUndo(Buffer.concat([stored, Buffer.alloc(32), Buffer.from([9])]))).toThrow(
      /unknown layout/,
    );
  });

  it("an older file's text undo disconnects its block, and a new connect's is bytes", () => {
    const blocks = new ChainBuilder().mineEmpty(3).blocks;
    const a = 'ab'.repeat(32);
    const b = 'cd'.repeat(32);
    const connectOf = (store: ChainStore, block: Block, d: StateDiff): ConnectBlock => {
      const hash = hashHeader(block.header);
      store.saveBlock(
        { hash, header: block.header, chainWork: 1n, seenOrder: 0, invalid: false },
        block,
      );
      const undo = new Map([...d.keys()].map((k) => [k, store.getAccount(k) ?? null]));
      return { hash, block, txIds: block.txs.map(hashTx), diff: d, undo };
    };
    let store = openSqliteStore(temp.path);
    store.connectBlock(connectOf(store, blocks[0]!, new Map()));
    const lock = { maturesAt: 9, amount: 5n };
    store.connectBlock(
      connectOf(store, blocks[1]!, new Map([[a, { balance: 10n, nonce: 0n, locks: [lock] }]])),
    );
    const before = { a: store.getAccount(a), b: store.getAccount(b) };
    store.connectBlock(
      connectOf(
        store,
        blocks[2]!,
        new Map([
          [a, { balance: 4n, nonce: 1n, locks: [] }],
          [b, { balance: 6n, nonce: 0n, locks: [] }],
        ]),
      ),
    );
    store.close();
    const tip = hashHeader(blocks[2]!.header);
    const db = new Database(temp.path);
    const row = () =>
      db.prepare<[Uint8Array], { diff: Buffer | string }>('SELECT diff FROM undo WHERE hash = ?');
    const written = row().get(tip)!.diff;
    expect(Buffer.isBuffer(written)).toBe(true);
    // As an older node wrote it: JSON text.
    db.prepare('UPDATE undo SET diff = ? WHERE hash = ?').run(encodeDiff(decodeUndo(written)), tip);
    expect(typeof row().get(tip)!.diff).toBe('string');
    db.close();
    store = openSqliteStore(temp.path);
    disconnectTip(store);
    expect({ a: store.getAccount(a), b: store.getAccount(b) }).toEqual(before);
    expect(before.a?.locks).toEqual([lock]);
    expect(before.b).toBeUndefined();
    store.close();
  });
});
