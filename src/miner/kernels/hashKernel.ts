/**
 * A hash kernel tries nonces for one block header: SHA-256d of the 92-byte header with the nonce
 * (bytes 84..91, u64 big-endian) set to each value in turn, compared as a big-endian number with
 * the target. Kernels are synchronous and meant to run inside a miner worker thread; the worker
 * calls search() in chunks short enough to notice an abort between them.
 *
 * Kernels, fastest first (the order loadKernel tries them in):
 *   native-sha-ni   C addon, x86 SHA extensions, two nonces interleaved
 *   wasm-simd128    AssemblyScript, four nonces in the lanes of 128-bit WASM SIMD
 *   native-openssl  C addon calling OpenSSL's SHA256_Transform (exported by node)
 *   node-crypto     node:crypto, one nonce at a time; always available
 */

export const KERNEL_NAMES = [
  'native-sha-ni',
  'wasm-simd128',
  'native-openssl',
  'node-crypto',
] as const;

export type KernelName = (typeof KERNEL_NAMES)[number];

export interface SearchResult {
  /** The first nonce in the range whose hash meets the target, or null if none does. */
  readonly nonce: bigint | null;
  /** That nonce's block hash (SHA-256d of the header), or null. */
  readonly hash: Uint8Array | null;
  /** Nonces hashed: up to and including the one found, or the whole count. */
  readonly tries: number;
}

export interface HashKernel {
  readonly name: KernelName;
  /**
   * Tries nonces startNonce … startNonce + count - 1 in order. `header` is 92 bytes (its nonce
   * field is ignored), `target` 32 bytes big-endian; the range must stay below 2^64.
   */
  search(header: Uint8Array, target: Uint8Array, startNonce: bigint, count: number): SearchResult;
}

export const HEADER_BYTES = 92;
export const TARGET_BYTES = 32;
const U32 = 0x1_0000_0000;

export function assertSearchArgs(
  header: Uint8Array,
  target: Uint8Array,
  startNonce: bigint,
  count: number,
): void {
  if (header.length !== HEADER_BYTES) {
    throw new RangeError(`a header is ${HEADER_BYTES} bytes, got ${header.length}`);
  }
  if (target.length !== TARGET_BYTES) {
    throw new RangeError(`a target is ${TARGET_BYTES} bytes, got ${target.length}`);
  }
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  }
  if (startNonce < 0n || startNonce + BigInt(count) > 1n << 64n) {
    throw new RangeError(`nonces ${startNonce} + ${count} leave the u64 range`);
  }
}

/**
 * Runs `searchRun(hi, lo, n)` over [startNonce, startNonce + count) in runs that keep the low
 * nonce word from wrapping (lo + n <= 2^32) and no longer than `maxRun`. `searchRun` returns the
 * offset of the first nonce that meets the target, or -1, and leaves its hash in `hashOut`.
 */
export function searchInRuns(
  startNonce: bigint,
  count: number,
  maxRun: number,
  hashOut: Uint8Array,
  searchRun: (hi: number, lo: number, n: number) => number,
): SearchResult {
  let done = 0;
  let nonce = startNonce;
  while (done < count) {
    const hi = Number(nonce >> 32n);
    const lo = Number(nonce & 0xffff_ffffn);
    const n = Math.min(count - done, U32 - lo, maxRun);
    const found = searchRun(hi, lo, n);
    if (found >= 0) {
      return { nonce: nonce + BigInt(found), hash: hashOut.slice(), tries: done + found + 1 };
    }
    done += n;
    nonce += BigInt(n);
  }
  return { nonce: null, hash: null, tries: count };
}
