/**
 * Each hole the tutorials leave open (the seeds' README, "What the tutorials get wrong"),
 * shown closed: the attack is refused with its code, and the honest counterpart next to it is
 * accepted, so every test here would fail if the rule were missing.
 */
import { describe, expect, it } from 'vitest';
import {
  type Block,
  blockSubsidy,
  COIN,
  checkTx,
  concatBytes,
  decodeBits,
  devnetParams,
  hashHeader,
  hashMeetsTarget,
  hashTx,
  MAX_MONEY,
  mapReader,
  merkleRoot,
  overlay,
  sha256d,
  type Transfer,
  type Tx,
  toHex,
  tutorialParams,
  txFromJson,
  txToJson,
  validateChain,
  validateTx,
  verifyTransfer,
} from '../../../src/core/index.js';
import { nobleVerify } from '../../../src/core/nobleEd25519.js';
import {
  alice,
  bob,
  ChainBuilder,
  carol,
  EASY_BITS,
  easyParams,
  paramsWithGenesis,
  reseal,
  timestampAt,
  unsolve,
  verify,
} from '../../support/chainBuilder.js';
import { codeOf } from '../../support/codeOf.js';

/** A chain whose block 1 paid alice 50 coins. */
function funded(): ChainBuilder {
  const chain = new ChainBuilder();
  chain.mine({ minerKey: alice.key });
  return chain;
}

function offer(chain: ChainBuilder, tx: Tx, state = mapReader(chain.accounts)) {
  return codeOf(validateTx(tx, { params: chain.params, state, height: chain.height + 1, verify }));
}

/** The JSON view of `tx` without its id (so a changed field is the only fault), `amount` set. */
function jsonWithAmount(chain: ChainBuilder, tx: Transfer, amount: unknown) {
  const { id: _id, ...json } = txToJson(tx, chain.params);
  return { ...json, amount };
}

