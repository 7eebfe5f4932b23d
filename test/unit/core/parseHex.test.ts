/**
 * parseHex: hex of either case, and only hex, of the length asked; undefined for anything else.
 * Checked against the plain definition (a regular expression) on random strings drawn from hex
 * digits and the characters nearest them, so a table read one off would show.
 */
import { describe, expect, it } from 'vitest';
import { parseHex } from '../../../src/core/index.js';

const definition = (hex: string, byteLength?: number): Uint8Array | undefined => {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  if (byteLength !== undefined && hex.length !== byteLength * 2) return undefined;
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) =>
    Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16),
  );
};

/** Digits, and the characters beside them in ASCII and beyond it. */
const ALPHABET = '0123456789abcdefABCDEF/:@G`g \u00e9\u0660\uff10\u0000\u007f\u0080';

function randomString(): string {
  const length = Math.floor(Math.random() * 12);
  let text = '';
  for (let i = 0; i < length; i++) {
    // Mostly digits, so that many strings are valid.
    const pool = Math.random() < 0.9 ? 22 : ALPHABET.length;
    text += ALPHABET[Math.floor(Math.random() * pool)];
  }
  return text;
}

describe('parseHex', () => {
  it('answers as the definition on random strings, with and without a length', () => {
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = randomString();
      const length = Math.random() < 0.5 ? undefined : Math.floor(Math.random() * 6);
      const expected = definition(text, length);
      expect(parseHex(text, length)).toEqual(expected);
      if (expected) valid++;
    }
    expect(valid).toBeGreaterThan(1_000);
  });

  it('reads every byte value in both cases', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const lower = [...all].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(parseHex(lower)).toEqual(all);
    expect(parseHex(lower.toUpperCase(), 256)).toEqual(all);
    expect(parseHex('', 0)).toEqual(new Uint8Array(0));
    expect(parseHex('0g')).toBeUndefined();
    expect(parseHex('abc')).toBeUndefined();
  });
});
