/**
 * Ed25519 verification through OpenSSL for the node: the native addon from the raw key where it is
 * built (nativeEd25519.ts), node:crypto with a cache of imported keys otherwise.
 * PERF (measured, DESIGN.md): ≈ 9,100 verifies/s on one core with imported keys cached, against
 * ≈ 5,500/s importing the raw key on every call and ≈ 890/s with @noble/curves. The async form
 * (verifyAsync) runs in libuv's thread pool, so a batch uses every core.
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { SignatureVerifier } from '../core/ed25519.js';
import { txSigningBytes } from '../core/encoding/tx.js';
import { RecentMap } from '../core/recentMap.js';
import type { Transfer, UnsignedTransfer } from '../core/types.js';
import { nativeVerifier } from './nativeEd25519.js';
import {
  type BlockJob,
  SignatureWorkers,
  type SignatureWorkersOptions,
} from './signatureWorkers.js';

export interface NodeVerifier {
  readonly verify: SignatureVerifier;
  readonly verifyAsync: (
    publicKey: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
  ) => Promise<boolean>;
  /**
   * Checks many transfers of one encoded block at once, on worker threads (signatureWorkers.ts):
   * the ids of those whose signature verifies. Absent from verifiers that cannot (a chain then
   * uses verifyAsync for each).
   */
  readonly verifyBlock?: (bytes: Uint8Array, job?: BlockJob) => Promise<readonly string[]>;
  /**
   * Checks the transfers of one encoded block that start at the given offsets, on the worker
   * threads (SignatureWorkers.checkAt): a verdict for each offset, in order (1: 157 bytes there
   * that are a transfer whose signature verifies, 0: not), or undefined if the workers failed.
   */
  readonly verifyAt?: (
    bytes: Uint8Array,
    offsets: readonly number[],
  ) => Promise<Uint8Array | undefined>;
  /**
   * Checks transfers given as their encodings one after another (157 bytes each) on the worker
   * threads, shared among them: a verdict for each, in order (1: a transfer whose signature
   * verifies, 0: not), or undefined if the workers failed (nothing was judged).
   */
  readonly verifyTransfers?: (bytes: Uint8Array) => Promise<Uint8Array | undefined>;
  /** Whether the worker threads are running now (they stop after a while without work). */
  readonly workersRunning?: () => boolean;
  /** Stops the worker threads verifyBlock started, if any. */
  readonly close?: () => Promise<void>;
}

/** RFC 8410: the PKCS #8 DER of an Ed25519 key is these 16 bytes, then the 32-byte secret. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
/** …and its SubjectPublicKeyInfo, 12 bytes of header before the 32-byte public key. */
const SPKI_HEADER_BYTES = 12;

/**
 * The key pair of a 32-byte Ed25519 secret, by OpenSSL: the same pair the core's (noble's)
 * publicKeyFromSecret and sign make from it, without noble's base-point table.
 */
export function keyPairOfSecret(secretKey: Uint8Array): {
  readonly publicKey: Uint8Array;
  readonly privateKey: KeyObject;
} {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, secretKey]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { publicKey: new Uint8Array(spki.subarray(SPKI_HEADER_BYTES)), privateKey };
}

/**
 * A transfer signed by OpenSSL with a key of keyPairOfSecret. Ed25519 signatures are deterministic
 * (RFC 8032): this is the signature the core's signTransfer (noble) makes, and the node signs
 * its own transfers without loading noble (core/nobleEd25519.ts).
 */
export function signTransferWith(tx: UnsignedTransfer, privateKey: KeyObject): Transfer {
  const signature = new Uint8Array(sign(null, txSigningBytes(tx), privateKey));
  return { ...tx, type: 'transfer', signature };
}

/**
 * A raw 32-byte key as a KeyObject, or null if OpenSSL will not take it. PERF: imported as a JWK
 * (RFC 8037) in ≈ 5 µs, against ≈ 90 µs for the same key wrapped in DER SubjectPublicKeyInfo
 * (Node 20, measured): a sync of full blocks from new senders imports thousands. Both give the
 * same KeyObject (KeyObject#equals) for every 32 bytes; the tests check it.
 */
function importKey(base64url: string): KeyObject | null {
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64url }, format: 'jwk' });
  } catch {
    return null; // no signature can verify
  }
}

