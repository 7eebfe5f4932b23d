/**
 * parseAddress remembers the keys of addresses it has read (a memo of a pure function): read
 * again, every vector of test/vectors/addresses.json gives the same answer as the first time,
 * an answer is the caller's own copy, and the memo keeps networks apart.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeAddress, parseAddress, type Result, toHex } from '../../../src/core/index.js';

interface Vector {
  readonly kind: 'valid' | 'accepted' | 'invalid';
  readonly prefix: string;
  readonly address: string;
  readonly public_key?: string;
}

const vectors = (
  JSON.parse(readFileSync(new URL('../../vectors/addresses.json', import.meta.url), 'utf8')) as {
    vectors: Vector[];
  }
).vectors;

const answer = (parsed: Result<Uint8Array>) =>
  parsed.ok ? toHex(parsed.value) : `${parsed.code}: ${parsed.detail}`;

describe('parseAddress, read again', () => {
  it('answers every vector the same the second and third time', () => {
    const first = vectors.map((v) => answer(parseAddress(v.address, v.prefix)));
    expect(vectors.map((v) => answer(parseAddress(v.address, v.prefix)))).toEqual(first);
    expect(vectors.map((v) => answer(parseAddress(v.address, v.prefix)))).toEqual(first);
    vectors.forEach((v, i) => {
      if (v.kind !== 'invalid') expect(first[i]).toBe(v.public_key);
    });
  });

  it("hands out the caller's own copy of the key", () => {
    const valid = vectors.find((v) => v.kind === 'valid')!;
    parseAddress(valid.address, valid.prefix);
    const mine = parseAddress(valid.address, valid.prefix); // from the memo
    if (!mine.ok) throw new Error(mine.detail);
    mine.value.fill(0);
    expect(answer(parseAddress(valid.address, valid.prefix))).toBe(valid.public_key);
  });

  it('refuses a remembered address on another network', () => {
    const valid = vectors.find((v) => v.kind === 'valid')!;
    expect(parseAddress(valid.address, valid.prefix).ok).toBe(true);
    const other = parseAddress(valid.address, `x${valid.prefix}`);
    expect(other.ok ? 'ok' : other.code).toBe('ADDRESS_WRONG_NETWORK');
  });

  /**
   * An address as encodeAddress writes it is read in one pass (address.ts readWritten); any other
   * text by the full checks. Text with a space before it always takes the full checks (they trim
   * it): each answer, code and message, must be the same with and without that space.
   */
  it('reads the written form as the full checks do: every character changed to any ASCII one', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
    for (const prefix of ['tut', 'bcrt', 'by']) {
      const address = encodeAddress(key, prefix);
      expect(answer(parseAddress(address, prefix))).toBe(toHex(key));
      let accepted = 0;
      for (let at = 0; at < address.length; at++) {
        for (let code = 0; code < 128; code++) {
          const text = address.slice(0, at) + String.fromCharCode(code) + address.slice(at + 1);
          const spaced = parseAddress(` ${text}`, prefix);
          const written = answer(parseAddress(text, prefix));
          accepted += written.length === 64 ? 1 : 0;
          expect(written).toBe(
            spaced.ok
              ? toHex(spaced.value)
              : `${spaced.code}: ${spaced.detail.replace(` ${text}`, text)}`,
          );
        }
      }
      // Each position's own character, and its upper case where it has one.
      expect(accepted).toBeGreaterThanOrEqual(address.length);
    }
  });
});
