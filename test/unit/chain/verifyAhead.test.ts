/**
 * Signatures checked ahead of the connect (Chain.verifyAhead, as a sync does for its next
 * blocks) answer only for the exact transactions that were checked: a sibling block whose
 * transfer was altered after the first was checked, or a transfer changed in place, is judged on
 * its own bytes. Both ways the chain checks signatures: libuv's thread pool one at a time (small
 * blocks, or a verifier without workers) and the verifier's worker threads (big blocks).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SignatureCache } from '../../../src/chain/signatureCache.js';
import { MIN_WORKER_SIGNATURES } from '../../../src/chain/verifySignatures.js';
import {
  type Block,
  decodeBlock,
  encodeBlock,
  hashHeader,
  hashTx,
  type Transfer,
  toHex,
} from '../../../src/core/index.js';
import { createNodeVerifier, type NodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import type { BlockJob } from '../../../src/crypto/signatureWorkers.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import { alice, bob, ChainBuilder, reseal } from '../../support/chainBuilder.js';
import { afterGenesis, feed, openChain, recordEvents, unwrap } from '../../support/nodeFixtures.js';

const inner = createNodeVerifier();
afterAll(() => inner.close?.());

/**
 * The verifier's checks, counted: signatures one at a time, and whole blocks on the workers;
 * `at`: the workers check transfers at offsets too (verifyAt, counted apart).
 */
function countingVerifierOf(workers: boolean, at = false) {
  const counts: { single: number; blocks: number; at?: number } = { single: 0, blocks: 0 };
  if (at) counts.at = 0;
  const verifier: NodeVerifier = {
    verify: inner.verify,
    verifyAsync(key, message, signature) {
      counts.single++;
      return inner.verifyAsync(key, message, signature);
    },
    ...(workers && {
      verifyBlock(bytes: Uint8Array, job?: BlockJob) {
        counts.blocks++;
        return inner.verifyBlock!(bytes, job);
      },
    }),
    ...(workers &&
      at && {
        verifyAt(bytes: Uint8Array, offsets: readonly number[]) {
          counts.at! += 1;
          return inner.verifyAt!(bytes, offsets);
        },
      }),
  };
  return { verifier, counts };
}

/** Flips one bit of a byte array, in place. */
const flip = (bytes: Uint8Array, at = 10): void => {
  bytes[at]! ^= 1;
};

/** A chain where block 1 pays alice, and a next block of `count` transfers alice → bob. */
function scenario(count: number) {
  const builder = new ChainBuilder();
  builder.mine({ minerKey: alice.key });
  const transfers = Array.from({ length: count }, (_, i) =>
    builder.transfer(alice, bob, 1n, { nonce: BigInt(i) }),
  );
  return { before: afterGenesis(builder), block: builder.next({ transfers }), transfers };
}

async function chainWith(verifier: NodeVerifier, before: readonly Block[]) {
  const chain = await openChain(createMemoryStore(), { verifier });
  await feed(chain, before);
  return chain;
}

const BIG = MIN_WORKER_SIGNATURES + 4;

