import { describe, expect, it } from 'vitest';
import {
  applyBlock,
  type Block,
  COIN,
  mapReader,
  type NetworkParams,
} from '../../../src/core/index.js';
import { codeOf } from '../../support/codeOf.js';
import { easyParams, keyHex, PropertyChain, signedTransfer } from '../../support/propertyChains.js';

const SUBSIDY = 50n * COIN;
const applied = (chain: PropertyChain, block: Block) =>
  applyBlock(mapReader(chain.accounts), block, chain.params);

/** A chain where key 1 mines every block but block `h`, which key 0 mines. */
function chainWithCoinbaseAt(params: NetworkParams, h: number, tipHeight: number): PropertyChain {
  const chain = new PropertyChain(params);
  for (let height = 1; height <= tipHeight; height++) {
    const result = chain.append(chain.mine([], { miner: height === h ? 0 : 1 }));
    if (!result.ok) throw new Error(`block ${height}: ${result.code}`);
  }
  return chain;
}

describe('coinbase maturity through applyBlock', () => {
  it.each([1, 2, 3, 5])('a coinbase of block h, maturity %i, is spendable from h + m on', (m) => {
    const params = easyParams({ coinbaseMaturity: m });
    const h = 2;
    const chain = chainWithCoinbaseAt(params, h, h + m - 2);
    expect(chain.accounts.get(keyHex(0))?.locks).toEqual(
      h + m - 2 >= h ? [{ maturesAt: h + m, amount: SUBSIDY }] : undefined,
    );
    const spendAll = signedTransfer(params, 0, 2, SUBSIDY - 1n, 1n, 0n);
    const spendLittle = signedTransfer(params, 0, 2, 1n, 1n, 0n);

    // Block h + m - 1: still locked, even for 2 base units.
    for (const tx of [spendAll, spendLittle]) {
      const early = chain.mine([tx], { miner: h + m - 1 === h ? 0 : 1 });
      expect(codeOf(applied(chain, early))).toBe('TX_INSUFFICIENT_FUNDS');
      expect(codeOf(chain.append(early))).toBe('TX_INSUFFICIENT_FUNDS');
    }
    expect(chain.append(chain.mine([], { miner: h + m - 1 === h ? 0 : 1 })).ok).toBe(true);

    // Block h + m: all of it can go, and the spent lock is dropped.
    const onTime = chain.mine([spendAll], { miner: 1 });
    expect(codeOf(applied(chain, onTime))).toBe('ok');
    expect(codeOf(chain.append(onTime))).toBe('ok');
    expect(chain.accounts.get(keyHex(0))).toEqual({ balance: 0n, nonce: 1n, locks: [] });
    expect(chain.accounts.get(keyHex(2))?.balance).toBe(SUBSIDY - 1n);
  });

  it('releases two coinbases one at a time', () => {
    const params = easyParams({ coinbaseMaturity: 2 });
    const chain = new PropertyChain(params);
    chain.append(chain.mine([], { miner: 0 }));
    chain.append(chain.mine([], { miner: 0 }));
    // Block 3: block 1's coinbase is mature, block 2's is not.
    const tooMuch = chain.mine([signedTransfer(params, 0, 1, SUBSIDY, 1n, 0n)], { miner: 1 });
    expect(codeOf(applied(chain, tooMuch))).toBe('TX_INSUFFICIENT_FUNDS');
    const exact = chain.mine([signedTransfer(params, 0, 1, SUBSIDY - 1n, 1n, 0n)], { miner: 1 });
    expect(codeOf(chain.append(exact))).toBe('ok');
    expect(chain.accounts.get(keyHex(0))).toEqual({
      balance: SUBSIDY,
      nonce: 1n,
      locks: [{ maturesAt: 4, amount: SUBSIDY }],
    });
  });

  it('with maturity 0 pays from the next block, never within its own', () => {
    const params = easyParams({ coinbaseMaturity: 0 });
    const chain = new PropertyChain(params);
    const own = chain.mine([signedTransfer(params, 0, 1, 1n, 1n, 0n)], { miner: 0 });
    expect(codeOf(applied(chain, own))).toBe('TX_INSUFFICIENT_FUNDS');
    chain.append(chain.mine([], { miner: 0 }));
    expect(chain.accounts.get(keyHex(0))).toEqual({ balance: SUBSIDY, nonce: 0n, locks: [] });
    const next = chain.mine([signedTransfer(params, 0, 1, SUBSIDY - 1n, 1n, 0n)], { miner: 2 });
    expect(codeOf(chain.append(next))).toBe('ok');
  });
});

