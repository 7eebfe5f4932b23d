/**
 * A block's transfer signatures, checked on every core through the chain's SignatureCache, so
 * that checks started ahead of the connect (startSignaturesAhead) are not done twice.
 * Transactions the mempool already verified are skipped, as Bitcoin Core's signature cache does:
 * a transaction id commits to the signature and everything it signs.
 */
import {
  type Block,
  blockSize,
  checkHeader,
  encodeBlock,
  equalBytes,
  fail,
  hashTx,
  isEncodable,
  merkleRoot,
  type NetworkParams,
  ok,
  type Result,
  sha256d,
  type Transfer,
  type Tx,
  toHex,
  txSize,
} from '../core/index.js';
import { merkleRootOfIds, sha256dSlices } from '../crypto/nativeTxIds.js';
import { sha256dOpenSsl } from '../crypto/nodeHash.js';
import type { SignatureCache } from './signatureCache.js';

/** Known good without a check here: the mempool verified them. */
export type AlreadyVerified = (txIdHex: string) => boolean;

/**
 * From this many signatures to check in one block, they go to the verifier's worker threads as
 * one job rather than to the thread pool one by one. PERF: the pool costs this thread ≈ 7 µs a
 * signature (1.8 ms for 256), a worker job ≈ 1 ms for the block's bytes and its answer; but the
 * workers take memory while they run (≈ 40 MB each under tsx, measured by bench/connect.ts),
 * so blocks of a few transfers, the usual ones, never start them.
 */
export const MIN_WORKER_SIGNATURES = 256;

/**
 * Chain.verifyAhead: starts checking the signatures of a block with its proof of work, once its
 * transactions are found to be the ones its header commits to: on one of the verifier's workers
 * (which checks that itself) for a big block, else on the thread pool once this thread has.
 * `given.bytes`, if given, are the block's encoding, and `given.hash` its header's hash (as
 * BlockOrigin's).
 */
export function startSignaturesAhead(
  block: Block,
  given: { readonly bytes?: Uint8Array | undefined; readonly hash?: Uint8Array | undefined },
  params: NetworkParams,
  signatures: SignatureCache,
  alreadyVerified: AlreadyVerified,
): void {
  const { header, txs } = block;
  const { bytes } = given;
  // PERF: a block of a coinbase alone (most of a quiet chain's, all 20 of bench/adopt.ts's) has
  // nothing to check ahead: its header was hashed here and its transactions hashed for nothing
  // (≈ 12 % of adding such a block, node --cpu-prof of 600 added in a sync's way).
  if (!txs.some((tx) => tx.type === 'transfer')) return;
  if (!txs.every(isEncodable)) return;
  const pow = checkHeader(header, params, given.hash);
  if (!pow.ok) return;
  if (signatures.hasWorkers && txs.length > MIN_WORKER_SIGNATURES) {
    const hashHex = toHex(pow.value);
    // PERF: with the block's bytes, as a sync has them: its ids hashed here, from slices of them,
    // and kept for its connect (which hashed them again), the workers only verifying, as for a
    // block on the tip. Before, a worker hashed every id and sent all of them back in hex.
    // Measured (bench/lib/syncAdd.ts, 12 full blocks added as a sync adds them, 3 runs each
    // alternated, load 10–12): CPU a transfer 175.8, 178.5, 181.9 → 178.9, 167.0, 170.1 µs (the
    // verify threads 158.6, 161.5, 163.8 → 160.4, 149.4, 153.2; this thread level at 17–19);
    // RSS after the sync 401, 404, 391 → 367, 360, 354 MB.
    if (bytes && signatures.checksAt) {
      if (bytes.length > params.maxBlockBytes || bytes.length !== blockSize(block)) return;
      if (signatures.hasBlock(hashHex)) return;
      const early = startAt(block, bytes, hashHex, signatures, alreadyVerified);
      if (early) signatures.keepAhead(block, early);
      return;
    }
    signatures.startBlock(hashHex, bytes ?? encodeBlock(block));
    return;
  }
  const txIds = (bytes && idsOfBytes(bytes, block)) ?? txs.map(hashTx);
  if (!equalBytes(merkleRoot(txIds), header.merkleRoot)) return;
  // SECURITY: the ids were hashed here from these very transactions (see signatureCache.ts).
  txs.forEach((tx, index) => {
    if (tx.type !== 'transfer') return;
    const idHex = toHex(txIds[index]!);
    if (!alreadyVerified(idHex)) signatures.start(idHex, tx);
  });
}

/** Whether a block's signatures are checked on the workers (startSignaturesOnTip), if any. */
export function forWorkers(block: Block, signatures: SignatureCache): boolean {
  return signatures.hasWorkers && block.txs.length > MIN_WORKER_SIGNATURES;
}