// 3 transfers: the thread pool; BIG, at least MIN_WORKER_SIGNATURES: one worker checks ahead.
describe.each([
  { path: 'the thread pool', count: 3, workers: false },
  { path: 'the thread pool (small block)', count: 3, workers: true },
  { path: 'the workers', count: BIG, workers: true },
  { path: 'the workers, at offsets', count: BIG, workers: true, at: true },
])('signatures checked ahead on $path', ({ count, workers, at = false }) => {
  const big = workers && count >= MIN_WORKER_SIGNATURES;
  const countingVerifier = (w: boolean) => countingVerifierOf(w, at);
  /**
   * What the verifier was asked: each signature once on the thread pool (a small block), or one
   * job on the workers, by offsets if the check ahead had the block's bytes (a sync's) or the
   * block is on the tip, and a whole block otherwise.
   */
  const once = (withBytes: boolean) => {
    if (!big) return { single: count, blocks: 0, ...(at && { at: 0 }) };
    if (!at) return { single: 0, blocks: 1 };
    return withBytes ? { single: 0, blocks: 0, at: 1 } : { single: 0, blocks: 1, at: 0 };
  };

  it('are not checked again when the block connects', async () => {
    const { before, block } = scenario(count);
    const { verifier, counts } = countingVerifier(workers);
    const chain = await chainWith(verifier, before);
    chain.verifyAhead(block);
    const added = unwrap(await chain.addBlock(block));
    expect(added.status).toBe('connected');
    expect(counts).toEqual(once(false));
  });

  it('do not vouch for a sibling block whose transfer was altered after', async () => {
    const { before, block, transfers } = scenario(count);
    const { verifier } = countingVerifier(workers);
    const chain = await chainWith(verifier, before);
    chain.verifyAhead(block);
    const k = Math.floor(count / 2);
    const signature = Uint8Array.from(transfers[k]!.signature);
    flip(signature);
    const altered: Transfer = { ...transfers[k]!, signature };
    const sibling = reseal(
      block,
      block.txs.map((tx) => (tx === transfers[k] ? altered : tx)),
    );
    const events = recordEvents(chain);
    const refused = await chain.addBlock(sibling);
    expect(refused).toMatchObject({ ok: false, code: 'TX_BAD_SIGNATURE' });
    expect(events.take()).toContainEqual(expect.objectContaining({ type: 'invalid' }));
    // The block that was checked connects, on its own signatures.
    expect(unwrap(await chain.addBlock(block)).status).toBe('connected');
  });

  it('do not vouch for a transfer changed in place after the check', async () => {
    const { before, block, transfers } = scenario(count);
    const { verifier } = countingVerifier(workers);
    const chain = await chainWith(verifier, before);
    chain.verifyAhead(block);
    // The same object, changed: a signed field (the amount), then the header resealed.
    const changed = transfers[count - 1] as { amount: bigint };
    changed.amount += 1n;
    const resealed = reseal(block);
    expect(await chain.addBlock(resealed)).toMatchObject({ ok: false, code: 'TX_BAD_SIGNATURE' });
    expect(chain.tip.header.height).toBe(before.length);
  });

  // As a sync adds its blocks (fetchBodies.ts): decoded from bytes, with those bytes and the
  // header's hash it computed; the chain takes its ids from slices of the bytes.
  const asSynced = (block: Block) => {
    const bytes = encodeBlock(block);
    const decoded = unwrap(decodeBlock(bytes));
    return { block: decoded, origin: { bytes, hash: hashHeader(decoded.header) } };
  };

  it('connect a block added as a sync adds it, with the ids of its transactions', async () => {
    const { before, block } = scenario(count);
    const { verifier, counts } = countingVerifier(workers);
    const chain = await chainWith(verifier, before);
    const synced = asSynced(block);
    chain.verifyAhead(synced.block, synced.origin.bytes, synced.origin.hash);
    const ids: string[][] = [];
    chain.on('connected', (_entry, _block, txIds) => ids.push(txIds.map(toHex)));
    const added = unwrap(await chain.addBlock(synced.block, synced.origin));
    expect(added.status).toBe('connected');
    expect(toHex(chain.tip.hash)).toBe(toHex(hashHeader(block.header)));
    expect(ids).toEqual([block.txs.map((tx) => toHex(hashTx(tx)))]);
    expect(counts).toEqual(once(true));
  });

  it('refuse a bad signature, or a body its header does not commit to, added as a sync adds it', async () => {
    const { before, block, transfers } = scenario(count);
    const chain = await chainWith(countingVerifier(workers).verifier, before);
    const swapped = asSynced({ header: block.header, txs: [...block.txs].reverse() });
    expect(await chain.addBlock(swapped.block, swapped.origin)).toMatchObject({
      ok: false,
      code: 'BLOCK_NO_COINBASE',
    });
    const unsealed = asSynced({ header: block.header, txs: block.txs.slice(0, -1) });
    chain.verifyAhead(unsealed.block, unsealed.origin.bytes, unsealed.origin.hash);
    expect(await chain.addBlock(unsealed.block, unsealed.origin)).toMatchObject({
      ok: false,
      code: 'BLOCK_BAD_MERKLE_ROOT',
    });
    flip(transfers[count - 1]!.signature);
    const bad = asSynced(reseal(block));
    chain.verifyAhead(bad.block, bad.origin.bytes, bad.origin.hash);
    expect(await chain.addBlock(bad.block, bad.origin)).toMatchObject({
      ok: false,
      code: 'TX_BAD_SIGNATURE',
    });
    expect(chain.tip.header.height).toBe(before.length);
  });

  it('find a bad signature in the block checked ahead, and mark it invalid', async () => {
    const { before, block, transfers } = scenario(count);
    flip(transfers[0]!.signature);
    const bad = reseal(block);
    const { verifier } = countingVerifier(workers);
    const chain = await chainWith(verifier, before);
    chain.verifyAhead(bad);
    const events = recordEvents(chain);
    expect(await chain.addBlock(bad)).toMatchObject({ ok: false, code: 'TX_BAD_SIGNATURE' });
    expect(events.take()).toContainEqual(
      expect.objectContaining({ type: 'invalid', code: 'TX_BAD_SIGNATURE' }),
    );
    expect(chain.tip.header.height).toBe(before.length);
  });
});

