/**
 * A signature worker thread (see signatureWorkers.ts for the protocol). It reads each block it is
 * sent straight from the bytes (docs/protocol.md: the 92-byte header, a varint count, then each
 * transaction's fixed-size encoding; encoding/tx.ts for a transfer's fields), checks if asked that
 * the transactions are the ones the header commits to, then verifies the transfer signatures
 * asked for with node:crypto, one after another on this thread's core.
 *
 * PERF: no decoding into objects and no encoding back: a transfer's id is SHA-256d of its 157
 * bytes as they are, and its signature signs TX_SIGNING_TAG and the first 93 of them (≈ 4 µs a
 * transfer less than decodeBlock, hashTx and txSigningBytes; a verify is ≈ 85 µs).
 * SECURITY: whatever the bytes hold, an id is reported only for 157 bytes that are a transfer
 * whose signature verifies under the key they hold, that is for the transfer with that encoding,
 * and nothing else can have its id (short of a SHA-256d collision). Loose transfers (a
 * `transfers` job) are answered by index, and a block's transfers at given offsets (a `claims`
 * job) in the job's own shared verdicts: see signatureWorkers.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
// PERF: the core's modules this thread uses, not its index: 14 modules load, not 43 (the address
// codecs and @scure/base among them). A worker starts when a node first meets a big block (a
// sync's first full block, a first batch of transfers), on that block's path. A compiled worker
// spawned, to its first answer, old and new alternated 10 times each (bench/lib/workerStart.mjs,
// load 11.7-12.5): 77-317 ms (median 236) → 75-280 ms (median 123); the process's CPU 62-100 →
// 45-67 ms; its resident memory, a worker's share, 20.4 → 14.7 MB. A whole sync of 8 full blocks
// (bench/lib/syncMemory.ts 8, 3 pairs alternated, load 4-8) shows neither in its noise: peak RSS
// 214, 206, 203 → 208, 207, 203 MB, CPU a transfer 159, 147, 143 → 151, 202, 151 µs.
// test/unit/crypto/workerModules.test.ts walks the imports.
import { equalBytes, toHex } from '../core/bytes.js';
import { readHeader } from '../core/encoding/header.js';
import { DecodeError, Reader } from '../core/encoding/reader.js';
import {
  COINBASE_SIZE,
  TRANSFER_SIZE,
  TX_SIGNING_TAG,
  TX_TYPE_COINBASE,
  TX_TYPE_TRANSFER,
} from '../core/encoding/tx.js';
import { sha256d } from '../core/hash.js';
import { merkleRoot } from '../core/merkle.js';
import type { BlockHeader } from '../core/types.js';
import { createNodeVerifier } from './nodeEd25519.js';
import { sharedBytesCollector } from './sharedBytesCollector.js';
import type { Claims, WorkerAnswer, WorkerJob } from './signatureWorkers.js';

/** Where a transfer's fields are in its encoding (encoding/tx.ts). */
const FROM_OFFSET = 5;
const SIGNATURE_OFFSET = 93;

// The native verify from the raw key where the addon is built, unless the verifier that started
// this thread said not to (createNodeVerifier's `native`): no key cache then (nodeEd25519.ts).
const { verify } = createNodeVerifier(
  10_000,
  {},
  {
    native: (workerData as { native?: boolean } | null)?.native !== false,
  },
);
const port = parentPort!;
/** The signed message, rebuilt in place for each transfer: the tag, then the unsigned fields. */
const message = new Uint8Array(TX_SIGNING_TAG.length + SIGNATURE_OFFSET);
message.set(TX_SIGNING_TAG);

interface Layout {
  readonly header: BlockHeader;
  /** Each transaction's bytes, in block order (views of the job's bytes). */
  readonly txs: readonly Uint8Array[];
}

