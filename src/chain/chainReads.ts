/**
 * What readers ask the chain (the API, the mempool, the network): the block tree, the main
 * chain, stored blocks and the store's indexes. Chain (chain.ts) adds blocks; this is its
 * read side, split from it to keep each file small.
 */
import { EventEmitter } from 'node:events';
import { type Block, decodeTxOfBlock, type NetworkParams, type Tx } from '../core/index.js';
import type { HistoryEntry, TxLocation } from '../storage/types.js';
import { type BlockEntry, BlockIndex } from './blockIndex.js';
import { OrphanPool } from './orphans.js';
import type { ChainEvents, ChainOptions } from './types.js';

export abstract class ChainReads extends EventEmitter<ChainEvents> {
  protected readonly index = new BlockIndex();
  protected readonly orphans = new OrphanPool();

  protected constructor(protected readonly options: ChainOptions) {
    super();
  }

  get params(): NetworkParams {
    return this.options.params;
  }

  get tip(): BlockEntry {
    return this.index.tip;
  }

  /**
   * The main chain, genesis first: a live view (copy it to keep a snapshot across an await).
   * `main[h]` is the block at height h.
   */
  get main(): readonly BlockEntry[] {
    return this.index.main;
  }

  /** A block of the tree (main chain, side branch or invalid) by its hash. */
  get(hashHex: string): BlockEntry | undefined {
    return this.index.get(hashHex);
  }

  isOnMain(entry: BlockEntry): boolean {
    return this.index.isOnMain(entry);
  }

  /** `entry`'s ancestor (or itself) at `height`, on its own branch. */
  ancestorAt(entry: BlockEntry, height: number): BlockEntry {
    return this.index.ancestorAt(entry, height);
  }

  childrenOf(entry: BlockEntry): readonly BlockEntry[] {
    return this.index.childrenOf(entry);
  }

  /** Every block of the tree, in no particular order. */
  entries(): IterableIterator<BlockEntry> {
    return this.index.entries();
  }

  /** Blocks in the tree: the main chain and its side branches. */
  get blockCount(): number {
    return this.index.size;
  }

  /** Blocks held until their parent arrives. */
  get orphanCount(): number {
    return this.orphans.size;
  }

  hasOrphan(hashHex: string): boolean {
    return this.orphans.has(hashHex);
  }

  /** Where a main-chain transaction is (height, index), if it is on the main chain. */
  getTxLocation(txId: Uint8Array): TxLocation | undefined {
    return this.options.store.getTxLocation(txId);
  }

  /** An address's main-chain transfers, newest first (the store's history index). */
  getHistory(key: string, limit: number, beforeHeight?: number): HistoryEntry[] {
    return this.options.store.getHistory(key, limit, beforeHeight);
  }

  /** Main-chain transaction ids from `low` to `high`, at most `limit` (searches by prefix). */
  txIdsBetween(low: Uint8Array, high: Uint8Array, limit: number): Uint8Array[] {
    return this.options.store.txIdsBetween(low, high, limit);
  }

  /** A stored block's bytes as received: its canonical encoding. */
  getBlockBytes(entry: BlockEntry): Uint8Array {
    const bytes = this.options.store.getBlockBytes(entry.hash);
    if (!bytes) throw new Error(`block ${entry.hashHex} is indexed but not stored`);
    return bytes;
  }

  getBlock(entry: BlockEntry): Block {
    const block = this.options.store.getBlock(entry.hash);
    if (!block) throw new Error(`block ${entry.hashHex} is indexed but not stored`);
    return block;
  }

  /**
   * Transaction `index` of a stored block, read from its bytes without decoding the others.
   * PERF: see decodeTxOfBlock; a history page of 50 transfers in full blocks decoded 50 blocks.
   */
  getTx(entry: BlockEntry, index: number): Tx {
    const tx = decodeTxOfBlock(this.getBlockBytes(entry), index);
    if (!tx.ok) throw new Error(`stored block ${entry.hashHex}: ${tx.detail}`);
    return tx.value;
  }
}
