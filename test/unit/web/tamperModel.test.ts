/**
 * The Tamper page's model on real blocks (test/support/chainBuilder.ts, easy proof of work):
 * an edit changes ids, signatures, the merkle root, the hash and the links exactly as a node would
 * judge them, and re-mining repairs the work and the link but never a signature.
 */
import { describe, expect, it } from 'vitest';
import {
  type Block,
  hashHeader,
  hashMeetsTarget,
  type SignatureVerifier,
} from '../../../src/core/index.js';
import { nobleVerify } from '../../../src/core/nobleEd25519.js';
import { mineNonce } from '../../../web/src/pages/tamper/mineNonce.js';
import {
  type Edits,
  minedEdit,
  mineHeader,
  type TamperedBlock,
  tamper,
} from '../../../web/src/pages/tamper/tamperModel.js';
import { alice, bob, ChainBuilder, carol, miner } from '../../support/chainBuilder.js';

/** Blocks 1 to 5: transfers in 2, 3 and 5. */
function buildWindow(): Block[] {
  const chain = new ChainBuilder();
  chain.mine();
  chain.mine({ transfers: [chain.transfer(miner, alice, 10_000_000n)] });
  chain.mine({
    transfers: [chain.transfer(alice, bob, 2_000_000n), chain.transfer(miner, carol, 500n)],
  });
  chain.mine();
  chain.mine({ transfers: [chain.transfer(bob, carol, 1_000n)] });
  return chain.blocks.slice(1);
}

const blocks = buildWindow();
const codes = (result: TamperedBlock[]) =>
  Object.fromEntries(result.map((b) => [b.header.height, b.failures.map((f) => f.code)]));

/** An amount for block 3's first transfer whose hash misses the (easy) target. */
function amountThatFailsWork(): bigint {
  for (let amount = 2_000_001n; ; amount++) {
    const [, third] = tamper(blocks.slice(1, 3), { 3: { txs: { 1: { amount } } } }, nobleVerify);
    if (!hashMeetsTarget(third!.hash, third!.target)) return amount;
  }
}

async function mine(result: TamperedBlock[], edits: Edits, height: number): Promise<Edits> {
  const block = result.find((b) => b.header.height === height)!;
  const header = mineHeader(block);
  const outcome = await mineNonce(header, { pause: async () => {} });
  if (outcome.status !== 'found') throw new Error(`block ${height} not mined`);
  return { ...edits, [height]: minedEdit(edits[height], header, outcome.nonce) };
}

