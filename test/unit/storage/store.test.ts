/**
 * One contract for every ChainStore: the memory store and the SQLite store must keep and give
 * back exactly the same things. SQLite must also keep them across close and reopen.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Account,
  type Block,
  COIN,
  decodeBlock,
  encodeBlock,
  encodeTx,
  hashHeader,
  hashTx,
  MAX_MONEY,
  type StateDiff,
  toHex,
} from '../../../src/core/index.js';
import { historyKeys } from '../../../src/storage/historyKeys.js';
import type { BlockRecord, ChainStore } from '../../../src/storage/types.js';
import { alice, bob, ChainBuilder, carol, easyParams, miner } from '../../support/chainBuilder.js';
import {
  accountsOf,
  connectInto,
  memoryKind,
  type StoreKind,
  sqliteKind,
} from '../../support/nodeFixtures.js';
import { disconnectTip } from '../../support/storeMoves.js';

/** Genesis, then miner → alice, alice → bob (twice), alice → alice, bob → carol. */
function sampleChain(): ChainBuilder {
  const b = new ChainBuilder();
  b.mine();
  b.mine({ transfers: [b.transfer(miner, alice, 30n * COIN)] });
  const a0 = b.transfer(alice, bob, 5n * COIN);
  const a1 = b.transfer(alice, bob, 3n * COIN, { nonce: 1n });
  b.mine({ transfers: [a0, a1] });
  b.mine({
    transfers: [b.transfer(alice, alice, 1n * COIN), b.transfer(bob, carol, 2n * COIN)],
  });
  return b;
}

const recordOf = (block: Block, seenOrder: number, invalid = false): BlockRecord => ({
  hash: hashHeader(block.header),
  header: block.header,
  chainWork: BigInt(block.header.height + 1) * 2n,
  seenOrder,
  invalid,
});

const kinds = [memoryKind(), sqliteKind()];
afterAll(() => {
  for (const kind of kinds) kind.cleanup();
});

