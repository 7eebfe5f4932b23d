/**
 * The story of a reorganisation (src/mempool/reorgLog.ts) keeps the transfers of the blocks it
 * left behind, for GET /api/reorgs and the transactions' pages, as long as it remembers the
 * reorganisation (the last MAX_REORGS). A block a sync decoded holds its transactions as views
 * into its bytes (decodeBlock's `views`, fetchBatch.ts decodeExpected), and the memory store
 * keeps blocks as given: a story that kept those transfers as given kept each such block's
 * buffer alive (a megabyte for a full block) with them. It keeps copies.
 */
import { describe, expect, it } from 'vitest';
import type { BlockEntry } from '../../../src/chain/blockIndex.js';
import { COIN, decodeBlock, encodeBlock, type Transfer } from '../../../src/core/index.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import { ReorgLog, type ReorgTx } from '../../../src/mempool/reorgLog.js';
import { wireParts } from '../../../src/node/wireEvents.js';
import { createMemoryStore } from '../../../src/storage/memoryStore.js';
import {
  alice,
  bob,
  ChainBuilder,
  carol,
  defaultNowMs,
  easyParams,
  fundedChain,
  miner,
} from '../../support/chainBuilder.js';
import {
  afterGenesis,
  countingVerifier,
  feed,
  hexOf,
  openChain,
  txHex,
  unwrap,
} from '../../support/nodeFixtures.js';

const stranger = new Uint8Array(32).fill(0x5e);

describe("a reorganisation's story", () => {
  it('keeps copies of the transfers it left behind, not views into their block', async () => {
    const b = fundedChain();
    const verifier = countingVerifier();
    const chain = await openChain(createMemoryStore(), { verifier });
    await feed(chain, afterGenesis(b));
    const mempool = new Mempool(chain, verifier, { now: () => defaultNowMs(easyParams) });
    // The story reads the blocks the reorganisation moved, not the store's index (getTxLocation:
    // a probe of every generation for each transfer returned): it is given nothing else.
    const storyChain = {
      isOnMain: (entry: BlockEntry) => chain.isOnMain(entry),
      get main() {
        return chain.main;
      },
    };
    const reorgs = new ReorgLog(storyChain, mempool, () => 0);
    wireParts({ chain, mempool, reorgs });

    const returned = b.transfer(miner, carol, 1n * COIN, { nonce: 2n });
    const dropped = b.transfer(alice, bob, 5n * COIN);
    const reconfirmed = b.transfer(bob, carol, 1n * COIN);
    // As a sync decodes a block (fetchBatch.ts decodeExpected): fields are views into its bytes.
    const bytes = encodeBlock(b.mine({ transfers: [returned, dropped, reconfirmed] }));
    const synced = decodeBlock(bytes, { views: true });
    if (!synced.ok) throw new Error(synced.detail);
    expect((synced.value.txs[1] as Transfer).from.buffer).toBe(bytes.buffer);
    unwrap(await chain.addBlock(synced.value, { bytes }));

    // A longer branch from block 2: alice's nonce 0 spent elsewhere, bob's transfer again.
    const fork = new ChainBuilder();
    for (const block of b.blocks.slice(1, 3)) fork.append(block);
    const doubleSpend = b.transfer(alice, carol, 5n * COIN, { nonce: 0n });
    fork.mine({ minerKey: stranger, transfers: [doubleSpend, reconfirmed] });
    fork.mine({ minerKey: stranger });
    await feed(chain, afterGenesis(fork).slice(2));
    expect(chain.tip.hashHex).toBe(hexOf(fork.tip));

    const [story] = reorgs.latest();
    if (!story) throw new Error('no reorganisation was told');
    const told = (list: readonly ReorgTx[]) => list.map((t) => t.idHex);
    expect(told(story.returned)).toEqual([txHex(returned)]);
    expect(told(story.dropped)).toEqual([txHex(dropped)]);
    expect(told(story.reconfirmed)).toEqual([txHex(reconfirmed)]);
    for (const { tx, idHex } of [...story.returned, ...story.dropped, ...story.reconfirmed]) {
      const { from, to, signature } = tx;
      expect(
        [from, to, signature].map((f) => f.buffer.byteLength),
        idHex,
      ).toEqual([32, 32, 64]);
    }
    // Copies of the same transfers.
    expect(story.returned[0]!.tx).toEqual(returned);
    expect(story.dropped[0]!.tx).toEqual(dropped);
  });
});
