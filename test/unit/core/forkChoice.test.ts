import { describe, expect, it } from 'vitest';
import { chainWorkAfter, isBetterTip, workFromBits } from '../../../src/core/index.js';

describe('chainWorkAfter', () => {
  it('adds 2^256 / (target + 1) per block', () => {
    expect(workFromBits(0x207fffff)).toBe(2n);
    expect(workFromBits(0x1f00ffff)).toBe(65_537n);
    expect(chainWorkAfter(0n, 0x1f00ffff)).toBe(65_537n);
    expect(chainWorkAfter(65_537n, 0x1e00ffff)).toBe(65_537n + 16_777_472n);
  });

  it('gives one block at a 256× harder target more work than three easy ones', () => {
    let easy = 0n;
    for (let i = 0; i < 3; i++) easy = chainWorkAfter(easy, 0x1f00ffff);
    const hard = chainWorkAfter(0n, 0x1e00ffff);
    expect(isBetterTip({ chainWork: hard, seenOrder: 9 }, { chainWork: easy, seenOrder: 0 })).toBe(
      true,
    );
    expect(isBetterTip({ chainWork: easy, seenOrder: 0 }, { chainWork: hard, seenOrder: 9 })).toBe(
      false,
    );
  });
});

describe('isBetterTip', () => {
  it('prefers more work whatever the arrival order', () => {
    expect(isBetterTip({ chainWork: 11n, seenOrder: 5 }, { chainWork: 10n, seenOrder: 1 })).toBe(
      true,
    );
    expect(isBetterTip({ chainWork: 10n, seenOrder: 1 }, { chainWork: 11n, seenOrder: 5 })).toBe(
      false,
    );
  });

  it('keeps the tip seen first on equal work', () => {
    expect(isBetterTip({ chainWork: 10n, seenOrder: 2 }, { chainWork: 10n, seenOrder: 1 })).toBe(
      false,
    );
    expect(isBetterTip({ chainWork: 10n, seenOrder: 1 }, { chainWork: 10n, seenOrder: 2 })).toBe(
      true,
    );
  });

  it('does not replace a tip with itself', () => {
    const tip = { chainWork: 10n, seenOrder: 3 };
    expect(isBetterTip(tip, tip)).toBe(false);
  });
});
