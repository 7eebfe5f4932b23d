/**
 * The chain over a store: genesis, connecting, duplicates, orphans, side branches, fork choice by
 * work (ties: first seen) and reorganisation, checked against validateChain of the winning branch.
 */
import { describe, expect, it } from 'vitest';
import {
  type Block,
  COIN,
  genesisBlock,
  hashHeader,
  hashTx,
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
  miner,
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

/** A chain builder whose blocks pay each other, so a reorg has balances to get right. */
function payingChain(blocks: number, minerKey = miner.key): ChainBuilder {
  const b = new ChainBuilder();
  b.mine({ minerKey });
  for (let i = 1; i < blocks; i++) {
    const payer = minerKey === miner.key ? miner : carol;
    b.mine({ minerKey, transfers: [b.transfer(payer, i % 2 ? alice : bob, BigInt(i) * COIN)] });
  }
  return b;
}

describe('Chain.open', () => {
  it('creates the genesis block in an empty store', async () => {
    const store = createMemoryStore();
    const chain = await openChain(store);
    const genesisHex = toHex(hashHeader(genesisBlock(easyParams).header));
    expect(chain.tip.hashHex).toBe(genesisHex);
    expect(chain.tip.header.height).toBe(0);
    expect(mainHexes(chain)).toEqual([genesisHex]);
    expect(toHex(store.getTipHash()!)).toBe(genesisHex);
    expect(store.loadRecords()).toHaveLength(1);
    expect(store.countAccounts()).toBe(0);
  });

  it("refuses a store that holds another network's chain", async () => {
    const store = createMemoryStore();
    await openChain(store);
    const other = { ...easyParams, name: 'other', chainId: 9 };
    await expect(openChain(store, { params: other })).rejects.toThrow();
  });
});

describe('Chain.addBlock on the main chain', () => {
  it('connects blocks that extend the tip, with events, state and tx index', async () => {
    const store = createMemoryStore();
    const chain = await openChain(store);
    const { take } = recordEvents(chain);
    const ids: string[][] = [];
    chain.on('connected', (_entry, _block, txIds) => ids.push(txIds.map(toHex)));
    const b = payingChain(4);
    for (const block of afterGenesis(b)) {
      const outcome = unwrap(await chain.addBlock(block));
      expect(outcome).toMatchObject({ status: 'connected', reorgDepth: 0 });
      expect(take()).toEqual([
        { type: 'connected', hashHex: hexOf(block) },
        { type: 'tip', hashHex: hexOf(block) },
      ]);
      // The ids the chain hashed come with the event: listeners need not hash again.
      expect(ids.pop()).toEqual(block.txs.map((tx) => toHex(hashTx(tx))));
    }
    expect(mainHexes(chain)).toEqual(b.blocks.map(hexOf));
    expect(accountsOf(chain.state)).toEqual(b.accounts);
    const expected = unwrap(validateChain(b.blocks, easyParams, verify, now));
    expect(accountsOf(store)).toEqual(expected.accounts);
    expect(chain.tip.chainWork).toBe(expected.chainWork);
    for (const block of b.blocks) {
      for (const tx of block.txs) {
        expect(store.getTxLocation(hashTx(tx))?.height).toBe(block.header.height);
      }
    }
  });

  it('answers duplicate for a block it has, and changes nothing', async () => {
    const chain = await openChain();
    const b = payingChain(2);
    await feed(chain, afterGenesis(b));
    const { events } = recordEvents(chain);
    for (const block of b.blocks) {
      const outcome = unwrap(await chain.addBlock(block));
      expect(outcome.status).toBe('duplicate');
      if (outcome.status === 'duplicate') expect(outcome.entry.hashHex).toBe(hexOf(block));
    }
    expect(events).toEqual([]);
    expect(chain.tip.hashHex).toBe(hexOf(b.tip));
  });

  it('rejects a block failing context-free checks or its header rules, storing nothing', async () => {
    const store = createMemoryStore();
    const chain = await openChain(store);
    const b = payingChain(1);
    await feed(chain, afterGenesis(b));
    const wrongBits = b.next({ bits: 0x207ffffe });
    const tooOld = b.next({ timestampMs: easyParams.genesisTimestampMs });
    const tooBig = b.next({ coinbaseAmount: 51n * COIN });
    expect(await chain.addBlock(wrongBits)).toMatchObject({ ok: false, code: 'BLOCK_BAD_TARGET' });
    expect(await chain.addBlock(tooOld)).toMatchObject({ ok: false, code: 'BLOCK_TIME_TOO_OLD' });
    expect(store.loadRecords()).toHaveLength(2);
    // Passes the header rules: stored, then refused when connected.
    expect(await chain.addBlock(tooBig)).toMatchObject({
      ok: false,
      code: 'BLOCK_COINBASE_TOO_LARGE',
    });
    expect(chain.tip.hashHex).toBe(hexOf(b.tip));
    expect(chain.get(hexOf(tooBig))?.invalid).toBe(true);
  });
});

describe('orphans', () => {
  it('holds a block whose parent is unknown and connects it when the parent arrives', async () => {
    const chain = await openChain();
    const b = payingChain(4);
    const [b1, b2, b3, b4] = afterGenesis(b) as [Block, Block, Block, Block];
    const { take } = recordEvents(chain);

    expect(unwrap(await chain.addBlock(b4))).toEqual({
      status: 'orphan',
      hashHex: hexOf(b4),
      missingHex: hexOf(b3),
    });
    expect(unwrap(await chain.addBlock(b3))).toMatchObject({ status: 'orphan' });
    expect(unwrap(await chain.addBlock(b2))).toMatchObject({ status: 'orphan' });
    // The same orphan again is held once.
    expect(unwrap(await chain.addBlock(b2))).toMatchObject({ status: 'orphan' });
    expect(chain.orphanCount).toBe(3);
    expect(chain.tip.header.height).toBe(0);
    expect(take()).toEqual([]);

    expect(unwrap(await chain.addBlock(b1))).toMatchObject({ status: 'connected' });
    expect(chain.orphanCount).toBe(0);
    expect(mainHexes(chain)).toEqual(b.blocks.map(hexOf));
    expect(accountsOf(chain.state)).toEqual(b.accounts);
    expect(take().filter((e) => e.type === 'connected')).toHaveLength(4);
  });
});

describe('fork choice', () => {
  it('keeps a branch with less work on the side', async () => {
    const store = createMemoryStore();
    const chain = await openChain(store);
    const main = payingChain(3);
    await feed(chain, afterGenesis(main));
    const side = new ChainBuilder();
    side.mine({ minerKey: carol.key });
    const { events } = recordEvents(chain);

    const outcome = unwrap(await chain.addBlock(side.tip));
    expect(outcome.status).toBe('side');
    expect(events).toEqual([]);
    expect(chain.tip.hashHex).toBe(hexOf(main.tip));
    expect(chain.get(hexOf(side.tip))?.invalid).toBe(false);
    expect(store.getBlock(hashHeader(side.tip.header))).toEqual(side.tip);
    expect(accountsOf(store)).toEqual(main.accounts);
    // Not on the main chain: no transaction of it is indexed.
    expect(store.getTxLocation(hashTx(side.tip.txs[0]!))).toBeUndefined();
  });

  it('keeps the first seen on equal work, whichever branch that is', async () => {
    const a = payingChain(2);
    const c = payingChain(2, carol.key);
    for (const [first, second] of [
      [a, c],
      [c, a],
    ] as const) {
      const chain = await openChain();
      await feed(chain, afterGenesis(first));
      const outcomes = [];
      for (const block of afterGenesis(second)) outcomes.push(unwrap(await chain.addBlock(block)));
      expect(outcomes.map((o) => o.status)).toEqual(['side', 'side']);
      expect(chain.tip.hashHex).toBe(hexOf(first.tip));
      expect(accountsOf(chain.state)).toEqual(first.accounts);
    }
  });

  it('reorganises onto a branch with more work: depth, events, state, indexes', async () => {
    const store = createMemoryStore();
    const chain = await openChain(store);
    // Main: G A1 A2 A3. Branch from A1: B2 B3 B4, mined by carol and paying differently.
    const a = payingChain(2);
    a.mine({ transfers: [a.transfer(alice, bob, COIN / 2n)] });
    const b = a.forkAt(2);
    b.mine({ minerKey: carol.key, transfers: [b.transfer(miner, carol, 7n * COIN)] });
    b.mine({ minerKey: carol.key, transfers: [b.transfer(carol, bob, 2n * COIN)] });
    b.mine({ minerKey: carol.key });
    await feed(chain, afterGenesis(a));
    const { take } = recordEvents(chain);

    const [b2, b3, b4] = b.blocks.slice(2) as [Block, Block, Block];
    expect(unwrap(await chain.addBlock(b2)).status).toBe('side');
    expect(unwrap(await chain.addBlock(b3)).status).toBe('side'); // equal work: A3 was first
    expect(take()).toEqual([]);
    const outcome = unwrap(await chain.addBlock(b4));
    expect(outcome).toMatchObject({ status: 'connected', reorgDepth: 2 });

    const [a1, a2, a3] = a.blocks.slice(1).map(hexOf);
    expect(take()).toEqual([
      { type: 'disconnected', hashHex: a3 },
      { type: 'disconnected', hashHex: a2 },
      { type: 'connected', hashHex: hexOf(b2) },
      { type: 'connected', hashHex: hexOf(b3) },
      { type: 'connected', hashHex: hexOf(b4) },
      { type: 'reorg', depth: 2, oldTip: a3, newTip: hexOf(b4), forkPoint: a1 },
      { type: 'tip', hashHex: hexOf(b4) },
    ]);

    const expected = unwrap(validateChain(b.blocks, easyParams, verify, now));
    expect(accountsOf(store)).toEqual(expected.accounts);
    expect(accountsOf(store)).toEqual(b.accounts);
    expect(chain.tip.chainWork).toBe(expected.chainWork);
    expect(store.countAccounts()).toBe(expected.accounts.size);
    expect(mainHexes(chain)).toEqual(b.blocks.map(hexOf));
    b.blocks.forEach((block, h) => {
      expect(toHex(store.getMainHash(h)!)).toBe(hexOf(block));
      for (const [index, tx] of block.txs.entries()) {
        expect(store.getTxLocation(hashTx(tx))).toEqual({
          blockHash: hashHeader(block.header),
          height: h,
          index,
        });
      }
    });
    for (const block of a.blocks.slice(2)) {
      for (const tx of block.txs) expect(store.getTxLocation(hashTx(tx))).toBeUndefined();
    }
    expect(store.getHistory(toHex(alice.key), 10).every((e) => e.height <= 1)).toBe(true);

    // And back again when the first branch grows heavier.
    a.mine();
    a.mine();
    const back = unwrap(await chain.addBlock(a.blocks[4]!));
    expect(back.status).toBe('side');
    expect(unwrap(await chain.addBlock(a.blocks[5]!))).toMatchObject({
      status: 'connected',
      reorgDepth: 3,
    });
    expect(accountsOf(store)).toEqual(a.accounts);
  });
});
