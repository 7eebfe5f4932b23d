/**
 * Blocks' JSON views are built once, kept in the store, and streamed: the answer is exactly the
 * JSON of the views built from the blocks, and a second answer decodes no block at all.
 */

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BlockViews } from '../../../src/api/blockViews.js';
import { tutorialBlock } from '../../../src/api/views.js';
import type { Chain } from '../../../src/chain/chain.js';
import { COIN, decodeBlock, encodeBlock } from '../../../src/core/index.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import type { ChainStore } from '../../../src/storage/types.js';
import { alice, bob, ChainBuilder, miner } from '../../support/chainBuilder.js';
import { afterGenesis, feed, hexOf, openChain } from '../../support/nodeFixtures.js';

async function chainWithTransfers(wire?: (chain: Chain, store: ChainStore) => void) {
  const store = createMemoryStore();
  let blockReads = 0;
  let viewReads = 0;
  const getBlock = store.getBlock.bind(store);
  store.getBlock = (hash) => {
    blockReads++;
    return getBlock(hash);
  };
  const getBlockView = store.getBlockView.bind(store);
  store.getBlockView = (hash) => {
    viewReads++;
    return getBlockView(hash);
  };
  const b = new ChainBuilder();
  b.mine();
  b.mine({ transfers: [b.transfer(miner, alice, 30n * COIN)] });
  b.mine({
    transfers: [
      b.transfer(alice, bob, 5n * COIN),
      b.transfer(alice, bob, 1n * COIN, { nonce: 1n }),
    ],
  });
  b.mine();
  const chain = await openChain(store);
  wire?.(chain, store);
  await feed(chain, afterGenesis(b));
  return {
    chain,
    store,
    builder: b,
    blocks: b.blocks,
    reads: () => blockReads,
    viewReads: () => viewReads,
  };
}

async function text(stream: NodeJS.ReadableStream): Promise<{ text: string; chunks: number }> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { text: Buffer.concat(chunks).toString('utf8'), chunks: chunks.length };
}

