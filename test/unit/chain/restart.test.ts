/**
 * A chain reopened from its store: the same tip and tree after a restart, and a store left in
 * the middle of a reorganisation (disconnected below its best leaf) finished on open.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Block,
  chainWorkAfter,
  genesisBlock,
  hashHeader,
  toHex,
  validateChain,
} from '../../../src/core/index.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import type { BlockRecord } from '../../../src/storage/types.js';
import {
  alice,
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
  makeTempDir,
  openChain,
  unwrap,
} from '../../support/nodeFixtures.js';
import { disconnectTip } from '../../support/storeMoves.js';

const now = defaultNowMs(easyParams);
let temp: ReturnType<typeof makeTempDir>;
let path: string;
beforeEach(() => {
  temp = makeTempDir();
  path = join(temp.dir, 'chain.sqlite');
});
afterEach(() => temp.remove());

/** Main G A1 A2 (A2 pays alice); side B1 B2 from genesis, mined by carol (equal work: side). */
function twoBranches(): { a: ChainBuilder; b: ChainBuilder } {
  const a = new ChainBuilder();
  a.mine();
  a.mine({ transfers: [a.transfer(miner, alice, 1000n)] });
  const b = new ChainBuilder();
  b.mine({ minerKey: carol.key });
  b.mine({ minerKey: carol.key });
  return { a, b };
}

describe('reopening a SQLite-backed chain', () => {
  it('restores the same tip, main chain, side branch, invalid marks and state', async () => {
    const { a, b } = twoBranches();
    let store = openSqliteStore(path);
    let chain = await openChain(store);
    await feed(chain, [...afterGenesis(a), ...afterGenesis(b)]);
    const bad = b.next({ minerKey: carol.key, transfers: [b.transfer(alice, carol, 5n)] });
    expect(await chain.addBlock(bad)).toMatchObject({ ok: false, code: 'TX_INSUFFICIENT_FUNDS' });
    const tip = chain.tip.hashHex;
    const size = chain.blockCount;
    store.close();

    store = openSqliteStore(path);
    chain = await openChain(store);
    expect(chain.tip.hashHex).toBe(tip);
    expect(chain.tip.hashHex).toBe(hexOf(a.tip));
    expect(mainHexes(chain)).toEqual(a.blocks.map(hexOf));
    expect(chain.blockCount).toBe(size);
    expect(chain.get(hexOf(b.tip))?.invalid).toBe(false);
    expect(chain.get(hexOf(bad))?.invalid).toBe(true);
    expect(accountsOf(store)).toEqual(a.accounts);
    expect(await chain.addBlock(bad)).toMatchObject({ ok: false, code: 'BLOCK_INVALID_ANCESTOR' });
    // It goes on from there: extended on the restored tip, a tie still goes to the first seen.
    expect(unwrap(await chain.addBlock(a.mine())).status).toBe('connected');
    expect(unwrap(await chain.addBlock(b.mine({ minerKey: carol.key }))).status).toBe('side');
    expect(chain.tip.hashHex).toBe(hexOf(a.tip));
    store.close();
  });

  it('keeps a block connected just before the restart', async () => {
    let store = openSqliteStore(path);
    const chain = await openChain(store);
    const a = new ChainBuilder().mineEmpty(3);
    await feed(chain, afterGenesis(a));
    store.close();
    store = openSqliteStore(path);
    expect((await openChain(store)).tip.hashHex).toBe(hexOf(a.tip));
    store.close();
  });
});

describe('a store left in the middle of a reorganisation', () => {
  it('is finished on open: the heavier branch saved but not yet connected', async () => {
    const { a, b } = twoBranches();
    let store = openSqliteStore(path);
    const chain = await openChain(store);
    await feed(chain, [...afterGenesis(a), ...afterGenesis(b)]);
    // What a node killed mid-reorg leaves: B3 saved, main chain undone to the fork point.
    const b3 = b.mine({ minerKey: carol.key });
    const b2 = chain.get(hexOf(b.blocks[2]!))!;
    store.saveBlock(recordAfter(b3, b2.chainWork, 99), b3);
    disconnectTip(store);
    disconnectTip(store);
    store.close();

    store = openSqliteStore(path);
    const reopened = await openChain(store);
    expect(reopened.tip.hashHex).toBe(hexOf(b3));
    expect(mainHexes(reopened)).toEqual(b.blocks.map(hexOf));
    expect(accountsOf(store)).toEqual(
      unwrap(validateChain(b.blocks, easyParams, verify, now)).accounts,
    );
    for (const [h, block] of b.blocks.entries()) {
      expect(toHex(store.getMainHash(h)!)).toBe(hexOf(block));
    }
    store.close();
  });

  it('is finished on open: undone below its own best leaf, which is reconnected', async () => {
    const { a } = twoBranches();
    const store = createMemoryStore();
    await feed(await openChain(store), afterGenesis(a));
    disconnectTip(store);
    const reopened = await openChain(store);
    expect(reopened.tip.hashHex).toBe(hexOf(a.tip));
    expect(accountsOf(store)).toEqual(a.accounts);
  });
});

describe('opening odd stores', () => {
  it('starts from a genesis saved but never connected', async () => {
    const store = createMemoryStore();
    const genesis = genesisBlock(easyParams);
    store.saveBlock(recordAfter(genesis, 0n, 0), genesis);
    const chain = await openChain(store);
    expect(chain.tip.hashHex).toBe(hexOf(genesis));
    expect(store.getTipHash()).toBeDefined();
  });

  it('opens a tree of more records than a function call takes arguments', async () => {
    const store = createMemoryStore();
    const genesis = genesisBlock(easyParams);
    await openChain(store);
    const base = store.loadRecords()[0]!;
    // Many invalid children of genesis: indexed, never connected.
    const many: BlockRecord[] = [];
    for (let i = 0; i < 200_000; i++) {
      const header = { ...genesis.header, height: 1, prevHash: base.hash, nonce: BigInt(i) };
      many.push({
        hash: hashHeader(header),
        header,
        chainWork: 2n,
        seenOrder: i + 1,
        invalid: true,
      });
    }
    const wide = { ...store, eachRecord: () => [base, ...many] };
    const chain = await openChain(wide);
    expect(chain.blockCount).toBe(200_001);
    expect(chain.tip.hashHex).toBe(hexOf(genesis));
  });
});

function recordAfter(block: Block, parentWork: bigint, seenOrder: number): BlockRecord {
  return {
    hash: hashHeader(block.header),
    header: block.header,
    chainWork: chainWorkAfter(parentWork, block.header.bits),
    seenOrder,
    invalid: false,
  };
}