/**
 * A block about to be connected on the tip, before checkBlock: if it is big enough for the
 * workers, has its proof of work and fits the size limit, its transactions are hashed here and,
 * once they are found to be the ones its header commits to, the workers start checking those
 * the mempool did not verify, shared among them. The ids are returned for checkBlock to use,
 * with the block's bytes for saving it (undefined if nothing was started: checkBlock then hashes
 * them and judges the block).
 * PERF: the rest of checkBlock, the header's checks and saving the block (≈ 60–80 ms of a full
 * block, bench/connect.ts) then run while the signatures are checked, not before.
 * SECURITY: no signature is checked for a body its header does not commit to (a header anyone
 * can copy, on a junk body), nor for a block without its proof of work.
 */
export function startSignaturesOnTip(
  block: Block,
  bytes: Uint8Array | undefined,
  params: NetworkParams,
  signatures: SignatureCache,
  alreadyVerified: AlreadyVerified,
  headerHash?: Uint8Array,
): EarlyStart | undefined {
  const { header, txs } = block;
  if (!forWorkers(block, signatures)) return undefined;
  const pow = checkHeader(header, params, headerHash);
  if (!pow.ok) return undefined;
  // A sync's block, checked ahead already (verifyAhead): the ids hashed then from these very
  // bytes; or, a check started without them, the chain takes its ids from its bytes.
  const ahead = signatures.takeAhead(block, bytes);
  if (ahead || signatures.hasBlock(toHex(pow.value))) return ahead;
  if (blockSize(block) > params.maxBlockBytes || !txs.every(isEncodable)) return undefined;
  return startAt(block, bytes ?? encodeBlock(block), toHex(pow.value), signatures, alreadyVerified);
}

/**
 * Hashes the ids of `block`'s transactions from `encoded`, its canonical bytes, and, once they
 * are found to be the ones its header commits to, starts the workers checking those at their
 * offsets that the mempool did not verify and nobody checked: `hashHex` is the block's hash.
 * Undefined if the body is not the one the header commits to (nothing started).
 */
function startAt(
  block: Block,
  encoded: Uint8Array,
  hashHex: string,
  signatures: SignatureCache,
  alreadyVerified: AlreadyVerified,
): EarlyStart | undefined {
  const { header, txs } = block;
  // SECURITY: a caller's bytes are the ones the block was decoded from (BlockOrigin.bytes).
  const offsets = txOffsets(encoded, txs);
  const txIds = idsAt(encoded, txs, offsets);
  const root = merkleRootOfIds(txIds) ?? merkleRoot(txIds);
  if (!equalBytes(root, header.merkleRoot)) return undefined;
  const indexes: number[] = [];
  const idsHex: string[] = [];
  const txIdsHex = txIds.map(toHex);
  txs.forEach((tx, index) => {
    const idHex = txIdsHex[index]!;
    if (tx.type === 'transfer' && !alreadyVerified(idHex) && !signatures.has(idHex)) {
      indexes.push(index);
      idsHex.push(idHex);
    }
  });
  if (indexes.length >= MIN_WORKER_SIGNATURES) {
    // SECURITY: each offset is where the transfer whose id this thread just hashed from the
    // same bytes starts (a transfer: 157 bytes, the whole of what the workers check there).
    if (signatures.checksAt) {
      const at = indexes.map((index) => offsets[index]!);
      signatures.startBlockAt(hashHex, encoded, at, idsHex);
    } else signatures.startBlock(hashHex, encoded, { indexes, spread: true });
  }
  return { txIds, txIdsHex, root, bytes: encoded };
}

/** What startSignaturesOnTip hashed, for checkBlock, and the bytes it encoded, for saving. */
export interface EarlyStart {
  readonly txIds: Uint8Array[];
  /** The same ids in hex, in the same order (for checkBlock's duplicate check). */
  readonly txIdsHex: string[];
  /** The merkle root of `txIds` (the header's). */
  readonly root: Uint8Array;
  readonly bytes: Uint8Array;
}

/**
 * Where each of `txs` starts in `encoded`, their block's canonical bytes (encodeBlock's), which
 * end with each transaction's own bytes one after another.
 */
export function txOffsets(encoded: Uint8Array, txs: readonly Tx[]): number[] {
  let at = encoded.length;
  for (const tx of txs) at -= txSize(tx);
  return txs.map((tx) => {
    const start = at;
    at += txSize(tx);
    return start;
  });
}

/**
 * The ids of `txs`, hashed from their bytes in `encoded` at `offsets` (txOffsets'), by `hashOf`,
 * or, without one, all in one call to the native addon (sha256dSlices) if it is built, else by
 * core's sha256d.
 * PERF: a full block's 6,368 ids in one call into OpenSSL (SHA-NI on this machine) against core's
 * JS SHA-256d one by one: 14.6 against 52 ms at load 24 (tsx, alternated, medians of 30; the call
 * and the copies timed apart from the JS, 1.9 + 0.5 ms: the JS's garbage fell in the other); with its
 * merkle root the same way (startAt: merkleRootOfIds), this thread's CPU a transfer in
 * Chain.addBlock of full blocks, the build before against this one fed the same blocks
 * alternately (`npx tsx bench/lib/connectAlternate.ts OLD NEW 3 0`, 3 rounds of 6, fresh stores,
 * load 23–25): median of the pairs' ratios 0.919, lower in 16 of 18 (medians 32.9 → 29.0 µs); the
 * process's CPU 0.965 (12 of 18). The ids alone, before: 0.968 (8 of 12) and 0.991 (10 of 18).
 */
