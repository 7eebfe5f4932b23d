/**
 * The reference miner: tries nonces one by one with plain SHA-256d until the hash meets the
 * header's target. Slow (hundreds of thousands of tries a second) and synchronous; it is here for
 * tests, vectors and the demo. The node mines with the midstate kernels of src/miner/.
 */
import { encodeHeader, HEADER_NONCE_OFFSET } from './encoding/header.js';
import { sha256d } from './hash.js';
import { decodeBits, hashMeetsTarget } from './pow.js';
import type { Block } from './types.js';

/** The block with the first nonce from `startNonce` that meets its target, or undefined. */
export function solveBlock(
  block: Block,
  maxTries = 1_000_000_000,
  startNonce = 0n,
): Block | undefined {
  const target = decodeBits(block.header.bits).target;
  const bytes = encodeHeader(block.header);
  const view = new DataView(bytes.buffer);
  for (let i = 0, nonce = startNonce; i < maxTries; i++, nonce++) {
    view.setBigUint64(HEADER_NONCE_OFFSET, nonce);
    if (hashMeetsTarget(sha256d(bytes), target)) {
      return { header: { ...block.header, nonce }, txs: block.txs };
    }
  }
  return undefined;
}
