/**
 * Ed25519 (RFC 8032): which keys a transfer may be sent from, and the verifier's shape. Verifying
 * has one consensus rule, which two implementations follow to the bit: nobleVerify
 * (nobleEd25519.ts, beside signing) and node:crypto in the node (src/crypto/), ten times faster.
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
 */
import { txSigningBytes } from './encoding/tx.js';
import type { Transfer } from './types.js';

/** Verifies one Ed25519 signature: the node injects node:crypto, browsers and tests use noble. */
export type SignatureVerifier = (
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
) => boolean;

/** The y coordinates of the 8 points of small order (the 8-torsion), little-endian hex. */
const SMALL_ORDER_Y = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
].map((hex) => Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16)));

/** Whether the 32 bytes, with the sign bit (bit 7 of byte 31) cleared, equal `y`. */
function hasY(key: Uint8Array, y: Uint8Array): boolean {
  if ((key[31]! & 0x7f) !== y[31]) return false;
  for (let i = 0; i < 31; i++) if (key[i] !== y[i]) return false;
  return true;
}

/**
 * Whether 32 bytes are a key a transfer may be sent from: y canonical (below p) and not the y of a
 * small-order point. Cheap (no curve arithmetic); a y with no point on the curve is left to the
 * signature check, which fails for it in both verifiers.
 * PERF: compares bytes: 6,368 random keys (a full block's senders) take 0.1–0.7 ms, against
 * 17 ms through the BigInt and hex string it used before (measured with tsx, warm).
 * test/unit/core/ed25519Strict.test.ts keeps that version and checks that both agree.
 */
export function isStrictPublicKey(key: Uint8Array): boolean {
  if (key.length !== 32) return false;
  // CONSENSUS: y ≥ p = 2^255 − 19 is non-canonical. Little-endian, with the sign bit cleared, that
  // is byte 31 = 0x7f, bytes 1..30 = 0xff and byte 0 ≥ 0xed.
  if ((key[31]! & 0x7f) === 0x7f && key[0]! >= 0xed) {
    let i = 1;
    while (i < 31 && key[i] === 0xff) i++;
    if (i === 31) return false;
  }
  for (const y of SMALL_ORDER_Y) if (hasY(key, y)) return false;
  return true;
}

export function verifyTransfer(tx: Transfer, verify: SignatureVerifier): boolean {
  return verify(tx.from, txSigningBytes(tx), tx.signature);
}