function idsAt(
  encoded: Uint8Array,
  txs: readonly Tx[],
  offsets: readonly number[],
  hashOf?: (bytes: Uint8Array) => Uint8Array,
): Uint8Array[] {
  if (!hashOf) {
    const bounds = new Uint32Array(txs.length + 1);
    bounds.set(offsets);
    bounds[txs.length] = txs.length === 0 ? 0 : offsets[txs.length - 1]! + txSize(txs.at(-1)!);
    const native = sha256dSlices(encoded, bounds);
    if (native) return native;
  }
  const hash = hashOf ?? sha256d;
  return txs.map((tx, i) => {
    const at = offsets[i]!;
    return hash(encoded.subarray(at, at + txSize(tx)));
  });
}

/**
 * The ids of `txs` from `encoded`, their block's canonical bytes (encodeBlock's), which end with
 * each transaction's own bytes one after another: hashTx's input, sliced out rather than encoded
 * again. PERF: encoding each transfer again for its id was ≈ 4 % of a full block's addBlock on
 * the main thread (node --cpu-prof of bench/connect.ts); the block's bytes are made once, for the
 * workers and for saving the block.
 */
export function idsOfEncoded(
  encoded: Uint8Array,
  txs: readonly Tx[],
  hashOf?: (bytes: Uint8Array) => Uint8Array,
): Uint8Array[] {
  return idsAt(encoded, txs, txOffsets(encoded, txs), hashOf);
}

/**
 * The ids of the transactions of `block`, hashed from slices of `bytes`, the bytes it was decoded
 * from (BlockOrigin.bytes); undefined if they cannot be those (not its size, or a transaction
 * that has no encoding: checkBlock then hashes and judges the block itself). PERF: a synced full
 * block's transfers were each encoded again for their ids (hashTx); sliced, one pass over the
 * bytes in hand: 62 → 37 ms CPU for 3 full blocks (19,104 transfers), alternated, load 3. With
 * the header hashed once and the ids hexed once (Chain.addChecked), this thread's CPU a synced
 * transfer: 24.3, 23.9, 20.5 → 22.8, 21.6, 19.4 µs (bench/lib/syncAdd.ts, alternated, load 8–9).
 */
export function idsOfBytes(bytes: Uint8Array, block: Block): Uint8Array[] | undefined {
  if (!block.txs.every(isEncodable) || bytes.length !== blockSize(block)) return undefined;
  // PERF: a small block's few ids through node:crypto (nodeHash.ts): in a fresh node's first sync
  // the JS hash of the blocks' coinbases ran cold, 2.4 % of its busy samples for a register +
  // resolve onto 20 blocks (bench/lib/freshAdoptProfile.ts, 8 rounds, load 6); its CPU, 10
  // rounds alternated with the build before, medians 36.2 → 30.4 ms (load 5.5, tests beside) and
  // 41.9 → 32.9 ms (load 3.6): noisy, each more than that share. A big block's many ids keep the
  // JS hash, as fast warm.
  const small = block.txs.length < MIN_WORKER_SIGNATURES;
  return idsOfEncoded(bytes, block.txs, small ? sha256dOpenSsl : undefined);
}

/**
 * Whether every signature of the block (hash `hashHex`) verifies. `txIdsHex` must be the ids of
 * these very transactions, hashed by the caller from them (checkBlock), in hex. A check started
 * ahead for the block is waited for; what is still unchecked then is checked now, on the workers
 * if there is much of it.
 */
export async function verifyBlockSignatures(
  block: Block,
  hashHex: string,
  txIdsHex: readonly string[],
  signatures: SignatureCache,
  alreadyVerified: AlreadyVerified,
): Promise<Result> {
  // NOTE: awaited only if there is one: otherwise the workers get this block before the caller
  // goes on (extendTip applies the block meanwhile).
  const ahead = signatures.settled(hashHex);
  if (ahead) await ahead;
  const toCheck: { index: number; idHex: string; tx: Transfer }[] = [];
  block.txs.forEach((tx, index) => {
    if (tx.type !== 'transfer') return;
    const idHex = txIdsHex[index]!;
    if (!alreadyVerified(idHex)) toCheck.push({ index, idHex, tx });
  });
  const unknown = toCheck.filter(({ idHex }) => !signatures.has(idHex)).map(({ index }) => index);
  if (unknown.length >= MIN_WORKER_SIGNATURES && signatures.hasWorkers) {
    await signatures.checkBlock(encodeBlock(block), unknown);
  }
  const checks: Promise<boolean>[] = [];
  const indexes: number[] = [];
  for (const { index, idHex, tx } of toCheck) {
    const check = signatures.take(idHex, tx);
    if (check === true) continue;
    checks.push(check);
    indexes.push(index);
  }
  const results = await Promise.all(checks);
  const bad = results.indexOf(false);
  if (bad !== -1) {
    return fail('TX_BAD_SIGNATURE', `transaction ${indexes[bad]}: the signature does not verify`);
  }
  return ok();
}
