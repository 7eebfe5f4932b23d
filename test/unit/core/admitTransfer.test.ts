/**
 * admitTransfer (src/core/admitTransfer.ts): the nonce and balance rules a block applies and a
 * mempool admits by, in their order, with and without pending transfers of the sender; and
 * applyTransfer refuses exactly what it refuses.
 */
import { describe, expect, it } from 'vitest';
import {
  type Account,
  admitTransfer,
  applyTransfer,
  MAX_MONEY,
  mapReader,
  StateChanges,
  toHex,
} from '../../../src/core/index.js';
import { alice, bob, ChainBuilder } from '../../support/chainBuilder.js';
import { codeOf } from '../../support/codeOf.js';

const b = new ChainBuilder();
const account = (balance: bigint, nonce = 0n, locks: Account['locks'] = []): Account => ({
  balance,
  nonce,
  locks,
});
/** Alice has 100 units and has used nonces 0-4; bob holds `bobBalance`. */
const state = (bobBalance = 0n, aliceAccount = account(100n, 5n)) =>
  mapReader(
    new Map([
      [toHex(alice.key), aliceAccount],
      [toHex(bob.key), account(bobBalance)],
    ]),
  );
const send = (amount: bigint, nonce = 5n, fee = 10n) =>
  b.transfer(alice, bob, amount, { nonce, fee });

describe('admitTransfer', () => {
  it('takes the next nonce with the balance to pay amount + fee', () => {
    expect(admitTransfer(state(), send(90n), 1)).toEqual({ ok: true, value: undefined });
  });

  it('refuses a used nonce, a gap, and more than the spendable balance, in that order', () => {
    expect(codeOf(admitTransfer(state(), send(500n, 4n), 1))).toBe('TX_NONCE_TOO_LOW');
    expect(codeOf(admitTransfer(state(), send(500n, 6n), 1))).toBe('TX_NONCE_TOO_HIGH');
    expect(codeOf(admitTransfer(state(), send(91n), 1))).toBe('TX_INSUFFICIENT_FUNDS');
  });

  it('counts a coinbase lock until it matures', () => {
    const locked = state(0n, account(100n, 5n, [{ maturesAt: 3, amount: 50n }]));
    expect(codeOf(admitTransfer(locked, send(60n), 2))).toBe('TX_INSUFFICIENT_FUNDS');
    expect(admitTransfer(locked, send(60n), 3).ok).toBe(true);
  });

  it('follows the pending transfers: their nonces and their cost', () => {
    const pending = { count: 2, cost: 60n };
    expect(admitTransfer(state(), send(30n, 7n), 1, pending).ok).toBe(true);
    expect(codeOf(admitTransfer(state(), send(30n, 8n), 1, pending))).toBe('TX_NONCE_TOO_HIGH');
    expect(codeOf(admitTransfer(state(), send(30n, 4n), 1, pending))).toBe('TX_NONCE_TOO_LOW');
    const short = admitTransfer(state(), send(31n, 7n), 1, pending);
    expect(short).toMatchObject({ ok: false, code: 'TX_INSUFFICIENT_FUNDS' });
    expect(short.ok || short.detail).toContain('pending');
  });

  it('refuses a credit above MAX_MONEY to the recipient, not to a sender paying itself', () => {
    expect(admitTransfer(state(MAX_MONEY - 90n), send(90n), 1).ok).toBe(true);
    expect(codeOf(admitTransfer(state(MAX_MONEY - 89n), send(90n), 1))).toBe('TX_BALANCE_OVERFLOW');
    const self = b.transfer(alice, alice, 90n, { nonce: 5n, fee: 10n });
    const rich = state(0n, account(MAX_MONEY, 5n));
    expect(admitTransfer(rich, self, 1).ok).toBe(true);
  });

  it('is the rule applyTransfer applies, which changes nothing when it refuses', () => {
    const cases = [send(90n), send(1n, 4n), send(1n, 6n), send(91n)];
    for (const bobBalance of [0n, MAX_MONEY - 50n]) {
      for (const tx of cases) {
        const changes = new StateChanges(state(bobBalance));
        const applied = applyTransfer(changes, tx, 1);
        expect(applied).toEqual(admitTransfer(state(bobBalance), tx, 1));
        if (!applied.ok) expect(changes.diff.size).toBe(0);
      }
    }
  });
});
