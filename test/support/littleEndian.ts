/**
 * What the Ed25519 verdict tests (ed25519Consensus, nativeEd25519) craft their inputs from:
 * little-endian integers as Ed25519 encodes scalars and field elements, and a signer whose R the
 * test chooses.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';

/** `value` as 32 little-endian bytes. */
export function le32(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0, v = value; i < 32; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/** Little-endian `bytes` as an integer. */
export function leToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

/** The parts one after another, in a new array. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/**
 * The curve's orders, a point of order 8, a fixed secret scalar and nonce r, and `signWith`:
 * a signature by that scalar over 'blockyard' under `key` whose R is `R` (S = r + k·scalar), so
 * a test can pair any key with any R. `honestKey` is the scalar's own key.
 */
export function craftingKit() {
  const Point = ed25519.Point;
  const L = Point.Fn.ORDER;
  const p = Point.Fp.ORDER;
  const message = new TextEncoder().encode('blockyard');
  const identity = le32(1n);
  const order8 = Point.fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a');
  const { scalar } = ed25519.utils.getExtendedPublicKey(new Uint8Array(32).fill(0x01));
  const r = 12_345_678_901_234_567_890n;
  const signWith = (key: Uint8Array, R: Uint8Array) => {
    const k = leToBigInt(sha512(concat(R, key, message))) % L;
    return concat(R, le32((r + k * scalar) % L));
  };
  const honestKey = Point.BASE.multiply(scalar).toBytes();
  return { Point, L, p, message, identity, order8, scalar, r, signWith, honestKey };
}
