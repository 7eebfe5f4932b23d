/**
 * POST /api/blocks with `hex`: the chain takes the block with the bytes it was decoded from
 * (BlockOrigin.bytes), hashes its ids from them, hands them to the signature workers and stores
 * them, instead of encoding the block again. Judged exactly as before: a big block (checked on
 * the workers) connects with the ids hashTx gives, and one bad signature anywhere in it, or a body
 * its header does not commit to, is refused with the same code, leaving the tip where it was.
 */
import { describe, expect, it } from 'vitest';
import { MIN_WORKER_SIGNATURES } from '../../src/chain/verifySignatures.js';
import {
  type Block,
  encodeBlock,
  hashHeader,
  hashTx,
  type Transfer,
  toHex,
} from '../../src/core/index.js';
import type { BlockyardNode } from '../../src/node/createNode.js';
import { alice, bob, ChainBuilder, reseal } from '../support/chainBuilder.js';
import { closeNodesAfterEach, expectError, postJson, startNode } from '../support/http.js';

closeNodesAfterEach();

const COUNT = MIN_WORKER_SIGNATURES + 8;

/** Block 1 pays alice; `big` holds COUNT transfers alice → bob, checked on the workers. */
function scenario() {
  const builder = new ChainBuilder();
  const funding = builder.mine({ minerKey: alice.key });
  const transfers = Array.from({ length: COUNT }, (_, i) =>
    builder.transfer(alice, bob, 1n, { nonce: BigInt(i) }),
  );
  return { funding, big: builder.next({ transfers }) };
}

const post = (node: BlockyardNode, block: Block) =>
  postJson(`${node.url}/api/blocks`, { hex: toHex(encodeBlock(block)) });

/** The same block with transfer `index`'s signature spoiled, resealed (a root that commits to it). */
function badSignatureAt(block: Block, index: number): Block {
  const txs = block.txs.map((tx, i) => {
    if (i !== index) return tx;
    const signature = (tx as Transfer).signature.slice();
    signature[7]! ^= 1;
    return { ...(tx as Transfer), signature };
  });
  return reseal(block, txs);
}

describe('a block submitted as hex', () => {
  it('connects from the bytes it was sent as, with the ids hashTx gives', async () => {
    const node = await startNode();
    const { funding, big } = scenario();
    expect((await post(node, funding)).status).toBe(200);
    const connected: string[][] = [];
    node.chain.on('connected', (_entry, _block, txIds) => connected.push(txIds.map(toHex)));
    const answer = await post(node, big);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'connected', hash: toHex(hashHeader(big.header)) });
    expect(connected).toEqual([big.txs.map((tx) => toHex(hashTx(tx)))]);
    // Stored as sent: read back, it is the block itself.
    expect(encodeBlock(node.chain.getBlock(node.chain.tip))).toEqual(encodeBlock(big));
  });

  it('is refused for one bad signature, first, last or in between, as before', async () => {
    const node = await startNode();
    const { funding, big } = scenario();
    expect((await post(node, funding)).status).toBe(200);
    const tip = node.chain.tip;
    for (const index of [1, 100, COUNT]) {
      expectError(await post(node, badSignatureAt(big, index)), 422, 'TX_BAD_SIGNATURE');
      expect(node.chain.tip).toBe(tip);
    }
    expect((await post(node, big)).body.status).toBe('connected');
  });

  it('is refused when its body is not the one its header commits to', async () => {
    const node = await startNode();
    const { funding, big } = scenario();
    expect((await post(node, funding)).status).toBe(200);
    // The header of `big` (its proof of work intact) on a body missing its last transfer.
    const junk: Block = { header: big.header, txs: big.txs.slice(0, -1) };
    expectError(await post(node, junk), 422, 'BLOCK_BAD_MERKLE_ROOT');
    expect(node.chain.tip.header.height).toBe(1);
    expect((await post(node, big)).body.status).toBe('connected');
  });
});