describe('applyBlock', () => {
  const params = easyParams();
  const funded = () => chainWithCoinbaseAt(params, 1, 1); // key 0 holds SUBSIDY

  it('lets the coinbase claim subsidy + fees, not one unit more', () => {
    const chain = funded();
    const txs = [signedTransfer(params, 0, 1, 100n, 7n, 0n)];
    const greedy = chain.mine(txs, { coinbaseAmount: SUBSIDY + 8n });
    expect(codeOf(applied(chain, greedy))).toBe('BLOCK_COINBASE_TOO_LARGE');
    expect(codeOf(applied(chain, chain.mine(txs, { coinbaseAmount: SUBSIDY + 7n })))).toBe('ok');
    expect(codeOf(applied(chain, chain.mine(txs, { coinbaseAmount: 0n })))).toBe('ok');
  });

  it('applies transfers in order against what the previous ones left', () => {
    const chain = funded();
    const a = signedTransfer(params, 0, 1, 30n * COIN, 1n, 0n);
    const b = signedTransfer(params, 0, 2, 30n * COIN, 1n, 1n);
    expect(codeOf(applied(chain, chain.mine([a, b])))).toBe('TX_INSUFFICIENT_FUNDS');
    const c = signedTransfer(params, 1, 2, 10n * COIN, 1n, 0n); // spends what a just gave
    expect(codeOf(applied(chain, chain.mine([a, c])))).toBe('ok');
    expect(codeOf(applied(chain, chain.mine([c, a])))).toBe('TX_INSUFFICIENT_FUNDS');
  });

  it('needs each sender’s nonces in sequence', () => {
    const chain = funded();
    const tx = (nonce: bigint) => signedTransfer(params, 0, 1, 1n, 1n, nonce);
    expect(codeOf(applied(chain, chain.mine([tx(1n)])))).toBe('TX_NONCE_TOO_HIGH');
    expect(codeOf(applied(chain, chain.mine([tx(0n), tx(2n)])))).toBe('TX_NONCE_TOO_HIGH');
    expect(codeOf(chain.append(chain.mine([tx(0n), tx(1n)])))).toBe('ok');
    expect(codeOf(applied(chain, chain.mine([tx(1n)])))).toBe('TX_NONCE_TOO_LOW');
  });

  it('records an undo of null for accounts the block creates, and leaves out a coinbase of 0', () => {
    const chain = funded();
    const effects = applied(
      chain,
      chain.mine([signedTransfer(params, 0, 3, 5n, 2n, 0n)], {
        miner: 2,
        coinbaseAmount: 0n,
      }),
    );
    if (!effects.ok) throw new Error(effects.code);
    expect(effects.value.fees).toBe(2n);
    expect(new Map(effects.value.undo)).toEqual(
      new Map([
        [keyHex(0), chain.accounts.get(keyHex(0))],
        [keyHex(3), null],
      ]),
    );
    expect(effects.value.diff.get(keyHex(3))).toEqual({ balance: 5n, nonce: 0n, locks: [] });
    expect(effects.value.diff.has(keyHex(2))).toBe(false);
  });

  it('reads each account once: a sender paying itself, paid back, and paying again', () => {
    const chain = funded();
    chain.append(chain.mine([signedTransfer(params, 0, 1, 7n * COIN, 1n, 0n)], { miner: 2 }));
    const before0 = chain.accounts.get(keyHex(0))!;
    const before1 = chain.accounts.get(keyHex(1))!;
    const block = chain.mine(
      [
        signedTransfer(params, 0, 0, 3n, 1n, 1n), // to itself: debited, then credited
        signedTransfer(params, 1, 0, 5n, 2n, 0n), // an existing recipient
        signedTransfer(params, 0, 1, 4n, 1n, 2n), // key 1 again, now a recipient
        signedTransfer(params, 0, 3, 6n, 1n, 3n), // a new account
      ],
      { miner: 2, coinbaseAmount: 0n },
    );
    const effects = applied(chain, block);
    if (!effects.ok) throw new Error(effects.code);
    expect(new Map(effects.value.undo)).toEqual(
      new Map([
        [keyHex(0), before0],
        [keyHex(1), before1],
        [keyHex(3), null],
      ]),
    );
    expect(effects.value.diff.get(keyHex(0))).toEqual({
      balance: before0.balance - 1n + 5n - 5n - 7n,
      nonce: before0.nonce + 3n,
      locks: [],
    });
    expect(effects.value.diff.get(keyHex(1))).toEqual({
      balance: before1.balance - 7n + 4n,
      nonce: 1n,
      locks: [],
    });
    expect(effects.value.diff.get(keyHex(3))).toEqual({ balance: 6n, nonce: 0n, locks: [] });
    // The chain takes the block, and its state is the diff.
    expect(codeOf(chain.append(block))).toBe('ok');
    expect(chain.accounts.get(keyHex(0))).toEqual(effects.value.diff.get(keyHex(0)));
  });
});
