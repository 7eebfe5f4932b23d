/**
 * The merkle path from one transaction id to its block's merkle root, and its check: what a
 * light client needs to know a transaction is in a block while holding only the block's header.
 *
 * The path lists, level by level from the leaves, the sibling the node is hashed with and on
 * which side it stands. CONSENSUS (merkle.ts): an odd node at the end of a level is carried up
 * unchanged, so at that level the path has no step. The check re-hashes the leaf up the path
 * with SHA-256d(left || right) and compares the result with the header's merkle root.
 */
import { concatBytes, equalBytes } from './bytes.js';
import { sha256d } from './hash.js';

export interface MerkleStep {
  readonly sibling: Uint8Array;
  /** Where the sibling stands: 'left' means hash(sibling || node). */
  readonly side: 'left' | 'right';
}

/** The path of `ids[index]` to the root of `ids`. */
export function merkleProof(ids: readonly Uint8Array[], index: number): MerkleStep[] {
  if (!(index >= 0 && index < ids.length)) throw new RangeError(`no leaf ${index}`);
  const path: MerkleStep[] = [];
  let level = ids.slice();
  let at = index;
  while (level.length > 1) {
    const sibling = at % 2 === 0 ? at + 1 : at - 1;
    if (sibling < level.length) {
      path.push({ sibling: level[sibling]!, side: at % 2 === 0 ? 'right' : 'left' });
    }
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2)
      next.push(sha256d(concatBytes(level[i]!, level[i + 1]!)));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
    at = Math.floor(at / 2);
  }
  return path;
}

/** Each hash on the way from the leaf to the root, the leaf first: to show the check. */
export function merklePathHashes(leaf: Uint8Array, path: readonly MerkleStep[]): Uint8Array[] {
  const hashes = [leaf];
  let node = leaf;
  for (const step of path) {
    node =
      step.side === 'left'
        ? sha256d(concatBytes(step.sibling, node))
        : sha256d(concatBytes(node, step.sibling));
    hashes.push(node);
  }
  return hashes;
}

export function verifyMerkleProof(
  leaf: Uint8Array,
  path: readonly MerkleStep[],
  root: Uint8Array,
): boolean {
  return equalBytes(merklePathHashes(leaf, path).at(-1)!, root);
}
