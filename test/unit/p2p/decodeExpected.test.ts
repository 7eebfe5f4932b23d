/**
 * A sync's block, once its hex became bytes (BlocksAnswerReader, blocksAnswer.test.ts, checks the
 * hex): decodeExpected decodes it, its transactions' byte fields as views into those bytes (one
 * buffer a block) and its header copied, and refuses a block that is not the one asked for, or
 * whose bytes are one short or one too many.
 */
import { describe, expect, it } from 'vitest';
import { blockHashHex, encodeBlock, fromHex, toHex } from '../../../src/core/index.js';
import { checkAnswer } from '../../../src/p2p/answerCheck.js';
import { decodeExpected } from '../../../src/p2p/fetchBatch.js';
import { BlocksAnswer, BlocksPage } from '../../../src/p2p/messages.js';
import {
  alice,
  bob,
  ChainBuilder,
  carol,
  easyParams,
  fundedChain,
} from '../../support/chainBuilder.js';

const builder = new ChainBuilder(easyParams);
builder.mine();
const block = builder.mine();
const bytes = encodeBlock(block);
const hex = toHex(bytes);
const hash = blockHashHex(block.header);

describe('decodeExpected', () => {
  it('decodes a block, its bytes and header hash with it', () => {
    const decoded = decodeExpected(fromHex(hex), hash, 0);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(toHex(decoded.value.bytes)).toBe(hex);
    expect(toHex(decoded.value.hash)).toBe(hash);
    expect(blockHashHex(decoded.value.block.header)).toBe(hash);
    expect(decoded.value.block).toEqual(block);
  });

  it("gives the transactions' fields as views into the block's bytes, its header as copies", () => {
    const funded = fundedChain();
    const transfers = funded.mine({
      transfers: [funded.transfer(alice, carol, 5n), funded.transfer(bob, carol, 7n)],
    });
    const encoded = encodeBlock(transfers);
    const decoded = decodeExpected(encoded, blockHashHex(transfers.header), 0);
    if (!decoded.ok) throw new Error(decoded.detail);
    const { block: got } = decoded.value;
    expect(got).toEqual(transfers);
    for (const tx of got.txs) {
      const fields = tx.type === 'transfer' ? [tx.from, tx.to, tx.signature] : [tx.to];
      for (const field of fields) expect(field.buffer).toBe(encoded.buffer);
    }
    // The block index keeps headers for the chain's life: they must not keep a block's bytes.
    expect(got.header.prevHash.buffer).not.toBe(encoded.buffer);
    expect(got.header.merkleRoot.buffer).not.toBe(encoded.buffer);
  });

  it('refuses a block one byte short or one byte too long: it does not decode', () => {
    for (const text of [hex.slice(0, -2), `${hex}00`]) {
      const decoded = decodeExpected(fromHex(text), hash, 0);
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.code).not.toBe('P2P_BAD_RESPONSE');
    }
  });

  it('refuses another block than the one asked for', () => {
    const other = builder.mine();
    expect(decodeExpected(encodeBlock(other), hash, 1)).toMatchObject({
      ok: false,
      code: 'P2P_BAD_RESPONSE',
    });
  });
});

describe('BlocksAnswer', () => {
  it('keeps the sizes BlocksPage bounds: at most 2 MB of hex a block, 64 blocks', () => {
    expect(checkAnswer(BlocksAnswer, { blocks: [hex] }).ok).toBe(true);
    expect(checkAnswer(BlocksAnswer, { blocks: ['0'.repeat(2_000_000)] }).ok).toBe(true);
    expect(checkAnswer(BlocksAnswer, { blocks: ['0'.repeat(2_000_001)] }).ok).toBe(false);
    expect(checkAnswer(BlocksPage, { blocks: ['0'.repeat(2_000_001)] }).ok).toBe(false);
    expect(checkAnswer(BlocksAnswer, { blocks: Array(65).fill('00') }).ok).toBe(false);
    expect(checkAnswer(BlocksAnswer, { blocks: [7] }).ok).toBe(false);
    expect(checkAnswer(BlocksAnswer, { blocks: [], more: 1 }).ok).toBe(false);
  });
});
