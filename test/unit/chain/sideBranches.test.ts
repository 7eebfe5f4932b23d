/**
 * The side-branch policy (src/chain/sideBranches.ts): blocks nobody asked for that would not
 * become the tip are kept only close to the tip, within a rate per source and a budget; side
 * branches deep below the tip are pruned from the index and the store. Consensus never bends: a
 * branch with more work wins whatever its depth, when it comes through sync (no origin).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIDE_LIMITS, type SideLimits } from '../../../src/chain/sideBranches.js';
import { type Block, hashHeader } from '../../../src/core/index.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import { alice, bob, ChainBuilder, carol, easyParams } from '../../support/chainBuilder.js';
import { afterGenesis, feed, hexOf, openChain } from '../../support/nodeFixtures.js';

const limits = (overrides: Partial<SideLimits> = {}): SideLimits => ({
  ...DEFAULT_SIDE_LIMITS,
  ...overrides,
});

/** A main chain of `length` blocks, and a builder forked from it at `forkHeight`. */
function forked(length: number, forkHeight: number) {
  const main = new ChainBuilder(easyParams);
  for (let i = 0; i < forkHeight; i++) main.mine();
  const fork = main.clone();
  for (let i = forkHeight; i < length; i++) main.mine();
  return { main, fork };
}

/** `count` side blocks on `fork`, each a sibling of the others (same parent, other miner keys). */
function siblings(fork: ChainBuilder, count: number): Block[] {
  return Array.from({ length: count }, (_, i) =>
    fork.next({ minerKey: new Uint8Array(32).fill(i + 1) }),
  );
}

describe('unrequested side blocks', () => {
  it('are kept near the tip, refused deeper down; the same block asked for by a sync is kept', async () => {
    const { main, fork } = forked(20, 5);
    const store = createMemoryStore();
    const chain = await openChain(store, { sideLimits: limits({ maxForkDepth: 12 }) });
    await feed(chain, afterGenesis(main));
    const deep = fork.next({ minerKey: alice.key });
    const refused = await chain.addBlock(deep, { unrequestedFrom: '10.0.0.1' });
    expect(refused).toMatchObject({ ok: false, code: 'POLICY_FORK_TOO_DEEP' });
    expect(chain.get(hexOf(deep))).toBeUndefined();
    expect(store.getBlock(deep.header.prevHash)).toBeDefined();
    expect(await chain.addBlock(deep)).toMatchObject({ ok: true, value: { status: 'side' } });

    // A rival of the tip (the same height, so the same work): kept, as a tie the tip wins.
    const rival = main.clone();
    rival.blocks.pop();
    const tie = rival.next({ minerKey: bob.key });
    expect(await chain.addBlock(tie, { unrequestedFrom: '10.0.0.1' })).toMatchObject({
      ok: true,
      value: { status: 'side' },
    });
    expect(chain.tip.hashHex).toBe(hexOf(main.tip));
  });

  it('take a burst per source, then one per refill period; other sources are not held', async () => {
    const { main, fork } = forked(6, 4);
    let nowMs = Date.now();
    const chain = await openChain(createMemoryStore(), {
      sideLimits: limits({ burst: 3, refillMs: 10_000 }),
      now: () => nowMs,
    });
    await feed(chain, afterGenesis(main));
    const spam = siblings(fork, 6);
    for (const block of spam.slice(0, 3)) {
      expect(await chain.addBlock(block, { unrequestedFrom: 'a' })).toMatchObject({ ok: true });
    }
    expect(await chain.addBlock(spam[3]!, { unrequestedFrom: 'a' })).toMatchObject({
      ok: false,
      code: 'POLICY_SIDE_BLOCK_RATE',
    });
    expect(await chain.addBlock(spam[3]!, { unrequestedFrom: 'b' })).toMatchObject({ ok: true });
    nowMs += 10_000;
    expect(await chain.addBlock(spam[4]!, { unrequestedFrom: 'a' })).toMatchObject({ ok: true });
    expect(await chain.addBlock(spam[5]!, { unrequestedFrom: 'a' })).toMatchObject({
      ok: false,
      code: 'POLICY_SIDE_BLOCK_RATE',
    });
  });

  it('stay within a budget of count and bytes, freed as they are pruned', async () => {
    const { main, fork } = forked(4, 2);
    const store = createMemoryStore();
    const chain = await openChain(store, {
      sideLimits: limits({ maxCount: 4, pruneDepth: 3 }),
    });
    await feed(chain, afterGenesis(main));
    const spam = siblings(fork, 5);
    for (const [i, block] of spam.slice(0, 4).entries()) {
      expect(await chain.addBlock(block, { unrequestedFrom: `s${i}` })).toMatchObject({ ok: true });
    }
    expect(await chain.addBlock(spam[4]!, { unrequestedFrom: 'other' })).toMatchObject({
      ok: false,
      code: 'POLICY_SIDE_BLOCKS_FULL',
    });
    expect(chain.sideCount).toBe(4);
    // The main chain moves on: the side blocks at height 3 fall more than 3 below the tip.
    const more = main.clone();
    for (let i = 0; i < 4; i++) more.mine();
    await feed(chain, more.blocks.slice(main.blocks.length));
    expect(chain.sideCount).toBe(0);
    for (const block of spam.slice(0, 4)) {
      expect(chain.get(hexOf(block))).toBeUndefined();
      expect(store.getBlock(hashHeader(block.header))).toBeUndefined();
    }
    const late = more.clone();
    const sideAgain = siblings(late, 1)[0]!;
    expect(await chain.addBlock(sideAgain, { unrequestedFrom: 'other' })).toMatchObject({
      ok: true,
      value: { status: 'connected' },
    });
  });
});

