/**
 * src/crypto/nativeTxIds.ts (kernels/native/txids.c): SHA-256d of consecutive slices of a buffer,
 * in one call, is src/core's sha256d of each, bit for bit: on every length from 0 to 300 bytes,
 * back to back in one buffer at odd offsets, and on a block's transactions (the chain's ids). Bad
 * bounds throw, never read outside the buffer. The addon is built by `npm install` (and CI).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fundedChain } from '../../../bench/lib/fundedChain.js';
import { idsOfEncoded, txOffsets } from '../../../src/chain/verifySignatures.js';
import { encodeBlock, hashTx, merkleRoot, sha256d, toHex } from '../../../src/core/index.js';
import { merkleRootOfIds, sha256dSlices } from '../../../src/crypto/nativeTxIds.js';
import { easyParams } from '../../support/chainBuilder.js';

describe('sha256dSlices', () => {
  it('is built here', () => {
    expect(sha256dSlices(new Uint8Array(0), Uint32Array.of(0))).toEqual([]);
  });

  it('equals sha256d of each slice, on every length from 0 to 300, back to back', () => {
    const lengths = Array.from({ length: 301 }, (_, i) => i);
    const bounds = new Uint32Array(lengths.length + 1);
    bounds[0] = 7;
    lengths.forEach((length, i) => {
      bounds[i + 1] = bounds[i]! + length;
    });
    const bytes = new Uint8Array(randomBytes(bounds.at(-1)! + 5));
    const digests = sha256dSlices(bytes, bounds)!;
    expect(digests).toHaveLength(lengths.length);
    digests.forEach((digest, i) => {
      expect(digest).toBeInstanceOf(Uint8Array);
      expect(digest.length).toBe(32);
      expect(toHex(digest)).toBe(toHex(sha256d(bytes.subarray(bounds[i]!, bounds[i + 1]!))));
    });
  });

  it("gives a block's ids as hashTx does", () => {
    const chain = fundedChain(easyParams, { senders: 300, spends: 300, perBlock: 300 });
    const block = chain.fullBlock();
    const encoded = encodeBlock(block);
    expect(block.txs.length).toBeGreaterThan(256);
    expect(txOffsets(encoded, block.txs)[0]).toBeGreaterThan(0);
    expect(idsOfEncoded(encoded, block.txs).map(toHex)).toEqual(block.txs.map(hashTx).map(toHex));
  });

  it('refuses bounds that do not ascend within the bytes, and what is not typed arrays', () => {
    const bytes = new Uint8Array(100);
    expect(() => sha256dSlices(bytes, Uint32Array.of(0, 101))).toThrow(TypeError);
    expect(() => sha256dSlices(bytes, Uint32Array.of(50, 40))).toThrow(TypeError);
    expect(() => sha256dSlices(bytes, new Uint32Array(0))).toThrow(TypeError);
    expect(() => sha256dSlices(bytes, [0, 10] as unknown as Uint32Array)).toThrow();
    expect(() => sha256dSlices([1, 2] as unknown as Uint8Array, Uint32Array.of(0, 1))).toThrow();
  });
});

describe('merkleRootOfIds', () => {
  it('is merkleRoot for every count of leaves from 1 to 300', () => {
    const ids = Array.from({ length: 300 }, () => new Uint8Array(randomBytes(32)));
    for (let n = 1; n <= ids.length; n++) {
      const leaves = ids.slice(0, n);
      expect(toHex(merkleRootOfIds(leaves)!)).toBe(toHex(merkleRoot(leaves)));
    }
  });

  it('leaves what is not 32-byte ids to merkleRoot', () => {
    expect(merkleRootOfIds([])).toBeUndefined();
    expect(merkleRootOfIds([new Uint8Array(32), new Uint8Array(31)])).toBeUndefined();
  });
});
