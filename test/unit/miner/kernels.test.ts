import { describe, expect, it } from 'vitest';
import { bigIntToBytes } from '../../../src/core/bytes.js';
import { solveBlock } from '../../../src/core/mine.js';
import { decodeBits } from '../../../src/core/pow.js';
import { loadAllKernels } from '../../../src/miner/kernels/loadKernel.js';
import {
  headerBytes,
  MAX_TARGET,
  referenceHash,
  seededBlock,
  seededBytes,
  seededHeader,
  ZERO_TARGET,
} from './headers.js';

const kernels = loadAllKernels();
const U32 = 0x1_0000_0000n;

it('has the WASM kernel built (npm run build:wasm) and node:crypto', () => {
  const names = kernels.map((k) => k.name);
  expect(names).toContain('wasm-simd128');
  expect(names).toContain('node-crypto');
});

/** The nonce in [start, start + count) with the smallest hash, and that hash (node:crypto). */
function smallestHash(header: Uint8Array, start: bigint, count: number) {
  let best = { nonce: start, hash: referenceHash(header, start) };
  for (let i = 1; i < count; i++) {
    const hash = referenceHash(header, start + BigInt(i));
    if (Buffer.compare(hash, best.hash) < 0) best = { nonce: start + BigInt(i), hash };
  }
  return best;
}

describe.each(kernels.map((kernel) => [kernel.name, kernel] as const))('kernel %s', (_, kernel) => {
  it('hashes like node:crypto SHA-256d, for random headers and nonces', () => {
    for (let i = 0; i < 40; i++) {
      const header = seededBytes(`hash ${i}`, 92);
      const start = BigInt(`0x${Buffer.from(seededBytes(`nonce ${i}`, 8)).toString('hex')}`) / 2n;
      const result = kernel.search(header, MAX_TARGET, start, 4);
      expect(result).toEqual({ nonce: start, hash: referenceHash(header, start), tries: 1 });
    }
  });

  it('finds the first nonce at or below the target, whichever lane it is in', () => {
    for (let i = 0; i < 40; i++) {
      const header = seededBytes(`lanes ${i}`, 92);
      const count = 1 + (i % 9);
      const start = BigInt(i * 1000);
      // The smallest of the window's hashes, used as the target: exactly one nonce meets it.
      const best = smallestHash(header, start, count);
      const result = kernel.search(header, best.hash, start, count);
      expect(result.nonce).toBe(best.nonce);
      expect(result.hash).toEqual(best.hash);
      expect(result.tries).toBe(Number(best.nonce - start) + 1);
    }
  });

  it('reports no nonce when none meets the target, having tried them all', () => {
    const header = seededBytes('none', 92);
    expect(kernel.search(header, ZERO_TARGET, 0n, 37)).toEqual({
      nonce: null,
      hash: null,
      tries: 37,
    });
    expect(kernel.search(header, ZERO_TARGET, 5n, 0)).toEqual({
      nonce: null,
      hash: null,
      tries: 0,
    });
  });

  it('carries the low nonce word into the high one, up to the last u64', () => {
    const header = seededBytes('carry', 92);
    for (const start of [U32 - 3n, 7n * U32 - 5n, (1n << 64n) - 6n]) {
      const best = smallestHash(header, start, 6);
      expect(kernel.search(header, best.hash, start, 6).nonce).toBe(best.nonce);
    }
    expect(() => kernel.search(header, ZERO_TARGET, (1n << 64n) - 2n, 3)).toThrow(RangeError);
  });

  it('rejects a header or target of the wrong size', () => {
    expect(() => kernel.search(new Uint8Array(80), MAX_TARGET, 0n, 1)).toThrow(RangeError);
    expect(() => kernel.search(new Uint8Array(92), new Uint8Array(31), 0n, 1)).toThrow(RangeError);
  });
});

describe.each([
  ['0x207fffff', 0x207fffff],
  ['0x1f00ffff', 0x1f00ffff],
])('with bits %s', (_, bits) => {
  const blocks = [0, 1].map((i) => seededBlock(`solve ${bits} ${i}`, bits));
  // CONSENSUS: solveBlock in src/core/mine.ts is the reference: plain SHA-256d, nonce by nonce.
  const expected = blocks.map((block) => solveBlock(block, 2_000_000)!.header.nonce);
  const target = bigIntToBytes(decodeBits(bits).target, 32);

  it.each(kernels.map((kernel) => [kernel.name, kernel] as const))(
    'kernel %s finds the same first nonce as solveBlock',
    (_, kernel) => {
      blocks.forEach((block, i) => {
        const result = kernel.search(headerBytes(block.header), target, 0n, 2_000_000);
        expect(result.nonce).toBe(expected[i]);
        expect(result.tries).toBe(Number(expected[i]) + 1);
      });
    },
  );
});

it('kernel headers ignore the nonce already in the header', () => {
  const header = headerBytes({ ...seededHeader('ignore', 0x207fffff), nonce: 12345n });
  for (const kernel of kernels) {
    expect(kernel.search(header, MAX_TARGET, 7n, 1).hash).toEqual(referenceHash(header, 7n));
  }
});
