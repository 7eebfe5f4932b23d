/**
 * A sync hashes the headers and blocks it receives from their bytes through node:crypto
 * (src/p2p/headerHash.ts): the same hash as src/core's hashHeader of the decoded header, for
 * mined headers, headers whose fields take their extreme values, and random ones.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type BlockHeader,
  decodeHeader,
  encodeBlock,
  encodeHeader,
  HEADER_SIZE,
  hashHeader,
  toHex,
} from '../../../src/core/index.js';
import { headerHashOf } from '../../../src/p2p/headerHash.js';
import { ChainBuilder, easyParams } from '../../support/chainBuilder.js';

const header = (fill: number, fields: Partial<BlockHeader> = {}): BlockHeader => ({
  version: 1,
  height: 7,
  prevHash: new Uint8Array(32).fill(fill),
  merkleRoot: new Uint8Array(32).fill(fill ^ 0xff),
  timestampMs: 1_700_000_000_000,
  bits: 0x207fffff,
  nonce: 42n,
  ...fields,
});

describe('headerHashOf', () => {
  it('equals hashHeader for mined headers, and for those bytes at the start of their block', () => {
    const builder = new ChainBuilder(easyParams);
    for (let b = 0; b < 5; b++) builder.mine();
    for (const block of builder.blocks) {
      const expected = toHex(hashHeader(block.header));
      expect(toHex(headerHashOf(encodeHeader(block.header)))).toBe(expected);
      expect(toHex(headerHashOf(encodeBlock(block).subarray(0, HEADER_SIZE)))).toBe(expected);
    }
  });

  it('equals hashHeader at the fields’ extremes and on random header bytes', () => {
    const cases = [
      header(0),
      header(0xff, {
        version: 0xffffffff,
        height: 0xffffffff,
        timestampMs: Number.MAX_SAFE_INTEGER,
        bits: 0xffffffff,
        nonce: (1n << 64n) - 1n,
      }),
      header(0x5a, { height: 0, timestampMs: 0, bits: 0, nonce: 0n }),
    ];
    for (let i = 0; i < 200; i++) {
      const bytes = randomBytes(HEADER_SIZE);
      bytes[72] = 0; // timestamp_ms below 2^53, as the decoder asks
      bytes[73]! &= 0x1f;
      const decoded = decodeHeader(bytes);
      if (!decoded.ok) throw new Error(decoded.detail);
      // The bytes as they came, hashed as the sync hashes them.
      expect(toHex(headerHashOf(bytes))).toBe(toHex(hashHeader(decoded.value)));
      cases.push(decoded.value);
    }
    for (const h of cases) {
      const digest = headerHashOf(encodeHeader(h));
      expect(digest).toBeInstanceOf(Uint8Array);
      expect(digest.length).toBe(32);
      expect(toHex(digest)).toBe(toHex(hashHeader(h)));
    }
  });
});
