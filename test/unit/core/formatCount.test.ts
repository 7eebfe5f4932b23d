import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCount } from '../../../src/core/index.js';

describe('formatCount', () => {
  it('groups a whole count by thousands as toLocaleString("en-US") does', () => {
    for (const n of [0, 7, 999, 1000, 4000, 12_345, 999_999, 1_000_000, 123_456_789, -1234])
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => formatCount(n) === n.toLocaleString('en-US')),
    );
  });

  it('rounds what is not whole, as the counts it prints are rounded where they are made', () => {
    expect(formatCount(1234.6)).toBe('1,235');
    expect(formatCount(0.4)).toBe('0');
  });
});
