import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type Block, COIN, hashTx, toHex } from '../../../src/core/index.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import type { ChainStore } from '../../../src/storage/types.js';
import { alice, bob, ChainBuilder, carol, miner } from '../../support/chainBuilder.js';
import { connectInto } from '../../support/nodeFixtures.js';
import { disconnectTip } from '../../support/storeMoves.js';
import { tempStoreEachTest } from '../../support/tempStore.js';

const temp = tempStoreEachTest();

/** Generations of 4 transactions: a block of coinbase + 1–3 transfers fills one in 1–3 blocks. */
const GEN_TXS = 4;
const parties = [alice, bob, carol, miner];

/**
 * Up to `tip`: alice and bob funded, then transfers among the four, a few a block; the blocks
 * above `from` mined by `minerKey`.
 */
function chain(tip: number, minerKey = miner.key, from = tip): ChainBuilder {
  const b = new ChainBuilder();
  b.mine();
  b.mine({ transfers: [b.transfer(miner, alice, 20n * COIN)] });
  b.mine({ transfers: [b.transfer(miner, bob, 20n * COIN)] });
  for (let h = b.height + 1; h <= tip; h++) {
    const payers = [alice, bob, miner].slice(0, 1 + (h % 3));
    const transfers = payers.map((p, i) => b.transfer(p, parties[(h + i) % 4]!, BigInt(h) * 1000n));
    b.mine({ transfers, ...(h > from ? { minerKey } : {}) });
  }
  return b;
}

/** Everything the store answers about the index, for the blocks given and some ids it lacks. */
function answers(store: ChainStore, blocks: readonly Block[]) {
  const ids = blocks.flatMap((block) => block.txs.map((tx) => hashTx(tx)));
  const absent = [new Uint8Array(32), new Uint8Array(32).fill(0xff)];
  const pages = parties.map((p) => {
    const key = toHex(p.key);
    const seen = [];
    let before = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const page = store.getHistory(key, 3, before);
      seen.push(page);
      if (page.length < 3) break;
      before = page[page.length - 1]!.height;
    }
    return seen;
  });
  const low = new Uint8Array(32).fill(0x40);
  const high = new Uint8Array(32).fill(0xbf);
  return {
    locations: [...ids, ...absent].map((id) => store.getTxLocation(id)),
    histories: parties.map((p) => store.getHistory(toHex(p.key), 1000)),
    newest: parties.map((p) => store.getHistory(toHex(p.key), 2)),
    pages,
    all: store.txIdsBetween(new Uint8Array(32), new Uint8Array(32).fill(0xff), 10_000).map(toHex),
    range: store.txIdsBetween(low, high, 5).map(toHex),
    // From each id, the next 2 and 3: fewer than some generations hold from there.
    next: ids.flatMap((id) => [2, 3].map((n) => store.txIdsBetween(id, absent[1]!, n).map(toHex))),
  };
}

function generations(): { gen: number; from_height: number; txs: number }[] {
  const db = new Database(temp.path, { readonly: true });
  const rows = db.prepare('SELECT gen, from_height, txs FROM index_gens ORDER BY gen').all();
  db.close();
  return rows as { gen: number; from_height: number; txs: number }[];
}

describe('index rows in generations', () => {
  it('answer as one table does, through connects, a reorganisation across generations, a reopen', () => {
    const a = chain(30);
    let store = openSqliteStore(temp.path, { genTxs: GEN_TXS });
    const memory = createMemoryStore();
    connectInto(store, a.blocks, a.params);
    connectInto(memory, a.blocks, a.params);
    const gens = generations();
    expect(gens.length).toBeGreaterThan(10);
    // Each generation begins where the one before filled up, and counts its blocks' transactions.
    expect(gens.reduce((n, g) => n + g.txs, 0)).toBe(
      a.blocks.reduce((n, b) => n + b.txs.length, 0),
    );
    expect(answers(store, a.blocks)).toEqual(answers(memory, a.blocks));
    expect(answers(store, a.blocks).locations.filter((l) => l).length).toBe(
      a.blocks.reduce((n, b) => n + b.txs.length, 0),
    );

    // Back to block 17: across several generations' first blocks, and into the middle of one.
    expect(a.height).toBe(30);
    for (let h = 30; h > 17; h--) {
      disconnectTip(store);
      disconnectTip(memory);
    }
    const back = generations();
    expect(back.length).toBeLessThan(gens.length);
    expect(back.at(-1)!.from_height).toBeLessThanOrEqual(17);
    expect(answers(store, a.blocks)).toEqual(answers(memory, a.blocks));

    // Another branch from block 17 (carol mines): its rows, not the old branch's.
    const b = chain(26, carol.key, 17);
    expect(toHex(hashTx(b.blocks[17]!.txs[0]!))).toBe(toHex(hashTx(a.blocks[17]!.txs[0]!)));
    expect(toHex(hashTx(b.blocks[18]!.txs[0]!))).not.toBe(toHex(hashTx(a.blocks[18]!.txs[0]!)));
    connectInto(store, b.blocks.slice(18), b.params);
    connectInto(memory, b.blocks.slice(18), b.params);
    const both = [...a.blocks, ...b.blocks.slice(18)];
    expect(answers(store, both)).toEqual(answers(memory, both));

    store.close();
    store = openSqliteStore(temp.path, { genTxs: GEN_TXS });
    expect(answers(store, both)).toEqual(answers(memory, both));
    store.close();
  });
});
