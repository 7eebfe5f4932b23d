/**
 * Ed25519 for the benchmarks through node:crypto: random keys made fast, and transfers signed
 * fast (the node never signs; the bench only needs many valid signatures quickly). The machine's
 * verify rate, the benches' reference, is measured in bench/lib/verifyReference.ts.
 */
import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { type Transfer, txSigningBytes, type UnsignedTransfer } from '../../src/core/index.js';
import { keyPairOfSecret } from '../../src/crypto/nodeEd25519.js';

/** The DER SubjectPublicKeyInfo of an Ed25519 key: 12 bytes, then the raw 32-byte key. */
const SPKI_HEADER_BYTES = 12;

export interface BenchKey {
  readonly publicKey: Uint8Array;
  readonly privateKey: KeyObject;
}

/**
 * A new random key pair. NOTE: generated, not imported from a seed: in Node 20 (OpenSSL 3)
 * createPrivateKey from DER costs ≈ 350 µs, generateKeyPairSync ≈ 40 µs; thousands of senders
 * are made in about a second. NOTE: the public key comes out as DER from the generation itself, not by exporting the
 * KeyObject as a JWK: Node 20 deadlocks (benches hung at start, 1 run in 3; gdb: ExportJWK holds
 * the key's mutex and allocates, and the GC that starts runs ~KeyGenJob, which takes the same
 * mutex) when the garbage job that generated a key is collected while that key is exported. A
 * loop of generateKeyPairSync + export({ format: 'jwk' }) hangs at once, also on a public key made
 * again from the private one; 20,000 keys this way ran through.
 */
export function newBenchKey(): BenchKey {
  // The overload that types a DER public key wants the private key encoded too.
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'der' },
  }) as unknown as { publicKey: Buffer; privateKey: KeyObject };
  return { publicKey: new Uint8Array(publicKey.subarray(SPKI_HEADER_BYTES)), privateKey };
}

/** The key of a 32-byte seed: the same pair @noble/curves (and so the wallet) makes from it. */
export const keyFromSeed = (seed: Uint8Array): BenchKey => keyPairOfSecret(seed);

/** Key number `n` of a bench from a fixed seed (`tag` and n), so runs are alike; slow (above). */
export function benchKey(tag: number, n: number): BenchKey {
  const seed = new Uint8Array(32);
  const view = new DataView(seed.buffer);
  view.setUint32(0, tag);
  view.setUint32(4, n);
  seed[31] = 1;
  return keyFromSeed(seed);
}

export function signWith(key: BenchKey, tx: UnsignedTransfer): Transfer {
  const signature = new Uint8Array(sign(null, txSigningBytes(tx), key.privateKey));
  // NOTE: built field by field in the order the decoder builds a transfer (readTx), as every
  // transfer a node connects is: a spread ({ ...tx, signature }) made objects V8 reads ≈ 10 times
  // slower (isEncodable over a full block: 1.27–1.35 µs a transfer against 0.11, node CPU, load
  // 12), which the connect bench counted as this thread's work.
  return {
    type: 'transfer',
    chainId: tx.chainId,
    from: tx.from,
    to: tx.to,
    amount: tx.amount,
    fee: tx.fee,
    nonce: tx.nonce,
    signature,
  };
}

/** A transfer of 1 from `sender`, with this nonce and fee, to a new random address. */
export function transferToNewAddress(
  sender: BenchKey,
  nonce: bigint,
  fee: bigint,
  chainId: number,
): Transfer {
  return signWith(sender, {
    type: 'transfer',
    chainId,
    from: sender.publicKey,
    to: randomBytes(32),
    amount: 1n,
    fee,
    nonce,
  });
}

/** Transfers of `amount` from `payer` to each of `payees`, nonces from 0: funding for senders. */
export function payEach(
  payer: BenchKey,
  payees: readonly BenchKey[],
  amount: bigint,
  fee: bigint,
  chainId: number,
): Transfer[] {
  return payees.map((payee, i) =>
    signWith(payer, {
      type: 'transfer',
      chainId,
      from: payer.publicKey,
      to: payee.publicKey,
      amount,
      fee,
      nonce: BigInt(i),
    }),
  );
}
