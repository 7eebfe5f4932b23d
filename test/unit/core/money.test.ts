import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COIN, formatCoins, MAX_MONEY, parseCoins } from '../../../src/core/index.js';

describe('parseCoins', () => {
  it('reads whole and fractional coins as base units', () => {
    expect(parseCoins('1.5')).toBe(150_000_000n);
    expect(parseCoins('1')).toBe(COIN);
    expect(parseCoins('0')).toBe(0n);
    expect(parseCoins('0.00000001')).toBe(1n);
    expect(parseCoins('12.34000000')).toBe(1_234_000_000n);
    expect(parseCoins('007')).toBe(7n * COIN);
    expect(parseCoins('  2.5 ')).toBe(250_000_000n);
  });

  it('accepts MAX_MONEY and nothing above it', () => {
    expect(parseCoins('92233720368.54775807')).toBe(MAX_MONEY);
    expect(parseCoins('92233720368.54775808')).toBeUndefined();
    expect(parseCoins('100000000000')).toBeUndefined();
  });

  it.each([
    '',
    ' ',
    '.5',
    '1.',
    '-1',
    '+1',
    '1e8',
    '1.123456789',
    '1,5',
    '0x10',
    '1 000',
    '1.5.2',
    'NaN',
    'Infinity',
    '١',
    'one',
  ])('refuses %j', (text) => {
    expect(parseCoins(text)).toBeUndefined();
  });
});

describe('formatCoins', () => {
  it.each([
    [150_000_000n, '1.5'],
    [COIN, '1'],
    [0n, '0'],
    [1n, '0.00000001'],
    [1_234_000_000n, '12.34'],
    [10n * COIN, '10'],
    [MAX_MONEY, '92233720368.54775807'],
    [-150_000_000n, '-1.5'],
    [-1n, '-0.00000001'],
  ])('formats %s as %s', (units, text) => {
    expect(formatCoins(units)).toBe(text);
  });

  it('is read back by parseCoins for every amount from 0 to MAX_MONEY', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_MONEY }), (units) => {
        expect(parseCoins(formatCoins(units))).toBe(units);
      }),
      { numRuns: 300 },
    );
  });
});
