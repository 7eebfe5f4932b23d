import { describe, expect, it } from 'vitest';
import {
  type Coinbase,
  checkTransfer,
  checkTx,
  MAX_MONEY,
  type Transfer,
  tutorialParams,
} from '../../../src/core/index.js';
import { codeOf } from '../../support/codeOf.js';
import { signedTransfer } from '../../support/propertyChains.js';

const params = tutorialParams;
const valid = signedTransfer(params, 0, 1, 5000n, 10n, 0n);
const check = (changes: Partial<Transfer>) => codeOf(checkTx({ ...valid, ...changes }, params));

describe('checkTx', () => {
  it('accepts a well-formed transfer', () => {
    expect(codeOf(checkTx(valid, params))).toBe('ok');
    expect(codeOf(checkTransfer(valid, params))).toBe('ok');
  });

  it('refuses a coinbase offered on its own', () => {
    const coinbase: Coinbase = {
      type: 'coinbase',
      chainId: params.chainId,
      height: 1,
      to: valid.to,
      amount: 1n,
    };
    expect(codeOf(checkTx(coinbase, params))).toBe('TX_COINBASE_NOT_ALLOWED');
  });

  it('refuses keys and signatures of the wrong length', () => {
    expect(check({ from: new Uint8Array(31) })).toBe('ENCODING_OUT_OF_RANGE');
    expect(check({ to: new Uint8Array(33) })).toBe('ENCODING_OUT_OF_RANGE');
    expect(check({ signature: new Uint8Array(63) })).toBe('ENCODING_OUT_OF_RANGE');
  });

  it('takes nonces from 0 to 2^64 - 1', () => {
    expect(check({ nonce: (1n << 64n) - 1n })).toBe('ok');
    expect(check({ nonce: 1n << 64n })).toBe('ENCODING_OUT_OF_RANGE');
    expect(check({ nonce: -1n })).toBe('ENCODING_OUT_OF_RANGE');
  });

  it("refuses another network's chain id", () => {
    expect(check({ chainId: 2 })).toBe('TX_WRONG_CHAIN');
    expect(check({ chainId: 0 })).toBe('TX_WRONG_CHAIN');
  });

  it('needs an amount and a fee of at least one base unit', () => {
    expect(check({ amount: 1n, fee: 1n })).toBe('ok');
    expect(check({ amount: 0n })).toBe('TX_AMOUNT_NOT_POSITIVE');
    expect(check({ amount: -5n })).toBe('TX_AMOUNT_NOT_POSITIVE');
    expect(check({ fee: 0n })).toBe('TX_FEE_NOT_POSITIVE');
    expect(check({ fee: -1n })).toBe('TX_FEE_NOT_POSITIVE');
  });

  it('caps amount + fee at MAX_MONEY', () => {
    expect(check({ amount: MAX_MONEY - 1n, fee: 1n })).toBe('ok');
    expect(check({ amount: MAX_MONEY, fee: 1n })).toBe('TX_AMOUNT_TOO_LARGE');
    expect(check({ amount: 1n, fee: MAX_MONEY })).toBe('TX_AMOUNT_TOO_LARGE');
  });

  it('checks lengths, then the nonce range, then the chain, then amounts', () => {
    expect(check({ signature: new Uint8Array(1), nonce: -1n })).toBe('ENCODING_OUT_OF_RANGE');
    expect(check({ nonce: -1n, chainId: 9 })).toBe('ENCODING_OUT_OF_RANGE');
    expect(check({ chainId: 9, amount: 0n })).toBe('TX_WRONG_CHAIN');
    expect(check({ amount: 0n, fee: 0n })).toBe('TX_AMOUNT_NOT_POSITIVE');
  });

  it('does not verify the signature: that is for validateTx, last', () => {
    expect(check({ signature: new Uint8Array(64) })).toBe('ok');
  });
});
