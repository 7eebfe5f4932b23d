/**
 * Ed25519 for the benchmarks through node:crypto: random keys made fast, transfers signed
 * fast (the node never signs; the bench only needs many valid signatures quickly), and the
 * machine's verify rate measured as the node verifies: createNodeVerifier with imported keys
 * cached, on one core (sync) and on every core, both ways the node has: verifyAsync in libuv's
 * thread pool, one signature at a time, and verifyAt, a block's transfers on worker threads.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { txOffsets } from '../../src/chain/verifySignatures.js';
import {
  type Block,
  encodeBlock,
  type Transfer,
  TX_SIGNING_TAG,
  txSigningBytes,
  type UnsignedTransfer,
} from '../../src/core/index.js';
import { createNodeVerifier, keyPairOfSecret } from '../../src/crypto/nodeEd25519.js';

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

export interface VerifyRates {
  /** Sync verify on the main thread, per CPU second and per clock second. */
  readonly oneCoreCpu: number;
  readonly oneCoreClock: number;
  /** verifyAsync, everything in flight at once, per clock second. */
  readonly allCores: number;
  /** verifyAt: the transfers of one block shared among the worker threads, per clock second. */
  readonly workers: number;
  /** The better of allCores and workers: the limit a node verifying everything can reach. */
  readonly best: number;
  readonly signatures: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/**
 * The verify rates, best of `rounds` passes over `count` signatures by `keyCount` keys (all
 * imported into the verifier's cache by a first pass, as a node's are once it has seen them).
 */
export async function measureVerifyRates(
  count = 4_000,
  keyCount = 64,
  rounds = 4,
): Promise<VerifyRates> {
  const keys = Array.from({ length: keyCount }, newBenchKey);
  const items = Array.from({ length: count }, (_, i) => {
    const key = keys[i % keyCount]!;
    // A message the size of a transfer's signing bytes (the tag and 93 bytes).
    const message = new Uint8Array(TX_SIGNING_TAG.length + 93).fill(i & 0xff);
    new DataView(message.buffer).setUint32(TX_SIGNING_TAG.length, i);
    return { key: key.publicKey, message, signature: sign(null, message, key.privateKey) };
  });
  const verifier = createNodeVerifier();
  const verifyAll = async (): Promise<number> => {
    const started = performance.now();
    const results = await Promise.all(
      items.map((it) => verifier.verifyAsync(it.key, it.message, it.signature)),
    );
    if (results.includes(false)) throw new Error('a bench signature did not verify');
    return (count * 1000) / (performance.now() - started);
  };
  let allCores = 0;
  await verifyAll(); // warm-up: imports the keys, starts the thread pool
  for (let round = 0; round < rounds; round++) allCores = Math.max(allCores, await verifyAll());
  const workers = await measureWorkerRate(keys, count, rounds);
  let oneCoreCpu = 0;
  let oneCoreClock = 0;
  for (let round = 0; round < rounds; round++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const it of items) {
      if (!verifier.verify(it.key, it.message, it.signature)) throw new Error('bad signature');
    }
    oneCoreClock = Math.max(oneCoreClock, (count * 1000) / (performance.now() - started));
    oneCoreCpu = Math.max(oneCoreCpu, (count * 1000) / cpuMs(cpu));
  }
  const best = Math.max(allCores, workers);
  return { oneCoreCpu, oneCoreClock, allCores, workers, best, signatures: count };
}

/**
 * The workers' rate: a block of `count` transfers by `keys` (a valid encoding, not a valid
 * block), its transfers checked at their offsets on every worker (verifyAt) as a chain checks a
 * block on its tip; best of `rounds` after a pass that starts the workers.
 */
async function measureWorkerRate(
  keys: readonly BenchKey[],
  count: number,
  rounds: number,
): Promise<number> {
  const zeros = new Uint8Array(32);
  const block: Block = {
    header: {
      version: 1,
      height: 1,
      prevHash: zeros,
      merkleRoot: zeros,
      timestampMs: 0,
      bits: 0,
      nonce: 0n,
    },
    txs: [
      { type: 'coinbase', chainId: 1, height: 1, to: zeros, amount: 0n },
      ...Array.from({ length: count }, (_, i) => {
        const key = keys[i % keys.length]!;
        return signWith(key, {
          type: 'transfer',
          chainId: 1,
          from: key.publicKey,
          to: zeros,
          amount: 1n,
          fee: 1n,
          nonce: BigInt(i),
        });
      }),
    ],
  };
  const bytes = encodeBlock(block);
  // As a chain checks a block on its tip: the transfers at their offsets (txOffsets).
  const offsets = txOffsets(bytes, block.txs).slice(1);
  const verifier = createNodeVerifier();
  const verifyAll = async (): Promise<number> => {
    const started = performance.now();
    const verdicts = await verifier.verifyAt!(bytes, offsets);
    if (!verdicts || verdicts.includes(0)) throw new Error('a bench signature did not verify');
    return (count * 1000) / (performance.now() - started);
  };
  let best = 0;
  try {
    await verifyAll(); // warm-up: starts the workers, imports the keys
    for (let round = 0; round < rounds; round++) best = Math.max(best, await verifyAll());
  } finally {
    await verifier.close?.();
  }
  return best;
}
