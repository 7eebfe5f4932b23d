/**
 * Ed25519 (RFC 8032). Signing uses @noble/curves: pure JavaScript, so the same code signs in the
 * browser, the CLI and tests. Verifying has one consensus rule, which two implementations follow
 * to the bit: nobleVerify below and node:crypto in the node (src/crypto/), ten times faster.
 *
 * CONSENSUS: Ed25519 verifiers differ on crafted inputs (Henry de Valence, "It's 255:19AM. Do you
 * know what your validation criteria are?", 2020). blockyard's rule, which is OpenSSL's:
 *   - the public key is a canonical encoding (y < p) of a point that is not of small order
 *     (checked before any signature, by isStrictPublicKey: OpenSSL alone would accept both);
 *   - S < L, the group order;
 *   - the cofactorless equation: encode([S]B − [k]A) equals the 32 bytes R, byte for byte, where
 *     k = SHA-512(R ‖ A ‖ message) mod L.
 * noble's own verify uses the cofactored equation (8[S]B = 8R + 8[k]A), which accepts signatures
 * OpenSSL refuses; nobleVerify therefore computes the equation itself.
 * Randomness is never taken here: a secret key is 32 bytes the caller supplies.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToBigInt, concatBytes, equalBytes } from './bytes.js';
import { txSigningBytes } from './encoding/tx.js';
import type { Transfer, UnsignedTransfer } from './types.js';

/** Verifies one Ed25519 signature: the node injects node:crypto, browsers and tests use noble. */
export type SignatureVerifier = (
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
) => boolean;

const Point = ed25519.Point;
const L = Point.Fn.ORDER;
const P = Point.Fp.ORDER;

/** The y coordinates of the 8 points of small order (the 8-torsion), little-endian hex. */
const SMALL_ORDER_Y = new Set([
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
]);

const littleEndian = (bytes: Uint8Array) => bytesToBigInt(Uint8Array.from(bytes).reverse());

/**
 * Whether 32 bytes are a key a transfer may be sent from: y canonical (below p) and not the y of a
 * small-order point. Cheap (no curve arithmetic); a y with no point on the curve is left to the
 * signature check, which fails for it in both verifiers.
 */
export function isStrictPublicKey(key: Uint8Array): boolean {
  if (key.length !== 32) return false;
  const y = Uint8Array.from(key);
  y[31]! &= 0x7f;
  if (littleEndian(y) >= P) return false;
  return !SMALL_ORDER_Y.has(Array.from(y, (b) => b.toString(16).padStart(2, '0')).join(''));
}

export function publicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(secretKey);
}

export function signMessage(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return ed25519.sign(message, secretKey);
}

/** The consensus rule above, in JavaScript (the browser, the CLI, validateChain, tests). */
export const nobleVerify: SignatureVerifier = (publicKey, message, signature) => {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const r = signature.subarray(0, 32);
  const s = littleEndian(signature.subarray(32));
  if (s >= L) return false;
  let a: InstanceType<typeof Point>;
  try {
    a = Point.fromBytes(publicKey, false);
  } catch {
    return false;
  }
  const k = littleEndian(sha512(concatBytes(r, publicKey, message))) % L;
  const expected = Point.BASE.multiplyUnsafe(s).subtract(a.multiplyUnsafe(k));
  return equalBytes(expected.toBytes(), r);
};

export function signTransfer(tx: UnsignedTransfer, secretKey: Uint8Array): Transfer {
  const signature = signMessage(txSigningBytes(tx), secretKey);
  return { ...tx, type: 'transfer', signature };
}

export function verifyTransfer(tx: Transfer, verify: SignatureVerifier): boolean {
  return verify(tx.from, txSigningBytes(tx), tx.signature);
}
