import { describe, expect, it } from 'vitest';
import {
  customParams,
  devnetParams,
  isRetargetHeight,
  nextBits,
  type RetargetInput,
  tutorialParams,
} from '../../../src/core/index.js';

// Interval 10 blocks of 1 s: expected window 10 s. Parent target 0xffff·2^208 (bits 0x1d00ffff).
const params = customParams(tutorialParams, {
  retarget: { intervalBlocks: 10, targetBlockTimeMs: 1000 },
  genesisBits: 0x1e00ffff,
  powLimitBits: 0x1f00ffff,
});
const PARENT_BITS = 0x1d00ffff;
const T0 = params.genesisTimestampMs;

/** Inputs for `height` whose window (height - 1 - 10 → height - 1) took `windowMs`. */
function input(height: number, windowMs: number, parentBits = PARENT_BITS): RetargetInput {
  const last = height - 1;
  return {
    height,
    parentBits,
    timestampAt: (h) => {
      if (h === last) return T0 + 1_000_000 + windowMs;
      if (h === last - 10) return T0 + 1_000_000;
      throw new Error(`height ${h} is outside the window`);
    },
  };
}

const noTimestamps = (): number => {
  throw new Error('no timestamp should be read');
};

describe('isRetargetHeight', () => {
  it('is true at multiples of the interval from twice the interval on', () => {
    const heights = [0, 1, 9, 10, 11, 19, 20, 21, 29, 30, 40, 1000];
    expect(heights.filter((h) => isRetargetHeight(params, h))).toEqual([20, 30, 40, 1000]);
  });

  it('follows devnet’s interval of 20 and is never true on a fixed-target network', () => {
    expect([20, 39, 40, 60].filter((h) => isRetargetHeight(devnetParams, h))).toEqual([40, 60]);
    expect([0, 10, 20, 40].some((h) => isRetargetHeight(tutorialParams, h))).toBe(false);
  });
});

describe('nextBits', () => {
  it('is the genesis bits at every height on a fixed-target network', () => {
    for (const height of [1, 2, 20, 40, 2016]) {
      expect(
        nextBits(tutorialParams, { height, parentBits: 0x1d00ffff, timestampAt: noTimestamps }),
      ).toBe(tutorialParams.genesisBits);
    }
  });

  it('is the genesis bits at height 0', () => {
    expect(nextBits(params, { height: 0, parentBits: 0x1c00ffff, timestampAt: noTimestamps })).toBe(
      params.genesisBits,
    );
  });

  it("keeps the parent's bits between retargets, without reading any timestamp", () => {
    for (const height of [1, 9, 10, 11, 19, 21, 39]) {
      expect(nextBits(params, { height, parentBits: PARENT_BITS, timestampAt: noTimestamps })).toBe(
        PARENT_BITS,
      );
    }
  });

  it('first retargets at 2 × interval, measuring blocks 9 → 19 (never genesis)', () => {
    const read: number[] = [];
    const bits = nextBits(params, {
      height: 20,
      parentBits: PARENT_BITS,
      timestampAt: (h) => {
        read.push(h);
        return T0 + h * 2000; // two seconds a block: twice too slow
      },
    });
    expect(read.sort((a, b) => a - b)).toEqual([9, 19]);
    expect(bits).toBe(0x1d01fffe);
  });

  it('keeps the target when the window took exactly the expected time', () => {
    expect(nextBits(params, input(20, 10_000))).toBe(PARENT_BITS);
    expect(nextBits(params, input(30, 10_000))).toBe(PARENT_BITS);
  });

  it('scales the target by actual / expected', () => {
    expect(nextBits(params, input(20, 20_000))).toBe(0x1d01fffe); // × 2
    expect(nextBits(params, input(20, 5_000))).toBe(0x1c7fff80); // ÷ 2
    expect(nextBits(params, input(20, 30_000))).toBe(0x1d02fffd); // × 3
  });

  it('clamps the window to [expected / 4, expected × 4]', () => {
    const slowest = nextBits(params, input(20, 40_000));
    expect(slowest).toBe(0x1d03fffc);
    expect(nextBits(params, input(20, 400_000))).toBe(slowest);
    const fastest = nextBits(params, input(20, 2_500));
    expect(fastest).toBe(0x1c3fffc0);
    expect(nextBits(params, input(20, 1))).toBe(fastest);
    expect(nextBits(params, input(20, 0))).toBe(fastest);
    expect(nextBits(params, input(20, -50_000))).toBe(fastest); // timestamps going backwards
  });

  it('never goes easier than the network’s limit', () => {
    expect(nextBits(params, input(20, 40_000, params.powLimitBits))).toBe(params.powLimitBits);
    expect(nextBits(params, input(20, 40_000, 0x1e7fffff))).toBe(params.powLimitBits);
    // 0x3fff00·2^216 × 4 = 0xfffc·2^224, just under the limit 0xffff·2^224: not capped.
    expect(nextBits(params, input(20, 40_000, 0x1e3fff00))).toBe(0x1f00fffc);
  });

  it('never reaches a zero target', () => {
    expect(nextBits(params, input(20, 1, 0x01010000))).toBe(0x01010000); // target 1 stays 1
    expect(nextBits(params, input(20, 1, 0x01030000))).toBe(0x01010000); // 3 / 4 → 0 → 1
  });
});
