/**
 * Branches whose later block passes every check on arrival (context-free, proof of work, header)
 * but fails when connected: the block and its descendants are marked invalid, in the index and
 * the store, and the chain settles on the best valid tip.
 */
import { describe, expect, it } from 'vitest';
import {
  type Block,
  COIN,
  checkBlock,
  type Transfer,
  toHex,
  validateChain,
} from '../../../src/core/index.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import {
  alice,
  bob,
  ChainBuilder,
  carol,
  defaultNowMs,
  easyParams,
  verify,
} from '../../support/chainBuilder.js';
import {
  accountsOf,
  afterGenesis,
  feed,
  hexOf,
  mainHexes,
  openChain,
  recordEvents,
  unwrap,
} from '../../support/nodeFixtures.js';

const now = defaultNowMs(easyParams);

/** The same transfer with one bit of its signature flipped: well-formed, but it does not verify. */
function badlySigned(tx: Transfer): Transfer {
  const signature = Uint8Array.from(tx.signature);
  signature[10]! ^= 1;
  return { ...tx, signature };
}

/** Main: G A1 … A{length}, mined by the miner. */
function mainChain(length: number): ChainBuilder {
  return new ChainBuilder().mineEmpty(length);
}

/**
 * A branch from genesis mined by carol: `valid` good blocks (the first pays alice), then one
 * that fails at connect with `kind`, then `after` blocks on top of it.
 */
function branch(valid: number, kind: 'overspend' | 'signature', after = 0): Block[] {
  const b = new ChainBuilder();
  b.mine({ minerKey: carol.key });
  for (let i = 1; i < valid; i++) b.mine({ minerKey: carol.key });
  const bad =
    kind === 'overspend'
      ? b.next({ minerKey: carol.key, transfers: [b.transfer(alice, bob, 1n)] })
      : b.next({
          minerKey: carol.key,
          transfers: [badlySigned(b.transfer(carol, bob, 1n * COIN))],
        });
  // It must pass every check made on arrival, and fail only when applied.
  expect(checkBlock(bad, easyParams).ok).toBe(true);
  expect(b.validate(bad).ok).toBe(false);
  b.blocks.push(bad);
  const blocks = afterGenesis(b);
  // Descendants of the bad block, built without validation.
  let parent = bad;
  for (let i = 0; i < after; i++) {
    const child = new ChainBuilder();
    child.blocks.splice(0, child.blocks.length, ...b.blocks);
    parent = child.next({ minerKey: carol.key });
    b.blocks.push(parent);
    blocks.push(parent);
  }
  return blocks;
}

