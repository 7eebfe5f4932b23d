/**
 * The light client's check (src/core/checkTxProof.ts) on a chain built here: a transfer's merkle
 * path and the headers above its block pass; each thing a node could lie about fails its own
 * check, and only that one: the header, its work, a sibling of the path, a header above (its
 * link, its work, its height), and the tip it names.
 */
import { describe, expect, it } from 'vitest';
import {
  type ChainAbove,
  checkTxProof,
  encodeHeader,
  hashHeader,
  hashTx,
  merkleProof,
  type TxProof,
  toHex,
} from '../../../src/core/index.js';
import { fundedChain, unsolve } from '../../support/chainBuilder.js';

function setup() {
  const chain = fundedChain().mineEmpty(3);
  const block = chain.blocks[2]!;
  const ids = block.txs.map(hashTx);
  const proof: TxProof = {
    id: ids[2]!,
    blockHash: toHex(hashHeader(block.header)),
    header: encodeHeader(block.header),
    path: merkleProof(ids, 2),
  };
  const above: ChainAbove = {
    headers: chain.blocks.slice(3).map((b) => encodeHeader(b.header)),
    tipHash: toHex(hashHeader(chain.tip.header)),
    tipHeight: chain.height,
  };
  return { chain, block, proof, above };
}
const failed = (verdict: ReturnType<typeof checkTxProof>) =>
  verdict.checks.filter((c) => !c.ok).map((c) => c.check);

describe('checkTxProof', () => {
  it('passes a true proof, counting the confirmations from the headers it checked', () => {
    const { proof, above, block } = setup();
    const verdict = checkTxProof(proof, above);
    expect(failed(verdict)).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict.confirmations).toBe(4);
    expect(verdict.checks).toHaveLength(5);
    expect(toHex(verdict.pathHashes.at(-1)!)).toBe(toHex(block.header.merkleRoot));
    // A block at the tip: no header above, the tip is the block itself.
    const atTip = checkTxProof(proof, { headers: [], tipHash: proof.blockHash, tipHeight: 2 });
    expect([atTip.ok, atTip.confirmations]).toEqual([true, 1]);
  });

  it('refuses each lie with the check it breaks', () => {
    const { proof, above, block, chain } = setup();
    const flip = (bytes: Uint8Array, at: number) => {
      const copy = bytes.slice();
      copy[at] = copy[at]! ^ 1;
      return copy;
    };
    expect(failed(checkTxProof({ ...proof, blockHash: '00'.repeat(32) }, above))).toEqual([
      'header hashes to the block',
    ]);
    const sibling = { ...proof.path[0]!, sibling: flip(proof.path[0]!.sibling, 0) };
    expect(
      failed(checkTxProof({ ...proof, path: [sibling, ...proof.path.slice(1)] }, above)),
    ).toEqual(["merkle path ends at the header's merkle root"]);
    const lazy = unsolve(block);
    expect(
      failed(
        checkTxProof(
          {
            ...proof,
            header: encodeHeader(lazy.header),
            blockHash: toHex(hashHeader(lazy.header)),
          },
          above,
        ),
      ),
    ).toContain('proof of work: the hash is below the target');
    // A header above that names another parent: the chain of headers is broken there.
    const relinked = [flip(above.headers[0]!, 8), ...above.headers.slice(1)];
    expect(failed(checkTxProof(proof, { ...above, headers: relinked }))).toEqual([
      'headers above link it to the tip, each with its proof of work',
      "the node's tip is on them: the block is on its most-work chain",
    ]);
    // A header above without its proof of work.
    const weak = unsolve(chain.blocks[3]!);
    const unworked = [encodeHeader(weak.header)];
    expect(
      checkTxProof(proof, {
        headers: unworked,
        tipHash: toHex(hashHeader(weak.header)),
        tipHeight: 3,
      }).checks[3]!.detail,
    ).toBe('header 3 has no proof of work');
    // A tip the headers do not reach.
    expect(failed(checkTxProof(proof, { ...above, tipHash: '11'.repeat(32) }))).toEqual([
      "the node's tip is on them: the block is on its most-work chain",
    ]);
    expect(failed(checkTxProof(proof, { ...above, tipHeight: chain.height + 1 }))).toEqual([
      "the node's tip is on them: the block is on its most-work chain",
    ]);
  });
});