describe('transactions', () => {
  it('a replayed transfer is refused: TX_NONCE_TOO_LOW', () => {
    const chain = funded();
    const payment = chain.transfer(alice, bob, COIN);
    expect(offer(chain, payment)).toBe('ok');
    chain.mine({ transfers: [payment] });
    expect(offer(chain, payment)).toBe('TX_NONCE_TOO_LOW');
    expect(codeOf(chain.validate(chain.next({ transfers: [payment] })))).toBe('TX_NONCE_TOO_LOW');
    const second = chain.transfer(alice, bob, COIN); // same payment, the next nonce: a new one
    expect(codeOf(chain.validate(chain.next({ transfers: [second] })))).toBe('ok');
  });

  it('a transfer changed after signing is refused: TX_BAD_SIGNATURE', () => {
    const chain = funded();
    const signed = chain.transfer(alice, bob, COIN);
    expect(offer(chain, signed)).toBe('ok');
    expect(verifyTransfer(signed, nobleVerify)).toBe(true);
    expect(codeOf(chain.validate(chain.next({ transfers: [signed] })))).toBe('ok');
    for (const changed of [
      { ...signed, amount: 2n * COIN },
      { ...signed, to: carol.key },
      { ...signed, fee: signed.fee + 1n },
    ]) {
      expect(offer(chain, changed)).toBe('TX_BAD_SIGNATURE');
      const block = chain.next({ transfers: [changed] });
      expect(codeOf(chain.validate(block))).toBe('TX_BAD_SIGNATURE');
      expect(verifyTransfer(changed, nobleVerify)).toBe(false); // noble agrees with node:crypto
    }
  });

  it('a zero or negative amount is refused: TX_AMOUNT_NOT_POSITIVE', () => {
    const chain = funded();
    const one = chain.transfer(alice, bob, 1n);
    expect(offer(chain, one)).toBe('ok');
    expect(offer(chain, chain.transfer(alice, bob, 0n))).toBe('TX_AMOUNT_NOT_POSITIVE');
    // -1 has no u64 encoding, so it cannot be signed; the check comes before the signature's.
    expect(offer(chain, { ...one, amount: -1n })).toBe('TX_AMOUNT_NOT_POSITIVE');
    const zeroBlock = chain.next({ transfers: [chain.transfer(alice, bob, 0n)] });
    expect(codeOf(chain.validate(zeroBlock))).toBe('TX_AMOUNT_NOT_POSITIVE');
  });

  it('a negative or fractional amount in JSON is refused: JSON_INVALID_FIELD', () => {
    const chain = funded();
    const tx = chain.transfer(alice, bob, 1n);
    const parse = (amount: unknown) => txFromJson(jsonWithAmount(chain, tx, amount), chain.params);
    for (const honest of ['1', 1]) {
      const parsed = parse(honest);
      expect(codeOf(parsed)).toBe('ok');
      expect(parsed.ok && offer(chain, parsed.value)).toBe('ok');
    }
    for (const bad of ['-1', -1, '1.5', 1.5, '1e0', ' 1', '01', '0x1', null]) {
      expect(codeOf(parse(bad))).toBe('JSON_INVALID_FIELD');
    }
  });

  it('an oversized amount is refused: TX_AMOUNT_TOO_LARGE, or JSON_INVALID_FIELD past u64', () => {
    const chain = funded();
    const fee = 1000n;
    const atLimit = chain.transfer(alice, bob, MAX_MONEY - fee, { fee });
    expect(codeOf(checkTx(atLimit, chain.params))).toBe('ok');
    expect(offer(chain, atLimit)).toBe('TX_INSUFFICIENT_FUNDS'); // past the size rules
    expect(offer(chain, chain.transfer(alice, bob, 1n << 63n))).toBe('TX_AMOUNT_TOO_LARGE');
    expect(offer(chain, chain.transfer(alice, bob, MAX_MONEY - fee + 1n, { fee }))).toBe(
      'TX_AMOUNT_TOO_LARGE',
    );

    const tx = chain.transfer(alice, bob, 1n);
    const parse = (amount: unknown) => txFromJson(jsonWithAmount(chain, tx, amount), chain.params);
    const u64Max = parse(`${(1n << 64n) - 1n}`);
    expect(codeOf(u64Max)).toBe('ok');
    expect(u64Max.ok && offer(chain, u64Max.value)).toBe('TX_AMOUNT_TOO_LARGE');
    expect(codeOf(parse(`${1n << 64n}`))).toBe('JSON_INVALID_FIELD');
    expect(codeOf(parse(2 ** 64))).toBe('JSON_INVALID_FIELD');
    expect(codeOf(parse(2 ** 53 - 1))).toBe('ok');
    expect(codeOf(parse(2 ** 53))).toBe('JSON_INVALID_FIELD'); // not a safe integer
  });

  it('two transfers affordable alone but not together in one block: TX_INSUFFICIENT_FUNDS', () => {
    const chain = funded(); // alice holds 50 coins
    const first = chain.transfer(alice, bob, 30n * COIN);
    const second = chain.transfer(alice, carol, 30n * COIN, { nonce: 1n });
    expect(offer(chain, first)).toBe('ok');
    // Checked alone against the tip's balance (as a naive pool would), the second passes too.
    const tip = chain.account(alice.key)!;
    const tipBalance = new Map([...chain.accounts, [toHex(alice.key), { ...tip, nonce: 1n }]]);
    expect(offer(chain, second, mapReader(tipBalance))).toBe('ok');
    const afterFirst = validateTx(first, {
      params: chain.params,
      state: mapReader(chain.accounts),
      height: chain.height + 1,
      verify,
    });
    expect(
      afterFirst.ok &&
        offer(chain, second, overlay(mapReader(chain.accounts), afterFirst.value.diff)),
    ).toBe('TX_INSUFFICIENT_FUNDS');
    const both = chain.next({ transfers: [first, second] });
    expect(codeOf(chain.validate(both))).toBe('TX_INSUFFICIENT_FUNDS');
    expect(codeOf(chain.validate(chain.next({ transfers: [first] })))).toBe('ok');
  });

  it('a transfer signed for another network is refused: TX_WRONG_CHAIN', () => {
    const chain = funded();
    const devnetTx = chain.transfer(alice, bob, COIN, { chainId: devnetParams.chainId });
    expect(offer(chain, devnetTx)).toBe('TX_WRONG_CHAIN');
    expect(codeOf(chain.validate(chain.next({ transfers: [devnetTx] })))).toBe('TX_WRONG_CHAIN');
    // The chain id is signed: relabelling the devnet transfer breaks its signature.
    expect(offer(chain, { ...devnetTx, chainId: chain.params.chainId })).toBe('TX_BAD_SIGNATURE');
    expect(offer(chain, chain.transfer(alice, bob, COIN))).toBe('ok');
  });

  it('a coinbase offered on its own is refused: TX_COINBASE_NOT_ALLOWED', () => {
    const chain = funded();
    const forged = chain.coinbase(1000n * COIN, carol.key);
    expect(offer(chain, forged)).toBe('TX_COINBASE_NOT_ALLOWED');
    const fromJson = txFromJson(txToJson(forged, chain.params), chain.params);
    expect(fromJson.ok && offer(chain, fromJson.value)).toBe('TX_COINBASE_NOT_ALLOWED');
    const honest = chain.coinbase(blockSubsidy(chain.params, chain.height + 1), carol.key);
    expect(codeOf(chain.validate(chain.next({ txs: [honest] })))).toBe('ok');
  });
});