describe('tamper', () => {
  it('finds the real chain valid and unchanged', () => {
    const result = tamper(blocks, {}, nobleVerify);
    expect(codes(result)).toEqual({ 1: [], 2: [], 3: [], 4: [], 5: [] });
    for (const [i, b] of result.entries()) {
      expect(b.valid).toBe(true);
      expect(b.changed.size).toBe(0);
      expect(b.hash).toEqual(hashHeader(blocks[i]!.header));
      expect(b.txs.map((t) => t.signature)).toEqual(
        blocks[i]!.txs.map((tx) => (tx.type === 'coinbase' ? 'none' : 'valid')),
      );
    }
  });

  it("editing an amount breaks that block's signature, root, hash and work, and every later block", () => {
    const amount = amountThatFailsWork();
    const result = tamper(blocks, { 3: { txs: { 1: { amount } } } }, nobleVerify);
    expect(codes(result)).toEqual({
      1: [],
      2: [],
      3: ['TX_BAD_SIGNATURE', 'POW_INSUFFICIENT_WORK'],
      4: ['BLOCK_BAD_PREVIOUS'],
      5: ['BLOCK_INVALID_ANCESTOR'],
    });
    const third = result[2]!;
    expect(third.txs.map((t) => [t.edited, t.signature])).toEqual([
      [false, 'none'],
      [true, 'invalid'],
      [false, 'valid'],
    ]);
    expect([...third.changed].sort()).toEqual(['hash', 'merkleRoot']);
    expect(third.header.merkleRoot).toEqual(third.txRoot);
    expect(result[3]!.parentHash).toEqual(third.hash);
    expect(result[3]!.failures[0]!.text).toBe("previous hash does not match block 3's hash");
  });

  it('editing the recipient or the fee breaks the signature too; an edit back to the value is none', () => {
    const result = tamper(
      blocks,
      { 2: { txs: { 1: { to: bob.key } } }, 5: { txs: { 1: { fee: 1_001n } } } },
      nobleVerify,
    );
    expect(result[1]!.failures.map((f) => f.code)).toContain('TX_BAD_SIGNATURE');
    expect(result[4]!.failures.map((f) => f.code)).toContain('TX_BAD_SIGNATURE');
    const same = blocks[2]!.txs[1]!;
    const unchanged = tamper(blocks, { 3: { txs: { 1: { amount: same.amount } } } }, nobleVerify);
    expect(codes(unchanged)[3]).toEqual([]);
    expect(unchanged[2]!.txs[1]!.edited).toBe(false);
  });

  it('keeping the mined merkle root keeps the hash and the links, but the root no longer matches', () => {
    const edits = { 3: { keepMerkleRoot: true, txs: { 1: { amount: 1n } } } };
    const result = tamper(blocks, edits, nobleVerify);
    expect(codes(result)).toEqual({
      1: [],
      2: [],
      3: ['TX_BAD_SIGNATURE', 'BLOCK_BAD_MERKLE_ROOT'],
      4: ['BLOCK_INVALID_ANCESTOR'],
      5: ['BLOCK_INVALID_ANCESTOR'],
    });
    expect(result[2]!.changed.size).toBe(0);
    expect(result[2]!.hash).toEqual(hashHeader(blocks[2]!.header));
  });

  it('re-mining fixes the work and then the next link, one block at a time; never a signature', async () => {
    let edits: Edits = { 3: { txs: { 1: { amount: amountThatFailsWork() } } } };
    edits = await mine(tamper(blocks, edits, nobleVerify), edits, 3);
    let result = tamper(blocks, edits, nobleVerify);
    expect(codes(result)).toMatchObject({ 3: ['TX_BAD_SIGNATURE'], 4: ['BLOCK_BAD_PREVIOUS'] });
    edits = await mine(result, edits, 4);
    result = tamper(blocks, edits, nobleVerify);
    expect(codes(result)).toMatchObject({
      3: ['TX_BAD_SIGNATURE'],
      4: ['BLOCK_INVALID_ANCESTOR'],
      5: ['BLOCK_BAD_PREVIOUS'],
    });
    expect(result[3]!.header.prevHash).toEqual(result[2]!.hash);
  });

  it('a header-only edit is fully repaired by re-mining each block after it in turn', async () => {
    let edits: Edits = { 2: { timestampMs: blocks[1]!.header.timestampMs + 1 } };
    for (const height of [2, 3, 4, 5])
      edits = await mine(tamper(blocks, edits, nobleVerify), edits, height);
    const result = tamper(blocks, edits, nobleVerify);
    expect(result.every((b) => b.valid)).toBe(true);
    expect([...result[4]!.changed]).toContain('prevHash');
  });

  it('verifies each distinct transaction once across recomputations when given a cache', () => {
    let calls = 0;
    const counting: SignatureVerifier = (...args) => {
      calls += 1;
      return nobleVerify(...args);
    };
    const cache = new Map<string, boolean>();
    tamper(blocks, {}, counting, cache);
    expect(calls).toBe(4);
    tamper(blocks, { 3: { nonce: 7n } }, counting, cache);
    tamper(blocks, { 3: { txs: { 1: { amount: 1n } } } }, counting, cache);
    expect(calls).toBe(5);
  });
});

describe('mineNonce', () => {
  const header = { ...blocks[0]!.header, bits: 0x1d00ffff };

  it('gives up after its cap and stops when cancelled', async () => {
    const pause = async () => {};
    expect(await mineNonce(header, { maxTries: 5_000, pause })).toEqual({
      status: 'gave-up',
      tries: 5_000,
    });
    const controller = new AbortController();
    const progress: number[] = [];
    const outcome = mineNonce(header, {
      maxTries: 1_000_000,
      signal: controller.signal,
      onProgress: (tries) => {
        progress.push(tries);
        if (tries >= 4_000) controller.abort();
      },
      pause,
    });
    expect(await outcome).toEqual({ status: 'cancelled', tries: 4_000 });
    expect(progress).toEqual([2_000, 4_000]);
  });
});
