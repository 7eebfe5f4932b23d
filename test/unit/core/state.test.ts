import { describe, expect, it } from 'vitest';
import {
  type Account,
  applyDiff,
  EMPTY_ACCOUNT,
  mapReader,
  overlay,
  spendableAt,
} from '../../../src/core/index.js';

const account = (balance: bigint, nonce = 0n, locks: Account['locks'] = []): Account => ({
  balance,
  nonce,
  locks,
});

describe('spendableAt', () => {
  it('is the whole balance without locks', () => {
    expect(spendableAt(account(500n), 0)).toBe(500n);
    expect(spendableAt(EMPTY_ACCOUNT, 7)).toBe(0n);
  });

  it('holds back each lock until its maturity height, inclusive from then on', () => {
    const locked = account(1000n, 0n, [
      { maturesAt: 5, amount: 300n },
      { maturesAt: 8, amount: 200n },
    ]);
    expect(spendableAt(locked, 4)).toBe(500n);
    expect(spendableAt(locked, 5)).toBe(800n);
    expect(spendableAt(locked, 7)).toBe(800n);
    expect(spendableAt(locked, 8)).toBe(1000n);
    expect(spendableAt(locked, 100)).toBe(1000n);
  });
});

describe('overlay', () => {
  const base = mapReader(
    new Map([
      ['a', account(1n)],
      ['b', account(2n)],
    ]),
  );

  it('reads the diff first, then the base', () => {
    const view = overlay(
      base,
      new Map([
        ['a', account(10n)],
        ['c', account(30n)],
      ]),
    );
    expect(view.getAccount('a')).toEqual(account(10n));
    expect(view.getAccount('b')).toEqual(account(2n));
    expect(view.getAccount('c')).toEqual(account(30n));
    expect(view.getAccount('d')).toBeUndefined();
  });

  it('reads a null in the diff as a deleted account', () => {
    expect(overlay(base, new Map([['a', null]])).getAccount('a')).toBeUndefined();
  });

  it('sees later changes to the diff: it copies nothing', () => {
    const diff = new Map<string, Account | null>();
    const view = overlay(base, diff);
    diff.set('b', account(20n));
    expect(view.getAccount('b')).toEqual(account(20n));
    expect(base.getAccount('b')).toEqual(account(2n));
  });
});

describe('applyDiff', () => {
  const before = new Map([
    ['a', account(1n)],
    ['b', account(2n, 1n)],
  ]);

  it('sets, replaces and deletes accounts, in a new map', () => {
    const after = applyDiff(
      before,
      new Map([
        ['a', null],
        ['b', account(3n, 2n)],
        ['c', account(4n)],
      ]),
    );
    expect(after).toEqual(
      new Map([
        ['b', account(3n, 2n)],
        ['c', account(4n)],
      ]),
    );
    expect(before).toEqual(
      new Map([
        ['a', account(1n)],
        ['b', account(2n, 1n)],
      ]),
    );
  });

  it('leaves what the diff does not name, and tolerates deleting a missing account', () => {
    const after = applyDiff(before, new Map([['z', null]]));
    expect(after).toEqual(before);
    expect(after).not.toBe(before);
  });
});