describe('pruning', () => {
  it('deletes side branches deep below the tip from the index and the store, and survives a restart', async () => {
    const { main, fork } = forked(10, 3);
    fork.mine({ minerKey: bob.key });
    fork.mine({ minerKey: bob.key });
    const store = createMemoryStore();
    const chain = await openChain(store, { sideLimits: limits({ pruneDepth: 4 }) });
    await feed(chain, afterGenesis(main).slice(0, 6));
    await feed(chain, afterGenesis(fork).slice(3));
    const sideHashes = afterGenesis(fork).slice(3).map(hexOf);
    expect(sideHashes.every((h) => chain.get(h))).toBe(true);
    await feed(chain, afterGenesis(main).slice(6));
    expect(sideHashes.every((h) => !chain.get(h))).toBe(true);
    const blocksLeft = store.loadRecords().length;
    expect(blocksLeft).toBe(main.blocks.length);
    const reopened = await openChain(store);
    expect(reopened.tip.hashHex).toBe(chain.tip.hashHex);
    expect(reopened.blockCount).toBe(main.blocks.length);
  });

  it('never stops a branch with more work: after a long partition it still wins, through sync', async () => {
    const { main, fork } = forked(30, 2);
    for (let i = 2; i < 45; i++) fork.mine({ minerKey: carol.key });
    const chain = await openChain(createMemoryStore(), {
      sideLimits: limits({ maxForkDepth: 12, pruneDepth: 10 }),
    });
    await feed(chain, afterGenesis(main));
    // 28 blocks below the tip: too deep for unrequested blocks, but a sync asks for them.
    const first = afterGenesis(fork)[2]!;
    expect(await chain.addBlock(first, { unrequestedFrom: 'x' })).toMatchObject({
      ok: false,
      code: 'POLICY_FORK_TOO_DEEP',
    });
    await feed(chain, afterGenesis(fork).slice(2));
    expect(chain.tip.hashHex).toBe(hexOf(fork.tip));
    // The old main chain is now a side branch deep below the new tip: pruned.
    expect(chain.get(hexOf(main.tip))).toBeUndefined();
    expect(chain.sideCount).toBe(0);
  });
});
