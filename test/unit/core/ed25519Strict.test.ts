/**
 * CONSENSUS: isStrictPublicKey compares bytes; the version it replaced went through a BigInt and
 * a hex string. Kept here as the reference, the two must accept and reject exactly the same keys.
 */
import { ed25519 } from '@noble/curves/ed25519.js';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToBigInt } from '../../../src/core/bytes.js';
import { isStrictPublicKey } from '../../../src/core/index.js';

const Point = ed25519.Point;
const P = Point.Fp.ORDER;
const L = Point.Fn.ORDER;

const REFERENCE_SMALL_ORDER_Y = new Set([
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
]);

const littleEndian = (bytes: Uint8Array) => bytesToBigInt(Uint8Array.from(bytes).reverse());

/** The previous isStrictPublicKey, verbatim. */
function referenceIsStrictPublicKey(key: Uint8Array): boolean {
  if (key.length !== 32) return false;
  const y = Uint8Array.from(key);
  y[31]! &= 0x7f;
  if (littleEndian(y) >= P) return false;
  return !REFERENCE_SMALL_ORDER_Y.has(
    Array.from(y, (b) => b.toString(16).padStart(2, '0')).join(''),
  );
}

function le32(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0, v = value; i < 32; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/** Both sign bits of an encoding. */
const withSigns = (bytes: Uint8Array) => {
  const flipped = Uint8Array.from(bytes);
  flipped[31]! ^= 0x80;
  return [bytes, flipped];
};

/** The 8 points of small order, found independently of the table: [L]Q for points Q. */
function smallOrderPoints(): InstanceType<typeof Point>[] {
  const found = new Map<string, InstanceType<typeof Point>>();
  for (let seed = 1n; found.size < 8 && seed < 10_000n; seed++) {
    let q: InstanceType<typeof Point>;
    try {
      q = Point.fromBytes(le32(seed), false);
    } catch {
      continue;
    }
    const t = q.multiplyUnsafe(L - 1n).add(q);
    found.set(t.toHex(), t);
  }
  return [...found.values()];
}

/** Keys on the edges of the rule: every small-order point, y ≥ p, and their neighbours. */
function edgeKeys(): Uint8Array[] {
  const keys: Uint8Array[] = [];
  for (const t of smallOrderPoints()) keys.push(...withSigns(t.toBytes()));
  for (let d = 0n; d < 19n; d++) keys.push(...withSigns(le32(P + d)));
  for (let d = 1n; d <= 3n; d++) keys.push(...withSigns(le32(P - d)));
  for (const y of [0n, 1n, 2n, P - 1n, P - 2n, 2n ** 255n - 1n]) keys.push(...withSigns(le32(y)));
  for (const hex of REFERENCE_SMALL_ORDER_Y) {
    const y = le32(BigInt(`0x${hex.match(/../g)!.reverse().join('')}`));
    for (let i = 0; i < 32; i++) {
      const near = Uint8Array.from(y);
      near[i]! ^= 1;
      keys.push(...withSigns(near));
    }
  }
  return keys;
}

describe('isStrictPublicKey', () => {
  it('finds all 8 small-order points and rejects each, with either sign bit', () => {
    const points = smallOrderPoints();
    expect(points).toHaveLength(8);
    for (const t of points) {
      for (const key of withSigns(t.toBytes())) expect(isStrictPublicKey(key)).toBe(false);
    }
  });

  it('agrees with the reference on every edge key', () => {
    const keys = edgeKeys();
    expect(keys.length).toBeGreaterThan(300);
    for (const key of keys) {
      expect(isStrictPublicKey(key), Buffer.from(key).toString('hex')).toBe(
        referenceIsStrictPublicKey(key),
      );
    }
  });

  it('agrees with the reference on random keys and lengths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 40 }), (key) => {
        expect(isStrictPublicKey(key)).toBe(referenceIsStrictPublicKey(key));
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        expect(isStrictPublicKey(key)).toBe(referenceIsStrictPublicKey(key));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with the reference on keys near p (bytes 1..30 all 0xff)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (b0, b31) => {
        const key = new Uint8Array(32).fill(0xff);
        key[0] = b0;
        key[31] = b31;
        expect(isStrictPublicKey(key)).toBe(referenceIsStrictPublicKey(key));
      }),
      { numRuns: 2_000 },
    );
  });
});