describe('a branch with a block that fails at connect', () => {
  it.each([
    ['overspend', 'TX_INSUFFICIENT_FUNDS'],
    ['signature', 'TX_BAD_SIGNATURE'],
  ] as const)(
    '%s: marked invalid, and the chain goes back to its old tip (%s)',
    async (kind, code) => {
      const store = createMemoryStore();
      const chain = await openChain(store);
      const a = mainChain(2);
      await feed(chain, afterGenesis(a));
      const [b1, b2, b3] = branch(2, kind) as [Block, Block, Block];
      expect(unwrap(await chain.addBlock(b1)).status).toBe('side');
      expect(unwrap(await chain.addBlock(b2)).status).toBe('side');
      const { take } = recordEvents(chain);

      expect(await chain.addBlock(b3)).toMatchObject({ ok: false, code });
      const [a1, a2] = afterGenesis(a).map(hexOf);
      // Tried in the store (StoreSwitch), found invalid, aborted there: the main chain never
      // moved, so no block went or came, no reorg, no tip.
      expect(take()).toEqual([{ type: 'invalid', hashHex: hexOf(b3), code }]);
      // Back where it was, with the state of the old branch.
      expect(chain.tip.hashHex).toBe(a2);
      expect(mainHexes(chain)).toEqual(a.blocks.map(hexOf));
      expect(accountsOf(store)).toEqual(
        unwrap(validateChain(a.blocks, easyParams, verify, now)).accounts,
      );
      expect(toHex(store.getMainHash(1)!)).toBe(a1);
      expect(store.getTxLocation(hashTxOf(b1))).toBeUndefined();

      expect(chain.get(hexOf(b3))?.invalid).toBe(true);
      expect(chain.get(hexOf(b2))?.invalid).toBe(false);
      const stored = store.loadRecords().find((r) => toHex(r.hash) === hexOf(b3));
      expect(stored?.invalid).toBe(true);

      // The invalid block again, or anything built on it: BLOCK_INVALID_ANCESTOR.
      expect(await chain.addBlock(b3)).toMatchObject({ ok: false, code: 'BLOCK_INVALID_ANCESTOR' });
      const [, , , b4] = branch(2, kind, 1) as [Block, Block, Block, Block];
      expect(await chain.addBlock(b4)).toMatchObject({ ok: false, code: 'BLOCK_INVALID_ANCESTOR' });
      expect(chain.get(hexOf(b4))).toBeUndefined();
      expect(chain.tip.hashHex).toBe(a2);
    },
  );

  it('settles on the valid part of the branch when it has more work than the old tip', async () => {
    const store = createMemoryStore();
    const chain = await openChain(store);
    const a = mainChain(1);
    await feed(chain, afterGenesis(a));
    const [b1, b2, b3] = branch(2, 'signature') as [Block, Block, Block];
    await chain.addBlock(b1);
    const { take } = recordEvents(chain);
    const result = await chain.addBlock(b2);
    expect(unwrap(result)).toMatchObject({ status: 'connected', reorgDepth: 1 });
    take();

    // b3 stored as side first would need equal work; here it is heavier, so it is tried at once.
    expect(await chain.addBlock(b3)).toMatchObject({ ok: false, code: 'TX_BAD_SIGNATURE' });
    expect(take()).toEqual([{ type: 'invalid', hashHex: hexOf(b3), code: 'TX_BAD_SIGNATURE' }]);
    expect(chain.tip.hashHex).toBe(hexOf(b2));
  });

  it('marks descendants stored before the failure, and reorganises to the valid part', async () => {
    const store = createMemoryStore();
    const chain = await openChain(store);
    const a = mainChain(3);
    await feed(chain, afterGenesis(a));
    // b3 ties A3 (side, its body unchecked); b4 makes the branch heavier, and b3 fails.
    const [b1, b2, b3, b4] = branch(2, 'overspend', 1) as [Block, Block, Block, Block];
    for (const block of [b1, b2, b3])
      expect(unwrap(await chain.addBlock(block)).status).toBe('side');
    const { take } = recordEvents(chain);

    expect(await chain.addBlock(b4)).toMatchObject({ ok: false, code: 'TX_INSUFFICIENT_FUNDS' });
    for (const block of [b3, b4]) {
      expect(chain.get(hexOf(block))?.invalid).toBe(true);
      expect(store.loadRecords().find((r) => toHex(r.hash) === hexOf(block))?.invalid).toBe(true);
    }
    expect(take()).toContainEqual({
      type: 'invalid',
      hashHex: hexOf(b3),
      code: 'TX_INSUFFICIENT_FUNDS',
    });
    expect(chain.tip.hashHex).toBe(hexOf(a.tip));
    expect(accountsOf(store)).toEqual(a.accounts);

    // A block on the invalid one's descendant is refused too.
    const c = new ChainBuilder();
    c.blocks.splice(0, 1, ...[a.blocks[0]!, b1, b2, b3, b4]);
    expect(await chain.addBlock(c.next())).toMatchObject({
      ok: false,
      code: 'BLOCK_INVALID_ANCESTOR',
    });
  });

  it('drops an orphan waiting on a block that turns out invalid', async () => {
    const chain = await openChain();
    const [b1, bad, child] = branch(1, 'overspend', 1) as [Block, Block, Block];
    await feed(chain, [b1]);
    expect(unwrap(await chain.addBlock(child)).status).toBe('orphan');
    expect(await chain.addBlock(bad)).toMatchObject({ ok: false, code: 'TX_INSUFFICIENT_FUNDS' });
    expect(chain.hasOrphan(hexOf(child))).toBe(false);
    expect(chain.get(hexOf(child))).toBeUndefined();
    expect(await chain.addBlock(child)).toMatchObject({
      ok: false,
      code: 'BLOCK_INVALID_ANCESTOR',
    });
    expect(chain.tip.hashHex).toBe(hexOf(b1));
  });
});

function hashTxOf(block: Block): Uint8Array {
  return unwrap(checkBlock(block, easyParams)).txIds[0]!;
}