describe.each(kinds)('ChainStore contract: $name', (kind: StoreKind) => {
  it('starts empty', () => {
    const store = kind.create();
    expect(store.getTipHash()).toBeUndefined();
    expect(store.getMainHash(0)).toBeUndefined();
    expect(store.loadRecords()).toEqual([]);
    expect(store.countAccounts()).toBe(0);
    expect(store.getAccount(toHex(alice.key))).toBeUndefined();
    expect(store.getMeta('tip')).toBeUndefined();
    expect(() => disconnectTip(store)).toThrow();
  });

  it('saves blocks and records, keeps the first of a hash, marks invalid', () => {
    const store = kind.create();
    const b = sampleChain();
    for (const [i, block] of b.blocks.entries()) store.saveBlock(recordOf(block, i), block);
    // A known hash is left as it is, whatever the new record says.
    store.saveBlock(recordOf(b.blocks[1]!, 99, true), b.blocks[1]!);
    store.markInvalid(hashHeader(b.blocks[3]!.header));

    const records = store.loadRecords();
    expect(records.map((r) => r.header.height)).toEqual([0, 1, 2, 3, 4]);
    expect(records[0]).toEqual(recordOf(b.blocks[0]!, 0));
    expect(records[1]).toEqual(recordOf(b.blocks[1]!, 1));
    expect(records[3]).toEqual(recordOf(b.blocks[3]!, 3, true));
    expect(records[3]!.chainWork).toBe(8n);
    for (const block of b.blocks) expect(store.getBlock(hashHeader(block.header))).toEqual(block);
    expect(store.getBlock(new Uint8Array(32).fill(7))).toBeUndefined();
    // Saving is not connecting.
    expect(store.getTipHash()).toBeUndefined();
  });

  it('gives back a block as its canonical bytes, connected or not', () => {
    const store = kind.create();
    const b = sampleChain();
    store.saveBlock(recordOf(b.blocks[4]!, 9), b.blocks[4]!);
    connectInto(store, b.blocks.slice(0, 3), b.params);
    for (const block of [...b.blocks.slice(0, 3), b.blocks[4]!]) {
      const bytes = store.getBlockBytes(hashHeader(block.header));
      expect(bytes).toEqual(encodeBlock(block));
      expect(decodeBlock(bytes!)).toEqual({ ok: true, value: block });
    }
    expect(store.getBlockBytes(hashHeader(b.blocks[3]!.header))).toBeUndefined();
    expect(store.getBlockBytes(new Uint8Array(32).fill(7))).toBeUndefined();
  });

  it('journals mempool transfers: adds then removals in one call, oldest first, across a reopen', () => {
    let store = kind.create();
    const b = sampleChain();
    const [t1, t2, t3] = [b.blocks[2]!.txs[1]!, b.blocks[3]!.txs[1]!, b.blocks[3]!.txs[2]!];
    const row = (tx: typeof t1, addedMs: number) => ({
      id: hashTx(tx),
      bytes: encodeTx(tx),
      addedMs,
    });
    store.journalTxs([row(t1, 1), row(t2, 2)], []);
    store.journalTxs([row(t3, 3)], [hashTx(t1)]);
    store.journalTxs([], [new Uint8Array(32)]); // an unknown id: nothing to remove
    if (kind.reopen) store = kind.reopen(store);
    expect(store.loadJournal()).toEqual([row(t2, 2), row(t3, 3)]);
  });

  it('deletes side blocks (with their views) but never a main-chain block', () => {
    const store = kind.create();
    const b = sampleChain();
    connectInto(store, b.blocks.slice(0, 3), b.params);
    const side = b.blocks[4]!;
    store.saveBlock(recordOf(side, 9), side);
    store.saveBlockViews([
      { hash: hashHeader(side.header), txCount: 1, tutorial: new Uint8Array(1) },
    ]);
    expect(() => store.deleteBlocks([hashHeader(b.blocks[1]!.header)])).toThrow(/main chain/);
    store.deleteBlocks([hashHeader(side.header)]);
    expect(store.getBlock(hashHeader(side.header))).toBeUndefined();
    expect(store.getBlockView(hashHeader(side.header))).toBeUndefined();
    expect(store.loadRecords()).toHaveLength(3);
  });

  it('keeps block views, across a reopen', () => {
    let store = kind.create();
    const hash = new Uint8Array(32).fill(3);
    const other = new Uint8Array(32).fill(4);
    expect(store.getBlockView(hash)).toBeUndefined();
    store.saveBlockViews([]);
    store.saveBlockViews([
      { hash, txCount: 2, tutorial: new TextEncoder().encode('{"index":1}') },
      { hash: other, txCount: 1, tutorial: new TextEncoder().encode('{}') },
    ]);
    const view = store.getBlockView(hash)!;
    expect(view.txCount).toBe(2);
    expect(new TextDecoder().decode(view.tutorial)).toBe('{"index":1}');
    if (!kind.reopen) return;
    store = kind.reopen(store);
    expect(store.getBlockView(other)?.txCount).toBe(1);
  });

  it('connects blocks inside deferDurability, nested, and keeps them across a reopen', async () => {
    let store = kind.create();
    const b = sampleChain();
    const result = await store.deferDurability(async () => {
      connectInto(store, b.blocks.slice(0, 2), b.params);
      await store.deferDurability(async () => connectInto(store, [b.blocks[2]!], b.params));
      return 'done';
    });
    expect(result).toBe('done');
    // A failure inside is the caller's, and the store goes on.
    await expect(
      store.deferDurability(async () => {
        throw new Error('the peer went away');
      }),
    ).rejects.toThrow('the peer went away');
    connectInto(store, [b.blocks[3]!], b.params);
    expect(toHex(store.getTipHash()!)).toBe(toHex(hashHeader(b.blocks[3]!.header)));
    if (!kind.reopen) return;
    store = kind.reopen(store);
    expect(toHex(store.getTipHash()!)).toBe(toHex(hashHeader(b.blocks[3]!.header)));
    expect(toHex(store.getMainHash(2)!)).toBe(toHex(hashHeader(b.blocks[2]!.header)));
  });

  it('connects blocks: state, main chain, tip, tx locations and history', () => {
    const store = kind.create();
    const b = sampleChain();
    connectInto(store, b.blocks, b.params);

    expect(toHex(store.getTipHash()!)).toBe(toHex(hashHeader(b.tip.header)));
    b.blocks.forEach((block, h) => {
      expect(toHex(store.getMainHash(h)!)).toBe(toHex(hashHeader(block.header)));
    });
    expect(store.getMainHash(b.height + 1)).toBeUndefined();
    expect(accountsOf(store)).toEqual(b.accounts);
    expect(store.countAccounts()).toBe(b.accounts.size);

    b.blocks.forEach((block, height) => {
      block.txs.forEach((tx, index) => {
        expect(store.getTxLocation(hashTx(tx))).toEqual({
          blockHash: hashHeader(block.header),
          height,
          index,
        });
      });
    });
    expect(store.getTxLocation(new Uint8Array(32))).toBeUndefined();

    // History: newest first, by (height, index); a self-transfer is listed once.
    const historyOf = (key: Uint8Array) => {
      const expected = [];
      for (const block of b.blocks) {
        for (const [index, tx] of block.txs.entries()) {
          if (historyKeys(tx).some((k) => toHex(k) === toHex(key))) {
            expected.push({ height: block.header.height, index });
          }
        }
      }
      return expected.reverse();
    };
    for (const party of [alice, bob, carol, miner]) {
      expect(store.getHistory(toHex(party.key), 100)).toEqual(historyOf(party.key));
    }
    expect(store.getHistory(toHex(alice.key), 100).map((e) => [e.height, e.index])).toEqual([
      [4, 1],
      [3, 2],
      [3, 1],
      [2, 1],
    ]);
    expect(store.getHistory(toHex(alice.key), 2)).toEqual(historyOf(alice.key).slice(0, 2));
    expect(store.getHistory(toHex(alice.key), 10, 4)).toEqual(historyOf(alice.key).slice(1));
    expect(store.getHistory(toHex(alice.key), 10, 2)).toEqual([]);
    expect(store.getHistory('00'.repeat(32), 10)).toEqual([]);
  });

  it('disconnects the tip back to the exact state before each block', () => {
    const store = kind.create();
    const b = sampleChain();
    connectInto(store, b.blocks, b.params);
    for (let height = b.height; height > 0; height--) {
      const block = b.blocks[height]!;
      const hash = disconnectTip(store);
      expect(toHex(hash)).toBe(toHex(hashHeader(block.header)));
      expect(store.getBlock(hash)).toEqual(block);
      expect(toHex(store.getTipHash()!)).toBe(toHex(hashHeader(b.blocks[height - 1]!.header)));
      expect(store.getMainHash(height)).toBeUndefined();
      for (const tx of block.txs) expect(store.getTxLocation(hashTx(tx))).toBeUndefined();
      for (const party of [alice, bob, carol, miner]) {
        expect(store.getHistory(toHex(party.key), 100).every((e) => e.height < height)).toBe(true);
      }
      // The stored block stays, for a later reconnect.
      expect(store.getBlock(hash)).toEqual(block);
    }
    expect(accountsOf(store)).toEqual(new Map());
    expect(store.countAccounts()).toBe(0);
    // Reconnecting gives the same state again.
    for (const block of b.blocks.slice(1)) connectInto(store, [block], b.params);
    expect(accountsOf(store)).toEqual(b.accounts);
  });

  it('undo restores each account exactly: property over random diffs', () => {
    const empty = new ChainBuilder().mineEmpty(6);
    const keys = ['aa', 'bb', 'cc', 'dd'].map((c) => c.repeat(32));
    const account = fc.record({
      balance: fc.bigInt({ min: 0n, max: MAX_MONEY }),
      nonce: fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }),
      locks: fc.array(
        fc.record({
          maturesAt: fc.integer({ min: 0, max: 0xffffffff }),
          amount: fc.bigInt({ min: 0n, max: MAX_MONEY }),
        }),
        { maxLength: 3 },
      ),
    });
    const diffArb = fc.dictionary(fc.constantFrom(...keys), fc.option(account, { nil: null }));
    fc.assert(
      fc.property(fc.array(diffArb, { minLength: 1, maxLength: 6 }), (diffs) => {
        const store = kind.create();
        connectInto(store, [empty.blocks[0]!], empty.params);
        const snapshots: Map<string, Account>[] = [];
        diffs.forEach((entries, i) => {
          const diff: StateDiff = new Map(Object.entries(entries));
          const undo = new Map([...diff.keys()].map((k) => [k, store.getAccount(k) ?? null]));
          snapshots.push(snapshot(store, keys));
          const block = empty.blocks[i + 1]!;
          store.saveBlock(recordOf(block, i + 1), block);
          store.connectBlock({
            hash: hashHeader(block.header),
            block,
            txIds: block.txs.map(hashTx),
            diff,
            undo,
          });
          for (const [k, a] of diff) expect(store.getAccount(k) ?? null).toEqual(a);
        });
        for (let i = diffs.length - 1; i >= 0; i--) {
          disconnectTip(store);
          expect(snapshot(store, keys)).toEqual(snapshots[i]);
        }
        store.close();
      }),
      { numRuns: 15 },
    );
  });

  it('refuses to connect a block that does not extend the tip', () => {
    const store = kind.create();
    const b = sampleChain();
    connectInto(store, b.blocks.slice(0, 2), b.params);
    const skip = b.blocks[3]!;
    store.saveBlock(recordOf(skip, 3), skip);
    expect(() =>
      store.connectBlock({
        hash: hashHeader(skip.header),
        block: skip,
        txIds: skip.txs.map(hashTx),
        diff: new Map(),
        undo: new Map(),
      }),
    ).toThrow();
    // The right height on another parent is refused too.
    const other = new ChainBuilder();
    other.mine({ timestampMs: easyParams.genesisTimestampMs + 4444 });
    const stranger = other.next();
    expect(() => connectInto(store, [stranger], b.params)).toThrow();
    expect(toHex(store.getTipHash()!)).toBe(toHex(hashHeader(b.blocks[1]!.header)));
    expect(store.getMainHash(2)).toBeUndefined();
    expect(store.getMainHash(3)).toBeUndefined();
  });

  it('keeps meta values, overwriting on set', () => {
    const store = kind.create();
    store.setMeta('network', 'tutorial');
    store.setMeta('version', '1');
    store.setMeta('version', '2');
    expect(store.getMeta('network')).toBe('tutorial');
    expect(store.getMeta('version')).toBe('2');
    expect(store.getMeta('missing')).toBeUndefined();
  });
});

