/**
 * A big block on the tip has its signatures checked on the workers from before checkBlock
 * (startSignaturesOnTip), so that the rest of the checks and the writes run meanwhile; but only a
 * block that can become the tip sets the workers going: not a body its header does not commit
 * to, not a header the tip refuses, not a block known already, not transfers the mempool
 * verified. Each is judged exactly as before.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  idsOfBytes,
  idsOfEncoded,
  MIN_WORKER_SIGNATURES,
  txOffsets,
} from '../../../src/chain/verifySignatures.js';
import {
  type Block,
  decodeBlock,
  encodeBlock,
  hashTx,
  type Transfer,
  toHex,
} from '../../../src/core/index.js';
import { createNodeVerifier, type NodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import type { BlockJob } from '../../../src/crypto/signatureWorkers.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import type { ChainStore } from '../../../src/storage/types.js';
import { alice, bob, ChainBuilder, defaultNowMs, reseal } from '../../support/chainBuilder.js';
import { afterGenesis, feed, openChain, unwrap } from '../../support/nodeFixtures.js';

const inner = createNodeVerifier();
afterAll(() => inner.close?.());

const COUNT = MIN_WORKER_SIGNATURES + 4;

/** Block 1 pays alice; `block` holds COUNT transfers alice → bob. */
function scenario() {
  const builder = new ChainBuilder();
  builder.mine({ minerKey: alice.key });
  const transfers = Array.from({ length: COUNT }, (_, i) =>
    builder.transfer(alice, bob, 1n, { nonce: BigInt(i) }),
  );
  return { builder, before: afterGenesis(builder), block: builder.next({ transfers }) };
}

/**
 * A chain whose worker jobs are recorded (the offsets it asks about, or a block job), each with
 * whether the block was stored before it.
 */
async function watchedChain(before: readonly Block[]) {
  const jobs: { offsets?: readonly number[]; job?: BlockJob; afterSave: boolean }[] = [];
  let saved = 0;
  const verifier: NodeVerifier = {
    ...inner,
    verifyBlock(bytes, job) {
      jobs.push({ ...(job && { job }), afterSave: saved > before.length + 1 });
      return inner.verifyBlock!(bytes, job);
    },
    verifyAt(bytes, offsets) {
      jobs.push({ offsets, afterSave: saved > before.length + 1 });
      return inner.verifyAt!(bytes, offsets);
    },
  };
  const memory = createMemoryStore();
  const store: ChainStore = {
    ...memory,
    saveBlock(...args) {
      saved++;
      memory.saveBlock(...args);
    },
  };
  const chain = await openChain(store, { verifier });
  await feed(chain, before);
  return { chain, jobs };
}

