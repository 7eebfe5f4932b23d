/**
 * SignatureCache keeps its newest `maxEntries` checks (a RecentMap): past the bound the oldest
 * go first, also after take() has left holes in the middle, and what it keeps still answers for
 * its transfer. One evicted is only checked again when taken.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SignatureCache } from '../../../src/chain/signatureCache.js';
import { encodeBlock, hashTx, toHex } from '../../../src/core/index.js';
import { createNodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import { alice, bob, ChainBuilder } from '../../support/chainBuilder.js';

const verifier = createNodeVerifier();
afterAll(() => verifier.close?.());

describe('SignatureCache', () => {
  it('keeps the newest checks past its bound, and each still answers for its transfer', async () => {
    const builder = new ChainBuilder();
    const txs = Array.from({ length: 9 }, (_, i) =>
      builder.transfer(alice, bob, 1n, { nonce: BigInt(i) }),
    );
    const ids = txs.map((tx) => toHex(hashTx(tx)));
    const cache = new SignatureCache(verifier, 4);
    for (const i of [0, 1, 2, 3, 4, 5]) cache.start(ids[i]!, txs[i]!);
    expect(ids.map((id) => cache.has(id))).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    // A hole in the middle, then more past the bound: the oldest still go first.
    expect(await cache.take(ids[3]!, txs[3]!)).toBe(true);
    for (const i of [6, 7, 8]) cache.start(ids[i]!, txs[i]!);
    expect(cache.size).toBe(4);
    expect(ids.map((id) => cache.has(id))).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    for (const i of [5, 6, 7, 8]) expect(await cache.take(ids[i]!, txs[i]!)).toBe(true);
    expect(cache.size).toBe(0);
    // Evicted: checked again, on its own bytes.
    expect(await cache.take(ids[0]!, txs[0]!)).toBe(true);
    expect(await cache.take(ids[1]!, { ...txs[1]!, amount: 2n })).toBe(false);
  });

  it('gives what a check ahead hashed of a block once, and only for the very bytes it hashed', () => {
    const builder = new ChainBuilder();
    builder.mine({ minerKey: alice.key });
    const block = builder.next({ transfers: [builder.transfer(alice, bob, 1n)] });
    const bytes = encodeBlock(block);
    const ids = block.txs.map(hashTx);
    const start = { txIds: ids, txIdsHex: ids.map(toHex), root: block.header.merkleRoot, bytes };
    const cache = new SignatureCache(verifier);
    cache.keepAhead(block, start);
    // Equal bytes in another array are not the ones hashed; and the kept start is gone.
    expect(cache.takeAhead(block, Uint8Array.from(bytes))).toBeUndefined();
    expect(cache.takeAhead(block, bytes)).toBeUndefined();
    cache.keepAhead(block, start);
    expect(cache.takeAhead({ ...block }, bytes)).toBeUndefined();
    expect(cache.takeAhead(block, undefined)).toBeUndefined();
    cache.keepAhead(block, start);
    expect(cache.takeAhead(block, bytes)).toBe(start);
    expect(cache.takeAhead(block, bytes)).toBeUndefined();
  });
});
