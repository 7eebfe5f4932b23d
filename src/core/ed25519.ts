/**
 * Ed25519 (RFC 8032) through @noble/curves: pure JavaScript, so the same code signs in the
 * browser, the CLI and tests. The node verifies with node:crypto instead (src/crypto/), which is
 * about ten times faster; both accept exactly the same signatures for honestly made keys.
 * Randomness is never taken here: a secret key is 32 bytes the caller supplies.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { txSigningBytes } from './encoding/tx.js';
import type { Transfer, UnsignedTransfer } from './types.js';

/** Verifies one Ed25519 signature: the node injects node:crypto, browsers and tests use noble. */
export type SignatureVerifier = (
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
) => boolean;

export function publicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(secretKey);
}

export function signMessage(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return ed25519.sign(message, secretKey);
}

/** CONSENSUS: strict RFC 8032 verification (no ZIP-215 leniency), as OpenSSL does. */
export const nobleVerify: SignatureVerifier = (publicKey, message, signature) => {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
};

export function signTransfer(tx: UnsignedTransfer, secretKey: Uint8Array): Transfer {
  const signature = signMessage(txSigningBytes(tx), secretKey);
  return { ...tx, type: 'transfer', signature };
}

export function verifyTransfer(tx: Transfer, verify: SignatureVerifier): boolean {
  return verify(tx.from, txSigningBytes(tx), tx.signature);
}
