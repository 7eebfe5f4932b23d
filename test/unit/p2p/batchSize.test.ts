/**
 * A sync's batches are sized by the bytes of the blocks the last answer held (batchSizes.ts): a
 * batch of full blocks holds 2 of them (4 MB of hex), not 16 (32 MB, held whole until decoded);
 * small blocks still come 16 a request, and the slow start is kept.
 */
import { describe, expect, it } from 'vitest';
import { batchSize } from '../../../src/p2p/batchSizes.js';
import { MAX_BLOCKS_PER_REQUEST } from '../../../src/p2p/messages.js';

const FULL_BLOCK_HEX = 2_000_000;

describe('batchSize', () => {
  it('takes the slow start or 16 before any answer', () => {
    for (const ramped of [1, 2, 4, 8, MAX_BLOCKS_PER_REQUEST])
      expect(batchSize(ramped, 0)).toBe(ramped);
  });

  it('asks for 2 full blocks a batch, and 3 of 1.2 MB of hex', () => {
    expect(batchSize(MAX_BLOCKS_PER_REQUEST, FULL_BLOCK_HEX)).toBe(2);
    expect(batchSize(8, FULL_BLOCK_HEX)).toBe(2);
    expect(batchSize(MAX_BLOCKS_PER_REQUEST, 1_200_000)).toBe(3);
  });

  it('keeps 16 a batch, and the slow start, for small blocks', () => {
    expect(batchSize(MAX_BLOCKS_PER_REQUEST, 80_000)).toBe(MAX_BLOCKS_PER_REQUEST);
    expect(batchSize(MAX_BLOCKS_PER_REQUEST, 250_000)).toBe(MAX_BLOCKS_PER_REQUEST);
    expect(batchSize(4, 80_000)).toBe(4);
    expect(batchSize(1, FULL_BLOCK_HEX)).toBe(1);
  });

  it('asks for one block at least, however big the last were', () => {
    expect(batchSize(MAX_BLOCKS_PER_REQUEST, 10_000_000)).toBe(1);
  });
});
