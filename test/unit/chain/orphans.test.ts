/**
 * The orphan pool's bounds (count and bytes, oldest out first), on its own and inside the chain,
 * and the block index's tree queries.
 */
import { describe, expect, it } from 'vitest';
import { BlockIndex } from '../../../src/chain/blockIndex.js';
import { OrphanPool } from '../../../src/chain/orphans.js';
import { type Block, blockSize, hashHeader } from '../../../src/core/index.js';
import type { BlockRecord } from '../../../src/storage/types.js';
import { ChainBuilder, carol, easyParams } from '../../support/chainBuilder.js';
import { hexOf, openChain, unwrap } from '../../support/nodeFixtures.js';

/** `count` blocks at height 2, each on its own height-1 parent that nobody has. */
function orphans(count: number): Block[] {
  const found: Block[] = [];
  for (let i = 0; i < count; i++) {
    const b = new ChainBuilder();
    b.mine({ timestampMs: easyParams.genesisTimestampMs + 1000 + i });
    found.push(b.next());
  }
  return found;
}

describe('OrphanPool', () => {
  it('holds at most maxCount blocks, dropping the oldest', () => {
    const pool = new OrphanPool(3);
    const blocks = orphans(5);
    for (const block of blocks) pool.add(hexOf(block), block);
    expect(pool.size).toBe(3);
    expect(blocks.map((b) => pool.has(hexOf(b)))).toEqual([false, false, true, true, true]);
  });

  it('holds at most maxBytes, dropping the oldest', () => {
    const blocks = orphans(4);
    const pool = new OrphanPool(100, 2 * blockSize(blocks[0]!));
    for (const block of blocks) pool.add(hexOf(block), block);
    expect(blocks.map((b) => pool.has(hexOf(b)))).toEqual([false, false, true, true]);
  });

  it('gives back the children of a parent, once', () => {
    const pool = new OrphanPool();
    const blocks = orphans(2);
    for (const block of blocks) pool.add(hexOf(block), block);
    pool.add(hexOf(blocks[0]!), blocks[0]!);
    expect(pool.size).toBe(2);
    const parentHex = Buffer.from(blocks[1]!.header.prevHash).toString('hex');
    expect(pool.takeChildren(parentHex)).toEqual([{ block: blocks[1], origin: {} }]);
    expect(pool.takeChildren(parentHex)).toEqual([]);
    expect(pool.size).toBe(1);
  });

  it('keeps where an orphan came from but not the bytes it was decoded from', () => {
    const pool = new OrphanPool();
    const [block] = orphans(1);
    const hash = hashHeader(block!.header);
    pool.add(hexOf(block!), block!, {
      unrequestedFrom: 'http://peer',
      hash,
      bytes: new Uint8Array(8),
    });
    const parentHex = Buffer.from(block!.header.prevHash).toString('hex');
    expect(pool.takeChildren(parentHex)).toEqual([
      { block, origin: { unrequestedFrom: 'http://peer', hash } },
    ]);
  });

  it("bounds the chain's pool at 200 by default", async () => {
    const chain = await openChain();
    const blocks = orphans(205);
    for (const block of blocks) expect(unwrap(await chain.addBlock(block)).status).toBe('orphan');
    expect(chain.orphanCount).toBe(200);
    expect(chain.hasOrphan(hexOf(blocks[0]!))).toBe(false);
    expect(chain.hasOrphan(hexOf(blocks[204]!))).toBe(true);
  });
});

describe('BlockIndex', () => {
  /** G A1 A2 A3 on main; B2 B3 B4 from A1, indexed but not on main. */
  function tree() {
    const a = new ChainBuilder().mineEmpty(3);
    const b = new ChainBuilder();
    b.append(a.blocks[1]!);
    for (let i = 0; i < 3; i++) b.mine({ minerKey: carol.key });
    const index = new BlockIndex();
    let seen = 0;
    const add = (block: Block) =>
      index.add({
        hash: hashHeader(block.header),
        header: block.header,
        chainWork: BigInt(block.header.height + 1),
        seenOrder: seen++,
        invalid: false,
      } satisfies BlockRecord);
    for (const block of a.blocks) index.main.push(add(block));
    for (const block of b.blocks.slice(2)) add(block);
    return { index, a, b, get: (block: Block) => index.get(hexOf(block))! };
  }

  it('finds ancestors on a branch, fork points and the best leaf', () => {
    const { index, a, b, get } = tree();
    const b4 = get(b.tip);
    expect(index.ancestorAt(b4, 3).hashHex).toBe(hexOf(b.blocks[3]!));
    expect(index.ancestorAt(b4, 1).hashHex).toBe(hexOf(a.blocks[1]!));
    expect(index.ancestorAt(b4, 0).hashHex).toBe(hexOf(a.blocks[0]!));
    expect(() => index.ancestorAt(b4, 5)).toThrow(RangeError);
    expect(index.forkPoint(get(a.tip), b4).hashHex).toBe(hexOf(a.blocks[1]!));
    expect(index.forkPoint(get(a.tip), get(a.blocks[2]!)).hashHex).toBe(hexOf(a.blocks[2]!));
    expect(index.isOnMain(get(a.blocks[2]!))).toBe(true);
    expect(index.isOnMain(b4)).toBe(false);
    expect(index.childrenOf(get(a.blocks[1]!))).toHaveLength(2);
    expect(index.bestLeaf()).toBe(b4);
  });

  it('marks a block and its descendants invalid, and the best leaf skips them', () => {
    const { index, a, b, get } = tree();
    const marked = index.markInvalid(get(b.blocks[3]!));
    expect(marked.map((e) => e.hashHex)).toEqual([b.blocks[3]!, b.tip].map(hexOf));
    expect(index.markInvalid(get(b.blocks[3]!))).toEqual([]);
    // B2 (work 3) is now a leaf tying A2, below A3.
    expect(index.bestLeaf().hashHex).toBe(hexOf(a.tip));
    // Back at A2 with A3 found invalid: A2 and B2 tie on work, and A2 was seen first.
    index.main.pop();
    index.markInvalid(get(a.tip));
    expect(index.bestLeaf().hashHex).toBe(hexOf(a.blocks[2]!));
  });
});