describe('signatures of a big block on the tip', () => {
  it('are handed to every worker before the block is even stored', async () => {
    const { before, block } = scenario();
    const { chain, jobs } = await watchedChain(before);
    expect(unwrap(await chain.addBlock(block)).status).toBe('connected');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.afterSave).toBe(false);
    // Each transfer's offset in the block's bytes: transaction i + 1 is transfer i.
    const offsets = txOffsets(encodeBlock(block), block.txs);
    expect(jobs[0]!.offsets).toEqual(offsets.slice(1));
  });

  it('find a bad signature at any position, whichever worker claimed it', async () => {
    const { before, block } = scenario();
    const { chain, jobs } = await watchedChain(before);
    const tip = chain.tip;
    // The workers claim the offsets 16 at a time: both ends, and each side of two seams.
    for (const at of [0, 63, 64, 191, 192, COUNT - 1]) {
      const txs = block.txs.map((tx, i) => {
        if (i !== at + 1) return tx;
        const signature = Uint8Array.from((tx as Transfer).signature);
        signature[40]! ^= 1;
        return { ...(tx as Transfer), signature };
      });
      expect(await chain.addBlock(reseal(block, txs))).toMatchObject({
        ok: false,
        code: 'TX_BAD_SIGNATURE',
        detail: `transaction ${at + 1}: the signature does not verify`,
      });
      expect(chain.tip).toBe(tip);
    }
    expect(jobs.every((job) => job.offsets?.length === COUNT)).toBe(true);
    expect(jobs).toHaveLength(6);
    expect(unwrap(await chain.addBlock(block)).status).toBe('connected');
  });

  it('are not checked for a body its header does not commit to', async () => {
    const { before, block } = scenario();
    const { chain, jobs } = await watchedChain(before);
    const junk: Block = { header: block.header, txs: block.txs.slice(0, -1) };
    expect(await chain.addBlock(junk)).toMatchObject({ ok: false, code: 'BLOCK_BAD_MERKLE_ROOT' });
    expect(jobs).toHaveLength(0);
  });

  it('are not checked for a header the tip refuses', async () => {
    const { builder, before, block } = scenario();
    const { chain, jobs } = await watchedChain(before);
    const future = defaultNowMs(builder.params) + builder.params.maxFutureDriftMs + 60_000;
    const early = reseal({ ...block, header: { ...block.header, timestampMs: future } });
    expect(await chain.addBlock(early)).toMatchObject({ ok: false, code: 'BLOCK_TIME_TOO_NEW' });
    expect(jobs).toHaveLength(0);
  });

  it('are not checked again for a block found invalid, sent again', async () => {
    const { before, block } = scenario();
    const { chain, jobs } = await watchedChain(before);
    const txs = block.txs.map((tx, i) => {
      if (i !== 7) return tx;
      const signature = Uint8Array.from((tx as Transfer).signature);
      signature[3]! ^= 1;
      return { ...(tx as Transfer), signature };
    });
    const bad = reseal(block, txs);
    expect(await chain.addBlock(bad)).toMatchObject({ ok: false, code: 'TX_BAD_SIGNATURE' });
    expect(jobs).toHaveLength(1);
    expect(await chain.addBlock(bad)).toMatchObject({ ok: false, code: 'BLOCK_INVALID_ANCESTOR' });
    expect(jobs).toHaveLength(1);
    expect(unwrap(await chain.addBlock(block)).status).toBe('connected');
  });

  it('are not checked when the mempool verified them', async () => {
    const { before, block } = scenario();
    const { chain, jobs } = await watchedChain(before);
    chain.trustVerified(() => true);
    expect(unwrap(await chain.addBlock(block)).status).toBe('connected');
    expect(jobs).toHaveLength(0);
  });
});

describe('the ids of a block encoded for the workers', () => {
  it('are the ids hashTx gives each transaction, coinbase and transfers', () => {
    const { block } = scenario();
    const ids = idsOfEncoded(encodeBlock(block), block.txs).map(toHex);
    expect(ids).toEqual(block.txs.map((tx) => toHex(hashTx(tx))));
    expect(ids).toHaveLength(COUNT + 1);
  });

  it('are taken from the bytes a block was decoded from only if they can be its own', () => {
    const { block } = scenario();
    const bytes = encodeBlock(block);
    const decoded = unwrap(decodeBlock(bytes));
    expect(idsOfBytes(bytes, decoded)?.map(toHex)).toEqual(
      block.txs.map((tx) => toHex(hashTx(tx))),
    );
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(idsOfBytes(longer, decoded)).toBeUndefined();
    expect(idsOfBytes(bytes.subarray(1), decoded)).toBeUndefined();
  });

  it('are the same from a small block, whose ids node:crypto hashes', () => {
    const { block } = scenario();
    const small: Block = { header: block.header, txs: block.txs.slice(0, 4) };
    const bytes = encodeBlock(small);
    const ids = idsOfBytes(bytes, unwrap(decodeBlock(bytes)))?.map(toHex);
    expect(ids).toEqual(small.txs.map((tx) => toHex(hashTx(tx))));
    expect(ids).toHaveLength(4);
  });
});
