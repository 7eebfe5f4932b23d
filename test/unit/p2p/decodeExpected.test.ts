/**
 * A sync's blocks answer has its hex checked where it becomes bytes (decodeExpected), not by the
 * answer's schema (BlocksAnswer): whatever BlocksPage's pattern refused is still refused, with
 * the same code (P2P_BAD_RESPONSE), and a block whose bytes are one short or one too many does
 * not decode.
 */
import { describe, expect, it } from 'vitest';
import { blockHashHex, encodeBlock, toHex } from '../../../src/core/index.js';
import { checkAnswer } from '../../../src/p2p/answerCheck.js';
import { decodeExpected } from '../../../src/p2p/fetchBodies.js';
import { BlocksAnswer, BlocksPage } from '../../../src/p2p/messages.js';
import { ChainBuilder, easyParams } from '../../support/chainBuilder.js';

const builder = new ChainBuilder(easyParams);
builder.mine();
const block = builder.mine();
const hex = toHex(encodeBlock(block));
const hash = blockHashHex(block.header);

describe('decodeExpected', () => {
  it('decodes a block in lowercase hex, its bytes and header hash with it', () => {
    const decoded = decodeExpected(hex, hash, 0);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(toHex(decoded.value.bytes)).toBe(hex);
    expect(toHex(decoded.value.hash)).toBe(hash);
    expect(blockHashHex(decoded.value.block.header)).toBe(hash);
  });

  // Each, and whether BlocksPage's pattern refused it (an odd length it let through).
  const bad: [string, string, boolean][] = [
    ['a character that is not hex at the start', `zz${hex.slice(2)}`, true],
    ['a character that is not hex in the middle', `${hex.slice(0, 100)}g${hex.slice(101)}`, true],
    ['a character that is not hex at the end', `${hex.slice(0, -1)}x`, true],
    ['capitals', hex.toUpperCase(), true],
    ['one capital', `${hex.slice(0, 10)}A${hex.slice(11)}`, true],
    ['an odd length', `${hex}0`, false],
    ['an odd length, one short', hex.slice(0, -1), false],
    ['a prefix', `0x${hex}`, true],
    ['a space', `${hex.slice(0, 20)} ${hex.slice(21)}`, true],
  ];
  for (const [what, text, refusedByPattern] of bad) {
    it(`refuses ${what} with P2P_BAD_RESPONSE`, () => {
      // The pattern BlocksPage keeps (the contract, docs/protocol.md), which the client checked.
      expect(checkAnswer(BlocksPage, { blocks: [text] }).ok).toBe(!refusedByPattern);
      const decoded = decodeExpected(text, hash, 3);
      expect(decoded).toMatchObject({ ok: false, code: 'P2P_BAD_RESPONSE' });
      if (!decoded.ok)
        expect(decoded.detail).toMatch(/^block 3 of the answer is not lowercase hex/);
    });
  }

  it('refuses a block one byte short or one byte too long: it does not decode', () => {
    for (const text of [hex.slice(0, -2), `${hex}00`]) {
      const decoded = decodeExpected(text, hash, 0);
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.code).not.toBe('P2P_BAD_RESPONSE');
    }
  });

  it('refuses another block than the one asked for', () => {
    const other = builder.mine();
    expect(decodeExpected(toHex(encodeBlock(other)), hash, 1)).toMatchObject({
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
