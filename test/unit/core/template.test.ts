import { describe, expect, it } from 'vitest';
import {
  type Account,
  blockSize,
  buildBlockTemplate,
  COIN,
  compareBytes,
  encodeBlock,
  hashTx,
  mapReader,
  maxTransfersPerBlock,
  selectTransactions,
  type Transfer,
  tutorialParams,
} from '../../../src/core/index.js';
import { KEYS, keyHex, signedTransfer } from '../../support/propertyChains.js';

const params = tutorialParams;
const HEIGHT = 5;
const rich = (nonce = 0n): Account => ({ balance: 100n * COIN, nonce, locks: [] });
const state = (accounts: Record<number, Account>) =>
  mapReader(new Map(Object.entries(accounts).map(([i, a]) => [keyHex(Number(i)), a])));
const tx = (from: number, nonce: bigint, fee: bigint, amount = COIN) =>
  signedTransfer(params, from, 3, amount, fee, nonce);
const select = (pending: Transfer[], accounts: Record<number, Account>, maxCount?: number) =>
  selectTransactions(pending, state(accounts), params, HEIGHT, maxCount);

describe('selectTransactions', () => {
  it('takes the highest fee first and sums the fees', () => {
    const [a, b, c] = [tx(0, 0n, 30n), tx(1, 0n, 10n), tx(2, 0n, 20n)];
    const selection = select([b, a, c], { 0: rich(), 1: rich(), 2: rich() });
    expect(selection.txs).toEqual([a, c, b]);
    expect(selection.fees).toBe(60n);
  });

  it('breaks equal fees by the lower transaction id', () => {
    const pending = [tx(0, 0n, 5n), tx(1, 0n, 5n), tx(2, 0n, 5n)];
    const byId = [...pending].sort((x, y) => compareBytes(hashTx(x), hashTx(y)));
    expect(select(pending, { 0: rich(), 1: rich(), 2: rich() }).txs).toEqual(byId);
    expect(select([...pending].reverse(), { 0: rich(), 1: rich(), 2: rich() }).txs).toEqual(byId);
  });

  it("keeps a sender's nonce order even when its later transfer pays more", () => {
    const a0 = tx(0, 0n, 1n);
    const a1 = tx(0, 1n, 100n);
    const b0 = tx(1, 0n, 50n);
    expect(select([a1, b0, a0], { 0: rich(), 1: rich() }).txs).toEqual([b0, a0, a1]);
  });

  it('skips nonces the chain already confirmed and goes on with the next', () => {
    const pending = [tx(0, 0n, 9n), tx(0, 1n, 9n), tx(0, 2n, 1n), tx(0, 3n, 1n)];
    expect(select(pending, { 0: rich(2n) }).txs).toEqual(pending.slice(2));
  });

  it('stops a sender at a nonce gap, not the others', () => {
    const a0 = tx(0, 0n, 5n);
    const b0 = tx(1, 0n, 1n);
    expect(select([a0, tx(0, 2n, 100n), b0], { 0: rich(), 1: rich() }).txs).toEqual([a0, b0]);
  });

  it('stops a sender that cannot pay, even if a later transfer would fit', () => {
    const poor = { balance: 100n, nonce: 0n, locks: [] };
    const a0 = tx(0, 0n, 1n, 60n);
    const b0 = tx(1, 0n, 1n);
    const pending = [a0, tx(0, 1n, 1n, 60n), tx(0, 2n, 1n, 1n), b0];
    expect(select(pending, { 0: poor, 1: rich() }).txs).toEqual([b0, a0]);
  });

  it('does not spend locked coinbase credit', () => {
    const locked = {
      balance: 10n * COIN,
      nonce: 0n,
      locks: [{ maturesAt: HEIGHT + 1, amount: 9n * COIN }],
    };
    expect(select([tx(0, 0n, 1n, 2n * COIN)], { 0: locked }).txs).toEqual([]);
    expect(select([tx(0, 0n, 1n, COIN - 1n)], { 0: locked }).txs).toHaveLength(1);
  });

  it('lets a transfer spend what an earlier pick in the block paid in', () => {
    const toKey1 = signedTransfer(params, 0, 1, 10n * COIN, 50n, 0n);
    const fromKey1 = tx(1, 0n, 5n);
    expect(select([fromKey1, toKey1], { 0: rich() }).txs).toEqual([toKey1, fromKey1]);
  });

  it('takes at most maxCount transfers, the best ones', () => {
    const pending = [tx(0, 0n, 1n), tx(1, 0n, 4n), tx(2, 0n, 3n), tx(3, 0n, 2n)];
    const accounts = { 0: rich(), 1: rich(), 2: rich(), 3: rich() };
    expect(select(pending, accounts, 2).txs).toEqual([pending[1], pending[2]]);
    expect(select(pending, accounts, 2).fees).toBe(7n);
    expect(select(pending, accounts, 0).txs).toEqual([]);
  });

  it('selects nothing from nothing', () => {
    expect(select([], {})).toEqual({ txs: [], fees: 0n });
  });
});

describe('maxTransfersPerBlock', () => {
  const transfer = signedTransfer(params, 0, 1, 1n, 1n, 0n);
  const blockWith = (n: number) =>
    buildBlockTemplate({
      params,
      parentHash: new Uint8Array(32),
      height: 1,
      bits: params.genesisBits,
      timestampMs: params.genesisTimestampMs + 1000,
      minerKey: KEYS[0]!,
      selection: { txs: Array.from({ length: n }, () => transfer), fees: BigInt(n) },
    });

  // 251 transfers: 39,549 bytes; 252 need a 3-byte count: 39,708 bytes.
  it.each([142, 298, 299, 1000, 39_548, 39_549, 39_707, 39_708, 39_709, 1_000_000])(
    'is the most transfers a real block of at most %i bytes holds',
    (maxBlockBytes) => {
      const n = maxTransfersPerBlock(maxBlockBytes);
      const fits = blockWith(n);
      expect(blockSize(fits)).toBe(encodeBlock(fits).length);
      expect(blockSize(fits)).toBeLessThanOrEqual(maxBlockBytes);
      expect(blockSize(blockWith(n + 1))).toBeGreaterThan(maxBlockBytes);
    },
  );

  it('fits 6,368 transfers in the networks’ 1,000,000-byte blocks', () => {
    expect(maxTransfersPerBlock(params.maxBlockBytes)).toBe(6368);
  });
});
