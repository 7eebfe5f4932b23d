import { describe, expect, it } from 'vitest';
import { medianTimePast } from '../../../src/core/index.js';

describe('medianTimePast', () => {
  it('is the middle timestamp of an odd count, whatever the order', () => {
    expect(medianTimePast([5000])).toBe(5000);
    expect(medianTimePast([3000, 1000, 2000])).toBe(2000);
    expect(medianTimePast([9, 1, 8, 2, 7, 3, 6, 4, 5, 11, 10])).toBe(6);
  });

  it('is the upper of the two middle timestamps of an even count', () => {
    expect(medianTimePast([1000, 2000])).toBe(2000);
    expect(medianTimePast([4000, 1000, 3000, 2000])).toBe(3000);
  });

  it('counts repeated timestamps each time', () => {
    expect(medianTimePast([7, 7, 7, 1, 2])).toBe(7);
    expect(medianTimePast([1, 1, 1, 9, 9])).toBe(1);
  });

  it('sorts numerically, not as strings', () => {
    expect(medianTimePast([100, 20, 3])).toBe(20);
  });

  it('leaves its input unsorted', () => {
    const input = [3, 1, 2];
    medianTimePast(input);
    expect(input).toEqual([3, 1, 2]);
  });

  it('refuses an empty list', () => {
    expect(() => medianTimePast([])).toThrow(RangeError);
  });
});
