/**
 * Merkle paths against the frozen vectors (test/vectors/merkle.json): for every vector and every
 * leaf, the path leads to the vector's root (node:crypto re-hashes it too, apart from the core);
 * a different leaf, a changed sibling or a flipped side does not.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fromHex,
  merklePathHashes,
  merkleProof,
  toHex,
  verifyMerkleProof,
} from '../../../src/core/index.js';

const { vectors } = JSON.parse(
  readFileSync(new URL('../../vectors/merkle.json', import.meta.url), 'utf8'),
) as { vectors: { description: string; leaves: string[]; root: string }[] };

const sha256d = (bytes: Buffer) =>
  createHash('sha256').update(createHash('sha256').update(bytes).digest()).digest();

describe('merkle proofs', () => {
  for (const v of vectors) {
    it(`leads every leaf of "${v.description}" to its root, and nothing else`, () => {
      const leaves = v.leaves.map(fromHex);
      const root = fromHex(v.root);
      leaves.forEach((leaf, index) => {
        const path = merkleProof(leaves, index);
        expect(verifyMerkleProof(leaf, path, root)).toBe(true);
        // The same walk with node:crypto.
        let node = Buffer.from(leaf);
        for (const step of path) {
          const sibling = Buffer.from(step.sibling);
          node = sha256d(
            step.side === 'left' ? Buffer.concat([sibling, node]) : Buffer.concat([node, sibling]),
          );
        }
        expect(node.toString('hex')).toBe(v.root);
        expect(toHex(merklePathHashes(leaf, path).at(-1)!)).toBe(v.root);
        // A leaf that differs (the CVE-2012-2459 vectors repeat one).
        const other = leaves.find((l) => toHex(l) !== toHex(leaf));
        if (!other) return;
        expect(verifyMerkleProof(other, path, root)).toBe(false);
        const flipped = path.map((s, i) =>
          i === 0 ? { ...s, side: s.side === 'left' ? ('right' as const) : ('left' as const) } : s,
        );
        // Flipping a step matters unless its sibling is the node itself (a repeated leaf).
        if (path.length > 0 && toHex(path[0]!.sibling) !== toHex(leaf))
          expect(verifyMerkleProof(leaf, flipped, root)).toBe(false);
        const changed = path.map((s, i) =>
          i === 0 ? { ...s, sibling: other.map((b) => b ^ 1) } : s,
        );
        if (path.length > 0) expect(verifyMerkleProof(leaf, changed, root)).toBe(false);
      });
    });
  }

  it('has no step where an odd node is carried up', () => {
    const leaves = vectors.find((v) => v.leaves.length === 3)!.leaves.map(fromHex);
    expect(merkleProof(leaves, 2)).toHaveLength(1);
    expect(merkleProof(leaves, 0)).toHaveLength(2);
    expect(() => merkleProof(leaves, 3)).toThrow(RangeError);
  });
});