describe('blocks', () => {
  it('a block whose hash misses its target is refused: POW_INSUFFICIENT_WORK', () => {
    const chain = new ChainBuilder();
    const block = chain.next();
    expect(codeOf(chain.validate(block))).toBe('ok');
    expect(codeOf(chain.validate(unsolve(block)))).toBe('POW_INSUFFICIENT_WORK');
  });

  it('a block declaring an easier target than the chain requires is refused: BLOCK_BAD_TARGET', () => {
    // As devnet: the chain requires bits harder than the network's limit.
    const hardBits = 0x2000ffff;
    const params = paramsWithGenesis(devnetParams, {
      powLimitBits: EASY_BITS,
      genesisBits: hardBits,
    });
    const chain = new ChainBuilder(params);
    expect(chain.context().requiredBits).toBe(hardBits);
    const easy = chain.next({ bits: EASY_BITS });
    const hardTarget = decodeBits(hardBits).target;
    expect(hashMeetsTarget(hashHeader(easy.header), hardTarget)).toBe(false); // cheaper work
    expect(codeOf(chain.validate(easy))).toBe('BLOCK_BAD_TARGET');
    expect(codeOf(chain.validate(chain.next()))).toBe('ok');
  });

  it('a block with two coinbases is refused: BLOCK_MULTIPLE_COINBASES', () => {
    const chain = new ChainBuilder();
    const half = blockSubsidy(chain.params, 1) / 2n; // together they claim no more than allowed
    const two = chain.next({ txs: [chain.coinbase(half), chain.coinbase(half, alice.key)] });
    expect(codeOf(chain.validate(two))).toBe('BLOCK_MULTIPLE_COINBASES');
    expect(codeOf(chain.validate(chain.next({ txs: [chain.coinbase(2n * half)] })))).toBe('ok');
  });

  it('a coinbase paying more than subsidy + fees is refused: BLOCK_COINBASE_TOO_LARGE', () => {
    const chain = funded();
    const transfers = [chain.transfer(alice, bob, COIN, { fee: 5000n })];
    const allowed = blockSubsidy(chain.params, chain.height + 1) + 5000n;
    const greedy = chain.next({ transfers, coinbaseAmount: allowed + 1n });
    expect(codeOf(chain.validate(greedy))).toBe('BLOCK_COINBASE_TOO_LARGE');
    expect(codeOf(chain.validate(chain.next({ transfers, coinbaseAmount: allowed })))).toBe('ok');
  });

  it('a timestamp at or before the median of the last 11 blocks is refused: BLOCK_TIME_TOO_OLD', () => {
    const chain = new ChainBuilder().mineEmpty(11); // timestamps of blocks 1..11: +1 s … +11 s
    const median = timestampAt(chain.params, 6);
    expect(chain.context().medianTimePastMs).toBe(median);
    for (const timestampMs of [median, median - 1, chain.params.genesisTimestampMs]) {
      expect(codeOf(chain.validate(chain.next({ timestampMs })))).toBe('BLOCK_TIME_TOO_OLD');
    }
    // Earlier than its parent (+11 s) but after the median: accepted, as in Bitcoin.
    expect(codeOf(chain.validate(chain.next({ timestampMs: median + 1 })))).toBe('ok');
  });

  it('a timestamp more than 2 h ahead of the clock is refused: BLOCK_TIME_TOO_NEW', () => {
    const chain = new ChainBuilder();
    const nowMs = timestampAt(chain.params, 100);
    const limit = nowMs + 2 * 60 * 60 * 1000;
    const late = chain.next({ timestampMs: limit + 1 });
    expect(codeOf(chain.validate(late, nowMs))).toBe('BLOCK_TIME_TOO_NEW');
    expect(codeOf(chain.validate(late, nowMs + 1))).toBe('ok'); // the same block, a later clock
    expect(codeOf(chain.validate(chain.next({ timestampMs: limit }), nowMs))).toBe('ok');
  });

  it('a wrong merkle root, or transactions swapped under a mined header: BLOCK_BAD_MERKLE_ROOT', () => {
    const chain = funded();
    const block = chain.next({ transfers: [chain.transfer(alice, bob, COIN)] });
    expect(codeOf(chain.validate(block))).toBe('ok');
    const wrongRoot = chain.next({ header: { merkleRoot: new Uint8Array(32).fill(7) } });
    expect(codeOf(chain.validate(wrongRoot))).toBe('BLOCK_BAD_MERKLE_ROOT');
    // The proof of work commits to the transactions: swap one and the same header no longer fits.
    const swapped: Block = {
      header: block.header,
      txs: [block.txs[0]!, chain.transfer(alice, carol, 40n * COIN)],
    };
    expect(codeOf(chain.validate(swapped))).toBe('BLOCK_BAD_MERKLE_ROOT');
  });

  it('the duplicate-leaf mutation is refused (BLOCK_DUPLICATE_TX) and changes the root', () => {
    const chain = funded();
    const last = chain.transfer(alice, carol, COIN, { nonce: 1n });
    const block = chain.next({ transfers: [chain.transfer(alice, bob, COIN), last] });
    expect(codeOf(chain.validate(block))).toBe('ok');
    const mutatedTxs = [...block.txs, last];
    const ids = block.txs.map(hashTx);
    const mutatedIds = mutatedTxs.map(hashTx);
    // Under Bitcoin's rule (an odd node paired with itself) the two lists share a root …
    expect(bitcoinMerkleRoot(mutatedIds)).toEqual(bitcoinMerkleRoot(ids));
    // … under blockyard's they do not, so the mutated block is not the mined one.
    expect(merkleRoot(mutatedIds)).not.toEqual(block.header.merkleRoot);
    const mutated = { header: block.header, txs: mutatedTxs };
    expect(codeOf(chain.validate(mutated))).toBe('BLOCK_DUPLICATE_TX');
    expect(codeOf(chain.validate(reseal(block, mutatedTxs)))).toBe('BLOCK_DUPLICATE_TX');
  });
});

