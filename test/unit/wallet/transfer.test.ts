/**
 * createTransfer: what it signs is what the core verifies and checks, addresses and amounts are
 * refused with the codes a node would give, and (fast-check) sign → verify holds for any amount,
 * fee, nonce and account index.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COIN,
  checkTx,
  devnetParams,
  encodeAddress,
  formatCoins,
  hashTx,
  MAX_MONEY,
  toHex,
  tutorialParams,
  txFromJson,
  verifyTransfer,
} from '../../../src/core/index.js';
import { nobleVerify } from '../../../src/core/nobleEd25519.js';
import { createNodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import {
  accountAddress,
  accountsOf,
  createTransfer,
  DEFAULT_FEE_UNITS,
  describeTransfer,
  parseAmount,
  type TransferRequest,
} from '../../../src/wallet/index.js';
import { codeOf } from '../../support/codeOf.js';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const account = accountsOf(MNEMONIC);
const [sender, recipient] = [account(0), account(1)];
const params = tutorialParams;
const to = accountAddress(recipient, params.addressPrefix);
const request = (fields: Partial<TransferRequest> = {}): TransferRequest => ({
  secretKey: sender.secretKey,
  to,
  amountCoins: '1.5',
  nonce: 0n,
  ...fields,
});

describe('createTransfer', () => {
  it('signs a transfer that both verifiers accept and checkTx passes', () => {
    const signed = createTransfer(params, request({ feeCoins: '0.001', nonce: 3n }));
    if (!signed.ok) throw new Error(signed.code);
    const { tx, id, json } = signed.value;
    expect(tx).toMatchObject({
      type: 'transfer',
      chainId: params.chainId,
      from: sender.publicKey,
      to: recipient.publicKey,
      amount: 150_000_000n,
      fee: 100_000n,
      nonce: 3n,
    });
    expect(verifyTransfer(tx, nobleVerify)).toBe(true);
    const node = createNodeVerifier();
    expect(verifyTransfer(tx, (k, m, s) => node.verify(k, m, s))).toBe(true);
    expect(checkTx(tx, params)).toEqual({ ok: true, value: undefined });
    expect(id).toBe(toHex(hashTx(tx)));
    expect(json).toMatchObject({ type: 'transfer', id, from: accountAddress(sender, 'tut'), to });
    expect(txFromJson(json, params)).toEqual({ ok: true, value: tx });
  });

  it('signs for the network it is given: chain id and address prefix', () => {
    const devTo = accountAddress(recipient, devnetParams.addressPrefix);
    const signed = createTransfer(devnetParams, request({ to: devTo }));
    if (!signed.ok) throw new Error(signed.code);
    expect(signed.value.tx.chainId).toBe(devnetParams.chainId);
    expect(signed.value.json.from).toMatch(/^dev1/);
    expect(checkTx(signed.value.tx, devnetParams).ok).toBe(true);
    expect(checkTx(signed.value.tx, params)).toMatchObject({ ok: false, code: 'TX_WRONG_CHAIN' });
  });

  it('takes the default fee, DEFAULT_FEE_UNITS (0.0001 coin), when none is given', () => {
    expect(DEFAULT_FEE_UNITS).toBe(10_000n);
    const signed = createTransfer(params, request());
    expect(signed.ok && signed.value.tx.fee).toBe(DEFAULT_FEE_UNITS);
  });

  it('accepts the address as a person may paste it: upper case, with spaces around', () => {
    const signed = createTransfer(params, request({ to: ` ${to.toUpperCase()}\n` }));
    expect(signed.ok && signed.value.tx.to).toEqual(recipient.publicKey);
  });

  const last = to.at(-1)!;
  it.each([
    [
      'a mistyped character',
      `${to.slice(0, -1)}${last === 'q' ? 'p' : 'q'}`,
      'ADDRESS_BAD_CHECKSUM',
    ],
    ['a devnet address', encodeAddress(recipient.publicKey, 'dev'), 'ADDRESS_WRONG_NETWORK'],
    ['a Bitcoin address', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'ADDRESS_WRONG_NETWORK'],
    ['a typo-sized address', 'tut1bad', 'ADDRESS_MALFORMED'],
    ['nothing', '', 'ADDRESS_MALFORMED'],
  ])('refuses %s as the recipient', (_, address, code) => {
    expect(codeOf(createTransfer(params, request({ to: address })))).toBe(code);
  });

  const badAmounts = ['0', '0.0', '-1', '1.123456789', 'abc', '', ' ', '1e5', '1,5', '0x10', '.5'];
  it.each(badAmounts)('refuses the amount "%s" (TX_AMOUNT_NOT_POSITIVE)', (amount) => {
    const result = createTransfer(params, request({ amountCoins: amount }));
    expect(codeOf(result)).toBe('TX_AMOUNT_NOT_POSITIVE');
    expect(!result.ok && result.detail).toContain(`the amount "${amount}"`);
  });

  it.each(badAmounts)('refuses the fee "%s" (TX_FEE_NOT_POSITIVE)', (fee) => {
    const result = createTransfer(params, request({ feeCoins: fee }));
    expect(codeOf(result)).toBe('TX_FEE_NOT_POSITIVE');
    expect(!result.ok && result.detail).toContain(`the fee "${fee}"`);
  });

  it('checks the address before the amount, and the amount before the fee', () => {
    const all = { to: 'tut1bad', amountCoins: '0', feeCoins: '0' };
    expect(codeOf(createTransfer(params, request(all)))).toBe('ADDRESS_MALFORMED');
    expect(codeOf(createTransfer(params, request({ ...all, to })))).toBe('TX_AMOUNT_NOT_POSITIVE');
  });
});

describe('parseAmount', () => {
  it('turns coins into base units, 8 decimals at most', () => {
    expect(parseAmount('1.5', 'amount')).toEqual({ ok: true, value: 150_000_000n });
    expect(parseAmount('0.00000001', 'amount')).toEqual({ ok: true, value: 1n });
    expect(parseAmount(' 21 ', 'fee')).toEqual({ ok: true, value: 21n * COIN });
    expect(parseAmount(formatCoins(MAX_MONEY), 'amount')).toEqual({ ok: true, value: MAX_MONEY });
    expect(codeOf(parseAmount(formatCoins(MAX_MONEY + 1n), 'amount'))).toBe('TX_AMOUNT_TOO_LARGE');
  });
});

describe('describeTransfer', () => {
  it('shows exactly the signed fields, amounts in coins', () => {
    const signed = createTransfer(params, request({ amountCoins: '2.25', nonce: 12n }));
    if (!signed.ok) throw new Error(signed.code);
    expect(describeTransfer(signed.value.tx, params)).toEqual({
      chain_id: 1,
      from: accountAddress(sender, 'tut'),
      to,
      amount: '2.25',
      fee: '0.0001',
      total: '2.2501',
      nonce: '12',
    });
  });
});

describe('sign → verify (property)', () => {
  it('holds for random amounts, fees, nonces and account indexes', () => {
    const units = fc.bigInt({ min: 1n, max: MAX_MONEY });
    fc.assert(
      fc.property(
        units,
        units,
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(tutorialParams, devnetParams),
        (amount, fee, nonce, index, net) => {
          const from = account(index);
          const signed = createTransfer(net, {
            secretKey: from.secretKey,
            to: accountAddress(recipient, net.addressPrefix),
            amountCoins: formatCoins(amount),
            feeCoins: formatCoins(fee),
            nonce,
          });
          if (!signed.ok) return false;
          const { tx } = signed.value;
          const tampered = { ...tx, nonce: tx.nonce ^ 1n };
          return (
            tx.amount === amount &&
            tx.fee === fee &&
            tx.nonce === nonce &&
            toHex(tx.from) === toHex(from.publicKey) &&
            verifyTransfer(tx, nobleVerify) &&
            !verifyTransfer(tampered, nobleVerify)
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
