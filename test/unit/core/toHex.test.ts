/**
 * toHex: lower-case hex, two digits a byte, checked against the plain definition on every byte
 * value and on random bytes of every length up to 300 (a table read one off would show).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseHex, toHex } from '../../../src/core/index.js';

const definition = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

describe('toHex', () => {
  it('writes every byte value as its two lower-case digits', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toHex(all)).toBe(definition(all));
    expect(toHex(new Uint8Array(0))).toBe('');
  });

  it('matches the definition on random bytes of every length, and parseHex reads it back', () => {
    for (let length = 0; length <= 300; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      const hex = toHex(bytes);
      expect(hex).toBe(definition(bytes));
      expect(parseHex(hex, length)).toEqual(bytes);
    }
  });

  it('reads only the view it is given, not the rest of its buffer', () => {
    const buffer = Uint8Array.from({ length: 40 }, (_, i) => 200 + (i % 50));
    const view = buffer.subarray(5, 37);
    expect(toHex(view)).toBe(definition(Uint8Array.from(view)));
  });
});
