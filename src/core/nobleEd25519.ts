/**
 * Ed25519 in JavaScript (@noble/curves): keys, signing, and nobleVerify, the consensus rule of
 * ed25519.ts computed step by step. The browser, the CLI and tests sign here; the same code runs
 * everywhere. Randomness is never taken here: a secret key is 32 bytes the caller supplies.
 *
 * PERF: not exported by the core's index: only who signs or verifies in JavaScript imports it.
 * A node signs (its wallet: POST /transactions/new, the faucet) and verifies with OpenSSL
 * (src/crypto/nodeEd25519.ts) and never loads noble's curves. Its first signature built noble's
 * tables: 47–75 ms and +14–16 MB RSS with 200 signatures (1.0–1.6 ms each, against 60–80 µs
 * with OpenSSL; tsx, load 9). At idle, noble's module held 0.9 MB of a node's live heap (after
 * a full GC) when it ran from dist/'s modules; from the bundle (src/cli/loadBundle.ts) 0.3 MB:
 * settled idle RSS, 5 started side by side, 66.7 → 66.6 MB (load 9).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToBigInt, concatBytes, equalBytes } from './bytes.js';
import type { SignatureVerifier } from './ed25519.js';
import { txSigningBytes } from './encoding/tx.js';
import type { Transfer, UnsignedTransfer } from './types.js';

const Point = ed25519.Point;
const L = Point.Fn.ORDER;

const littleEndian = (bytes: Uint8Array) => bytesToBigInt(Uint8Array.from(bytes).reverse());

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
