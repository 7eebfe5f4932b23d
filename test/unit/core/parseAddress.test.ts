/**
 * parseAddress remembers the keys of addresses it has read (a memo of a pure function): read
 * again, every vector of test/vectors/addresses.json gives the same answer as the first time,
 * an answer is the caller's own copy, and the memo keeps networks apart.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAddress, type Result, toHex } from '../../../src/core/index.js';

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
});
