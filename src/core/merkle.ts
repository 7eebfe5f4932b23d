/**
 * The merkle root of a block's transaction ids.
 *
 * Pairs are hashed with SHA-256d(left || right), level by level. CONSENSUS: an odd node at the
 * end of a level is carried up unchanged, not paired with itself as Bitcoin does. Bitcoin's
 * duplication lets [a, b, c] and [a, b, c, c] share a root (CVE-2012-2459), so a block could be
 * mutated into an invalid one with the same hash; here no two lists of
 * transaction ids share a root unless a transaction id equals the hash of two others (a SHA-256d
 * preimage).
 */
import { concatBytes } from './bytes.js';
import { sha256d } from './hash.js';

export function merkleRoot(ids: readonly Uint8Array[]): Uint8Array {
  if (ids.length === 0) throw new RangeError('a merkle root needs at least one leaf');
  // PERF: one 64-byte buffer for every pair of 32-byte ids, not a new one each (a full block has
  // 6,368 pairs); leaves of other lengths (tests) are concatenated as they are.
  const pair = new Uint8Array(64);
  const hashPair = (left: Uint8Array, right: Uint8Array): Uint8Array => {
    if (left.length !== 32 || right.length !== 32) return sha256d(concatBytes(left, right));
    pair.set(left, 0);
    pair.set(right, 32);
    return sha256d(pair);
  };
  let level = ids.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      next.push(hashPair(level[i]!, level[i + 1]!));
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}