export interface NodeVerifierOptions {
  /**
   * Whether `verify` (here and in the worker threads) uses the native addon's verify from the
   * raw key (nativeEd25519.ts) when it is built; default: unless BLOCKYARD_NATIVE_ED25519=0.
   * False: node:crypto with the key cache, as on a machine where the addon is not built.
   */
  readonly native?: boolean;
}

/**
 * A verifier with a cache of imported keys (the `cacheSize` imported last), and worker threads
 * for whole blocks, started the first time verifyBlock is called. `verify` verifies from the raw
 * key in the native addon where it is built (no key is imported or cached then).
 */
export function createNodeVerifier(
  cacheSize = 10_000,
  workers: SignatureWorkersOptions = {},
  { native = process.env.BLOCKYARD_NATIVE_ED25519 !== '0' }: NodeVerifierOptions = {},
): NodeVerifier {
  // PERF: a RecentMap (core/recentMap.ts) in import order, a hit only read. As an LRU a hit was
  // a delete and a set, and each import past the bound a `delete(keys().next().value)` that walks
  // every hole those deletes left. Side by side (64 hot keys, then 20,000 new keys into a full
  // cache of 10,000; tsx, load 6): a hit 2.0 → 1.1 µs, an import 27.5 → 21.1 µs. A key falls out
  // after `cacheSize` other imports, used or not: it costs one import again.
  const keys = new RecentMap<string, KeyObject | null>(cacheSize);
  let pool: SignatureWorkers | undefined;

  function keyObject(publicKey: Uint8Array): KeyObject | null {
    if (publicKey.length !== 32) return null;
    // The cache key is also the JWK's `x`: one conversion, no copy of the bytes.
    const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, 32).toString('base64url');
    const cached = keys.get(id);
    if (cached !== undefined) return cached;
    const key = importKey(id);
    keys.set(id, key);
    return key;
  }

  const rawVerify = nativeVerifier(native);
  const workerOptions = { ...workers, native };

  return {
    // PERF: from the raw key, natively (kernels/native/ed25519.c: OpenSSL 3.0's own Ed25519
    // verify, the function node:crypto's verify ends in; it says why the verdicts are the same).
    // CPU a signature, 1,000 new keys a pass, 8 passes alternated (bench/lib/keyImport.ts, load
    // 12.3): JWK import + verify 139.3 µs, native 113.5, native by EVP_DigestVerify 138.4,
    // node:crypto under a key imported and verified with before 130.5. On the 2 worker threads
    // (bench/lib/nativeWorkers.ts, 4,000 transfers a block, 6 rounds alternated, load 12.1): new
    // keys 2,344/s at 176 µs CPU a signature → 3,111/s at 139 µs; keys seen before (node:crypto's
    // cache) 2,996/s at 153 µs. No key cache: a new sender costs what a known one does.
    // NOTE: a native call for many signatures would save less than 0.3 µs of ≈ 110 a signature
    // (a call, its three views included, 0.22 µs measured): one call a signature.
    verify: rawVerify
      ? (publicKey, message, signature) =>
          publicKey.length === 32 &&
          signature.length === 64 &&
          rawVerify(publicKey, message, signature)
      : (publicKey, message, signature) => {
          const key = keyObject(publicKey);
          if (key === null || signature.length !== 64) return false;
          return verify(null, message, key, signature);
        },
    verifyAsync(publicKey, message, signature) {
      const key = keyObject(publicKey);
      if (key === null || signature.length !== 64) return Promise.resolve(false);
      return new Promise((resolve) => {
        verify(null, message, key, signature, (error, valid) => resolve(!error && valid));
      });
    },
    verifyBlock(bytes, job) {
      pool ??= new SignatureWorkers(workerOptions);
      return pool.check(bytes, job);
    },
    verifyAt(bytes, offsets) {
      pool ??= new SignatureWorkers(workerOptions);
      return pool.checkAt(bytes, offsets);
    },
    verifyTransfers(bytes) {
      pool ??= new SignatureWorkers(workerOptions);
      return pool.checkTransfers(bytes);
    },
    workersRunning: () => pool?.running ?? false,
    close: async () => pool?.close(),
  };
}