describe('Chain.verifyAhead', () => {
  it('starts nothing for a block whose body is not the one its header commits to', async () => {
    const { before, block } = scenario(3);
    const { verifier, counts } = countingVerifierOf(false);
    const chain = await chainWith(verifier, before);
    chain.verifyAhead({ header: block.header, txs: block.txs.slice(0, 2) });
    expect(counts.single).toBe(0);
  });

  it('connects a big block on the thread pool when the workers answer nothing', async () => {
    const { before, block } = scenario(BIG);
    const verifier: NodeVerifier = { ...inner, verifyBlock: async () => [] };
    const chain = await chainWith(verifier, before);
    chain.verifyAhead(block);
    expect(unwrap(await chain.addBlock(block)).status).toBe('connected');
  });

  it('checks a big block on the workers when it connects, if nobody asked ahead', async () => {
    const { before, block } = scenario(BIG);
    const { verifier, counts } = countingVerifierOf(true);
    const chain = await chainWith(verifier, before);
    expect(unwrap(await chain.addBlock(block)).status).toBe('connected');
    expect(counts).toEqual({ single: 0, blocks: 1 });
  });
});

describe('SignatureCache', () => {
  it('holds at most maxEntries checks, and answers for the rest by checking them', async () => {
    const { transfers } = scenario(5);
    const cache = new SignatureCache(inner, 3);
    const ids = transfers.map((tx) => toHex(hashTx(tx)));
    for (const [i, tx] of transfers.entries()) cache.start(ids[i]!, tx);
    expect(cache.size).toBe(3);
    const answers = await Promise.all(transfers.map((tx, i) => cache.take(ids[i]!, tx)));
    expect(answers).toEqual([true, true, true, true, true]);
    expect(cache.size).toBe(0);
  });

  it('keeps no bad answer: whoever asks next has it checked again', async () => {
    const { transfers } = scenario(1);
    const tx = transfers[0]!;
    const idHex = toHex(hashTx(tx));
    let answer: (valid: boolean) => void = () => {};
    const answered = new Promise<boolean>((resolve) => {
      answer = resolve;
    });
    const cache = new SignatureCache({ ...inner, verifyAsync: () => answered });
    cache.start(idHex, tx);
    expect(cache.size).toBe(1);
    answer(false);
    await answered;
    expect(cache.size).toBe(0);
  });
});
