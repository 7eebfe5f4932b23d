import { describe, expect, it } from 'vitest';
import {
  duration,
  effortLine,
  leadingZeroBits,
  luck,
} from '../../../web/src/pages/mine/miningEffort.js';

describe("the Mine page's words for a block's effort", () => {
  it('counts the leading zero bits a target asks for', () => {
    expect(leadingZeroBits(`0000ffff${'0'.repeat(56)}`)).toBe(16);
    expect(leadingZeroBits(`7fffff${'0'.repeat(58)}`)).toBe(1);
    expect(leadingZeroBits(`0001${'f'.repeat(60)}`)).toBe(15);
    expect(leadingZeroBits('0'.repeat(64))).toBe(256);
  });

  it('says tries, time and rate, and how lucky a block was', () => {
    const effort = {
      height: 1,
      tries: 71_234,
      elapsed_ms: 8.25,
      hash_rate: 8_634_424,
      expected_tries: 65_537,
    };
    expect(effortLine(effort)).toBe('71,234 tries in 8.3 ms (8.63 MH/s)');
    expect(luck(effort)).toBe('1.09× the average');
    expect(luck({ ...effort, tries: 1_000 })).toBe('lucky: 0.02× the average');
    expect(luck({ ...effort, tries: 300_000 })).toBe('unlucky: 4.6× the average');
    expect(duration(1234.5)).toBe('1.23 s');
  });
});