describe('SQLite store across restarts', () => {
  const kind = kinds[1]!;

  it('keeps everything across close and reopen', () => {
    let store = kind.create();
    const b = sampleChain();
    connectInto(store, b.blocks.slice(0, 4), b.params);
    const side = b.clone();
    side.blocks.splice(2);
    side.accounts = new Map();
    const sideBlock = side.next({ timestampMs: easyParams.genesisTimestampMs + 7777 });
    store.saveBlock(recordOf(sideBlock, 9, true), sideBlock);
    store.setMeta('network', 'tutorial');
    const records = store.loadRecords();

    store = kind.reopen!(store);
    expect(store.loadRecords()).toEqual(records);
    expect(toHex(store.getTipHash()!)).toBe(toHex(hashHeader(b.blocks[3]!.header)));
    expect(store.getMeta('network')).toBe('tutorial');
    expect(store.getBlock(hashHeader(sideBlock.header))).toEqual(sideBlock);

    // A block connected after reopening is still there after the next one.
    connectInto(store, [b.blocks[4]!], b.params);
    store = kind.reopen!(store);
    expect(toHex(store.getTipHash()!)).toBe(toHex(hashHeader(b.tip.header)));
    expect(toHex(store.getMainHash(4)!)).toBe(toHex(hashHeader(b.tip.header)));
    expect(accountsOf(store)).toEqual(b.accounts);
    for (const tx of b.tip.txs) expect(store.getTxLocation(hashTx(tx))?.height).toBe(4);
    expect(store.getHistory(toHex(bob.key), 1)[0]?.height).toBe(4);

    // And undo data survives too: disconnecting after a reopen restores the state before.
    disconnectTip(store);
    store = kind.reopen!(store);
    const before = new ChainBuilder();
    for (const block of b.blocks.slice(1, 4)) before.append(block);
    expect(accountsOf(store)).toEqual(before.accounts);
    expect(store.getMainHash(4)).toBeUndefined();
    store.close();
  });
});

function snapshot(store: ChainStore, keys: readonly string[]): Map<string, Account> {
  const found = new Map<string, Account>();
  for (const key of keys) {
    const account = store.getAccount(key);
    if (account) found.set(key, account);
  }
  return found;
}