describe('BlockViews', () => {
  it('streams the main chain as the JSON of each block view, between head and tail', async () => {
    const { chain, store, blocks } = await chainWithTransfers();
    // One block per chunk: the answer is whole however it is cut.
    const views = new BlockViews(chain, store, 1);
    const answer = await text(views.stream(chain.main, '{"chain":[', '],"length":5}'));
    expect(answer.chunks).toBe(blocks.length + 1);
    expect(JSON.parse(answer.text)).toEqual({
      chain: JSON.parse(JSON.stringify(blocks.map((block) => tutorialBlock(block, chain.params)))),
      length: 5,
    });
    const empty = await text(views.stream([], '[', ']'));
    expect(empty.text).toBe('[]');
  });

  it('builds a view once: the next answer and the transaction counts read no block', async () => {
    const { chain, store, blocks, reads } = await chainWithTransfers();
    const views = new BlockViews(chain, store);
    const first = await text(views.stream(chain.main, '[', ']'));
    const readsAfterFirst = reads();
    expect(readsAfterFirst).toBeGreaterThanOrEqual(blocks.length);
    const second = await text(views.stream(chain.main, '[', ']'));
    expect(second.text).toBe(first.text);
    expect(chain.main.map((entry) => views.txCount(entry))).toEqual(
      blocks.map((block) => block.txs.length),
    );
    expect(reads()).toBe(readsAfterFirst);
  });

  it('stores the views an answer built, also when its reader stops early', async () => {
    const { chain, store, reads } = await chainWithTransfers();
    // Nothing kept in memory: what a second answer does not read from blocks is in the store.
    await text(new BlockViews(chain, store, 1, 0).stream(chain.main, '[', ']'));
    const before = reads();
    await text(new BlockViews(chain, store, 1, 0).stream(chain.main, '[', ']'));
    expect(reads()).toBe(before);

    // The whole answer in one chunk, its reader gone once it has it: the views are stored still.
    const other = await chainWithTransfers();
    const stream = new BlockViews(other.chain, other.store, 1 << 20, 0).stream(
      other.chain.main,
      '[',
      ']',
    );
    for await (const _chunk of stream) break;
    for (const entry of other.chain.main)
      expect(other.store.getBlockView(entry.hash)?.txCount).toBeGreaterThan(0);
  });

  it('counts transactions of a block never viewed, and keeps its view', async () => {
    const { chain, store, reads } = await chainWithTransfers();
    const views = new BlockViews(chain, store);
    const before = reads();
    expect(views.txCount(chain.main[3]!)).toBe(3);
    expect(reads()).toBe(before + 1);
    expect(views.get(chain.main[3]!).txCount).toBe(3);
    expect(reads()).toBe(before + 1);
  });

  it('keeps recent views in memory, within its limit in bytes, the least recently used going first', async () => {
    const { chain, store, viewReads } = await chainWithTransfers();
    const all = new BlockViews(chain, store);
    const first = await text(all.stream(chain.main, '[', ']'));
    const before = viewReads();
    expect((await text(all.stream(chain.main, '[', ']'))).text).toBe(first.text);
    expect(viewReads()).toBe(before); // every view came from memory

    // Room for about one view: each stream reads every view but the last one kept.
    const sizes = chain.main.map((entry) => all.get(entry).tutorial.length);
    const one = new BlockViews(chain, store, undefined, Math.max(...sizes));
    await text(one.stream(chain.main, '[', ']'));
    const reads = viewReads();
    expect((await text(one.stream(chain.main, '[', ']'))).text).toBe(first.text);
    expect(viewReads() - reads).toBeGreaterThanOrEqual(chain.main.length - 1);
  });

  it('builds the views of blocks it saw connected from those blocks: no block read, same bytes', async () => {
    let views: BlockViews | undefined;
    const wired = await chainWithTransfers((chain, store) => {
      views = new BlockViews(chain, store);
      chain.on('connected', (entry, block, txIds) => views!.onConnected(entry, block, txIds));
    });
    const before = { blocks: wired.reads(), views: wired.viewReads() };
    const answer = await text(views!.stream(wired.chain.main, '[', ']'));
    // Genesis was connected before the views listened: it alone is looked up and read.
    expect(wired.reads() - before.blocks).toBe(1);
    expect(wired.viewReads() - before.views).toBe(1);
    const plain = await chainWithTransfers();
    const expected = await text(
      new BlockViews(plain.chain, plain.store).stream(plain.chain.main, '[', ']'),
    );
    expect(answer.text).toBe(expected.text);
    // Stored too: another BlockViews over the same store builds nothing.
    const again = new BlockViews(wired.chain, wired.store, undefined, 0);
    const reads = wired.reads();
    expect((await text(again.stream(wired.chain.main, '[', ']'))).text).toBe(expected.text);
    expect(wired.reads()).toBe(reads);
  });

  it("keeps a block's summary without its bytes, when its fields are views into them", async () => {
    const { chain, store } = await chainWithTransfers();
    const views = new BlockViews(chain, store);
    const entry = chain.main[chain.main.length - 1]!;
    const bytes = encodeBlock(chain.getBlock(entry));
    const decoded = decodeBlock(bytes, { views: true });
    if (!decoded.ok) throw new Error(decoded.detail);
    expect(decoded.value.txs[0]!.to.buffer).toBe(bytes.buffer);
    views.onConnected(entry, decoded.value);
    const { minedBy } = views.summary(entry);
    expect(minedBy).toEqual(decoded.value.txs[0]!.to);
    expect(minedBy.buffer).not.toBe(bytes.buffer);
    expect(minedBy.buffer.byteLength).toBe(32);
  });

  it('answers as its parts an answer at hand (one chunk, or kept bytes and a chunk), else streams it', async () => {
    const { chain, store } = await chainWithTransfers();
    const streamed = await text(new BlockViews(chain, store).stream(chain.main, '{"c":[', ']}'));
    const whole = new BlockViews(chain, store).answer(chain.main, '{"c":[', ']}');
    expect(Array.isArray(whole) && whole.length).toBe(1);
    expect(Buffer.concat(whole as Buffer[]).toString('utf8')).toBe(streamed.text);
    // A chunk smaller than the answer: streamed, with the same bytes.
    const small = new BlockViews(chain, store, 64);
    const long = small.answer(chain.main, '{"c":[', ']}');
    expect(long).toBeInstanceOf(Readable);
    const read = await text(long as Readable);
    expect(read.chunks).toBeGreaterThan(2);
    expect(read.text).toBe(streamed.text);
    // Again, its chunks kept: the head, the kept bytes and the last chunk, as parts.
    const kept = small.answer(chain.main, '{"c":[', ']}');
    expect(Array.isArray(kept) && kept.length).toBe(read.chunks + 1);
    expect(Buffer.concat(kept as Buffer[]).toString('utf8')).toBe(streamed.text);
    expect(new BlockViews(chain, store).answer([], '[', ']').toString()).toBe('[]');
  });

  it('writes a repeated whole-chain answer from kept bytes, no view read, within their limit', async () => {
    const { chain, store, viewReads } = await chainWithTransfers();
    // One block a chunk, no view kept in memory: all that is not kept assembled is read again.
    const views = new BlockViews(chain, store, 1, 0);
    const first = await text(views.stream(chain.main, '[', ']'));
    const reads = viewReads();
    expect((await text(views.stream(chain.main, '[', ']'))).text).toBe(first.text);
    expect(viewReads()).toBe(reads);

    // Room for the first two blocks' bytes (the second's with its comma): the rest is read again.
    const sizes = chain.main.map((entry) => views.get(entry).tutorial.length);
    const bounded = new BlockViews(chain, store, 1, 0, sizes[0]! + 1 + sizes[1]!);
    await text(bounded.stream(chain.main, '[', ']'));
    const boundedReads = viewReads();
    expect((await text(bounded.stream(chain.main, '[', ']'))).text).toBe(first.text);
    expect(viewReads() - boundedReads).toBe(chain.main.length - 2);
  });

  it('writes kept bytes only for a chain that holds their blocks: a reorganisation, an older snapshot', async () => {
    const { chain, store, builder, viewReads } = await chainWithTransfers();
    // No view kept in memory: a view read shows a block not written from kept bytes.
    const views = new BlockViews(chain, store, 1, 0);
    const older = chain.main.slice();
    const before = await text(views.stream(older, '[', ']'));
    // A heavier branch from block 3 (another miner's, so other blocks) replaces block 4.
    const fork = builder.clone();
    fork.blocks.pop();
    fork.mine({ minerKey: alice.key });
    fork.mine({ minerKey: alice.key });
    await feed(chain, fork.blocks.slice(4));
    expect(chain.main.map((entry) => entry.hashHex)).toEqual(fork.blocks.map(hexOf));

    const after = await text(views.stream(chain.main, '[', ']'));
    const fresh = await text(new BlockViews(chain, store).stream(chain.main, '[', ']'));
    expect(after.text).toBe(fresh.text);
    expect(after.text).not.toBe(before.text);
    // The replaced blocks' bytes were dropped, so the new chain's are kept in their place.
    const reads = viewReads();
    expect((await text(views.stream(chain.main, '[', ']'))).text).toBe(fresh.text);
    expect(viewReads()).toBe(reads);
    // An answer begun on the chain as it was still gets that chain.
    expect((await text(views.stream(older, '[', ']'))).text).toBe(before.text);
    expect((await text(views.stream(chain.main, '[', ']'))).text).toBe(fresh.text);
  });
});