describe('chains', () => {
  it('a chain that does not start at the network genesis is refused: CHAIN_BAD_GENESIS', () => {
    const otherParams = paramsWithGenesis(easyParams, {
      genesisTimestampMs: easyParams.genesisTimestampMs + 1, // another node's "genesis"
    });
    const other = new ChainBuilder(otherParams).mineEmpty(2);
    const honest = new ChainBuilder().mineEmpty(2);
    const check = (blocks: readonly Block[], params = easyParams) =>
      codeOf(validateChain(blocks, params, verify, honest.nowMs));
    expect(check(honest.blocks)).toBe('ok');
    expect(check(other.blocks, otherParams)).toBe('ok');
    expect(check(other.blocks)).toBe('CHAIN_BAD_GENESIS');
    expect(check(honest.blocks.slice(1))).toBe('CHAIN_BAD_GENESIS');
    expect(check([])).toBe('CHAIN_BAD_GENESIS');
    expect(check(honest.blocks, tutorialParams)).toBe('CHAIN_BAD_GENESIS');
  });
});

/** Bitcoin's merkle root, which pairs an odd last node with itself (CVE-2012-2459). */
function bitcoinMerkleRoot(ids: readonly Uint8Array[]): Uint8Array {
  let level = ids.slice();
  while (level.length > 1) {
    if (level.length % 2 === 1) level.push(level[level.length - 1]!);
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(sha256d(concatBytes(level[i]!, level[i + 1]!)));
    level = next;
  }
  return level[0]!;
}
