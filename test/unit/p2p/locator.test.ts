/**
 * Block locators and the fork point (src/p2p/locator.ts) on a block index built by hand, against
 * the heights docs/protocol.md §Block locators lists: the tip and 9 below it, then steps of 2, 4,
 * 8, … while above 0 and under 63 hashes, then genesis.
 */
import { describe, expect, it } from 'vitest';
import { BlockIndex } from '../../../src/chain/blockIndex.js';
import { type BlockHeader, toHex } from '../../../src/core/index.js';
import { blockLocator, forkHeight } from '../../../src/p2p/locator.js';

/** A made-up hash per (branch, height): the index checks links, not proof of work. */
const hashOf = (branch: number, height: number) => {
  const hash = new Uint8Array(32);
  new DataView(hash.buffer).setUint32(0, height);
  hash[31] = branch;
  return hash;
};

/** An index whose main chain runs from genesis to `tip`, and a side branch from `forkAt` if given. */
function indexTo(tip: number, side?: { forkAt: number; length: number }): BlockIndex {
  const index = new BlockIndex();
  const add = (branch: number, height: number, parent: Uint8Array) => {
    const header = { height, prevHash: parent } as unknown as BlockHeader;
    return index.add({
      hash: hashOf(branch, height),
      header,
      chainWork: BigInt(height),
      seenOrder: index.size,
      invalid: false,
    });
  };
  for (let h = 0; h <= tip; h++) index.main.push(add(0, h, hashOf(0, h - 1)));
  if (side) {
    for (let h = side.forkAt + 1; h <= side.forkAt + side.length; h++)
      add(1, h, hashOf(h === side.forkAt + 1 ? 0 : 1, h - 1));
  }
  return index;
}

/** The heights the locator's hashes stand for. */
const heightsOf = (index: BlockIndex, locator: string[]) =>
  locator.map((hex) => index.get(hex)!.header.height);

/** The heights as the spec words them, written out independently. */
function specHeights(tip: number): number[] {
  const heights: number[] = [];
  let height = tip;
  for (let i = 0; i < 10 && height > 0; i++) heights.push(height--);
  for (let step = 2; height - 1 > 0 && heights.length < 63; step *= 2) {
    height = heights[heights.length - 1]! - step;
    if (height <= 0) break;
    heights.push(height);
  }
  return [...heights, 0];
}

describe('blockLocator', () => {
  it('is just genesis when the tip is genesis', () => {
    expect(heightsOf(indexTo(0), blockLocator(indexTo(0)))).toEqual([0]);
  });

  it('lists the tip and the 9 below it, then genesis, on a short chain', () => {
    const index = indexTo(9);
    expect(heightsOf(index, blockLocator(index))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('doubles its steps after the 10 newest: t-11, t-15, t-23, t-39, …', () => {
    const index = indexTo(100);
    expect(heightsOf(index, blockLocator(index))).toEqual([
      100, 99, 98, 97, 96, 95, 94, 93, 92, 91, 89, 85, 77, 61, 29, 0,
    ]);
  });

  it.each([1, 10, 11, 12, 1_000, 5_000])('follows the spec at tip height %i', (tip) => {
    const index = indexTo(tip);
    expect(heightsOf(index, blockLocator(index))).toEqual(specHeights(tip));
  });
});

describe('forkHeight', () => {
  const index = indexTo(50, { forkAt: 30, length: 5 });
  const hex = (branch: number, height: number) => toHex(hashOf(branch, height));

  it('is the height after the first locator hash on the main chain', () => {
    expect(forkHeight(index, [hex(0, 40), hex(0, 20)])).toBe(41);
  });

  it('skips hashes of a side branch and hashes it does not know', () => {
    expect(forkHeight(index, ['ab'.repeat(32), hex(1, 35), hex(1, 31), hex(0, 30)])).toBe(31);
  });

  it('starts after genesis when no hash is known', () => {
    expect(forkHeight(index, ['ab'.repeat(32)])).toBe(1);
    expect(forkHeight(index, [])).toBe(1);
  });
});
