/**
 * src/core/hash.ts is SHA-256 written out for speed: it must give node:crypto's answer, bit for
 * bit, on every length around the padding boundaries (55, 56, 63, 64, 119, 120 bytes…) and on
 * long inputs; merkleRoot's buffer reuse must not change a root.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, merkleRoot, sha256, sha256d, toHex } from '../../../src/core/index.js';

const nodeSha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();

describe('sha256 and sha256d', () => {
  it('agree with node:crypto on every length from 0 to 300 bytes', () => {
    for (let length = 0; length <= 300; length++) {
      const data = randomBytes(length);
      expect(toHex(sha256(data)), `length ${length}`).toBe(nodeSha256(data).toString('hex'));
      expect(toHex(sha256d(data)), `length ${length}`).toBe(
        nodeSha256(nodeSha256(data)).toString('hex'),
      );
    }
  });

  it('agree with node:crypto on long inputs and on views into larger buffers', () => {
    for (const length of [1_000, 4_096, 65_537, 1_000_003]) {
      const data = randomBytes(length);
      expect(toHex(sha256(data))).toBe(nodeSha256(data).toString('hex'));
    }
    const buffer = randomBytes(400);
    const view = buffer.subarray(13, 13 + 157);
    expect(toHex(sha256d(view))).toBe(nodeSha256(nodeSha256(view)).toString('hex'));
  });

  it('know the FIPS 180-4 examples', () => {
    const abc = new TextEncoder().encode('abc');
    expect(toHex(sha256(abc))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(toHex(sha256(new Uint8Array(0)))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('give a fresh array each time, and leave the input alone', () => {
    const data = randomBytes(100);
    const copy = Uint8Array.from(data);
    const first = sha256d(data);
    const second = sha256d(randomBytes(100));
    expect(first).not.toBe(second);
    expect(toHex(first)).toBe(toHex(sha256d(data)));
    expect(data).toEqual(Buffer.from(copy));
  });
});

describe('merkleRoot', () => {
  /** The rule as documented: pairs hashed level by level, an odd node carried up. */
  function reference(ids: readonly Uint8Array[]): Uint8Array {
    let level = [...ids];
    while (level.length > 1) {
      const next: Uint8Array[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) {
        next.push(nodeSha256(nodeSha256(concatBytes(level[i]!, level[i + 1]!))));
      }
      if (level.length % 2 === 1) next.push(level[level.length - 1]!);
      level = next;
    }
    return level[0]!;
  }

  it('matches the rule for 1 to 40 ids, and for leaves that are not 32 bytes', () => {
    for (let count = 1; count <= 40; count++) {
      const ids = Array.from({ length: count }, () => randomBytes(32));
      expect(toHex(merkleRoot(ids)), `${count} ids`).toBe(toHex(reference(ids)));
    }
    const odd = [randomBytes(31), randomBytes(33), randomBytes(32)];
    expect(toHex(merkleRoot(odd))).toBe(toHex(reference(odd)));
  });
});