/** The header and each transaction's bytes, or undefined if the bytes are not a block's. */
function layout(bytes: Uint8Array): Layout | undefined {
  try {
    const reader = new Reader(bytes);
    const header = readHeader(reader);
    const count = reader.varint('transaction count');
    const txs: Uint8Array[] = [];
    let offset = reader.position;
    for (let i = 0; i < count; i++) {
      const type = bytes[offset];
      const size =
        type === TX_TYPE_TRANSFER ? TRANSFER_SIZE : type === TX_TYPE_COINBASE ? COINBASE_SIZE : 0;
      if (size === 0 || offset + size > bytes.length) return undefined;
      txs.push(bytes.subarray(offset, offset + size));
      offset += size;
    }
    return offset === bytes.length ? { header, txs } : undefined;
  } catch (error) {
    if (error instanceof DecodeError) return undefined;
    throw error;
  }
}

function run({ id, bytes, indexes, checkRoot, transfers: loose, claims }: WorkerJob): WorkerAnswer {
  if (claims) return { id, valid: [], judged: runClaims(bytes, claims) };
  if (loose) return { id, valid: [], verified: runTransfers(bytes, indexes) };
  const block = layout(bytes);
  if (!block) return { id, valid: [] };
  const { txs } = block;
  const ids = checkRoot ? txs.map(sha256d) : undefined;
  if (ids && (ids.length === 0 || !equalBytes(merkleRoot(ids), block.header.merkleRoot))) {
    return { id, valid: [] };
  }
  const valid: string[] = [];
  for (const i of indexes ?? txs.keys()) {
    const tx = txs[i];
    if (tx && verifies(tx)) valid.push(toHex(ids?.[i] ?? sha256d(tx)));
  }
  return { id, valid };
}

/**
 * The indexes (among `indexes`, every one if null) of the 157-byte transfers in `bytes` whose
 * signature verifies. PERF: answered by index, not by id: the main thread made these bytes from
 * transfers it holds and knows which is where, so nothing is hashed or written as hex here
 * (≈ 4 µs a transfer, of ≈ 200 for the verify).
 */
function runTransfers(bytes: Uint8Array, indexes: readonly number[] | null): number[] {
  const count = bytes.length % TRANSFER_SIZE === 0 ? bytes.length / TRANSFER_SIZE : 0;
  const verified: number[] = [];
  for (const i of indexes ?? Array.from({ length: count }, (_, n) => n)) {
    if (i >= count) continue;
    if (verifies(bytes.subarray(i * TRANSFER_SIZE, (i + 1) * TRANSFER_SIZE))) verified.push(i);
  }
  return verified;
}

/**
 * Claims parts of the job's offsets until none are left (see Claims), and writes a verdict for
 * each: 1 where the 157 bytes at that offset are a transfer whose signature verifies. PERF:
 * nothing is decoded, hashed or written as hex here: the main thread hashed these very bytes for
 * their ids and knows which transaction starts at each offset. Each part is counted in the job's
 * `judged` once its verdicts are written: the main thread takes the verdicts once every offset
 * is counted, without waiting for a worker still busy elsewhere. The answer: how many it judged.
 */
function runClaims(
  bytes: Uint8Array,
  { offsets, next, verdicts, judged: all, part }: Claims,
): number {
  let judged = 0;
  for (;;) {
    const from = Atomics.add(next, 0, part);
    if (from >= offsets.length) return judged;
    const to = Math.min(from + part, offsets.length);
    for (let k = from; k < to; k++) {
      const at = offsets[k]!;
      if (at >= 0 && verifies(bytes.subarray(at, at + TRANSFER_SIZE)))
        Atomics.store(verdicts, k, 1);
    }
    Atomics.add(all, 0, to - from);
    judged += to - from;
  }
}

/** Whether `tx` is a transfer's 157 bytes whose signature verifies under the key they hold. */
function verifies(tx: Uint8Array): boolean {
  if (tx.length !== TRANSFER_SIZE || tx[0] !== TX_TYPE_TRANSFER) return false;
  message.set(tx.subarray(0, SIGNATURE_OFFSET), TX_SIGNING_TAG.length);
  const from = tx.subarray(FROM_OFFSET, FROM_OFFSET + 32);
  return verify(from, message, tx.subarray(SIGNATURE_OFFSET));
}

const jobDone = sharedBytesCollector();

port.on('message', (job: WorkerJob) => {
  port.postMessage(run(job));
  jobDone(job.bytes);
});
