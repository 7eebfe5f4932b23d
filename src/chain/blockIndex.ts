/**
 * The block tree in memory: every stored block with its parent link and cumulative work, the
 * main chain by height, and the leaves that could become tips. Headers only (about 300 bytes a
 * block), so a chain of 100,000 blocks costs tens of megabytes.
 */
import { type BlockHeader, isBetterTip, toHex } from '../core/index.js';
import type { BlockRecord } from '../storage/types.js';

export interface BlockEntry {
  readonly hash: Uint8Array;
  readonly hashHex: string;
  readonly header: BlockHeader;
  readonly parent: BlockEntry | undefined;
  readonly chainWork: bigint;
  readonly seenOrder: number;
  invalid: boolean;
}

/** What a reader of the block tree needs: the Chain answers it, and so does a bare index (tests). */
export interface BlockTreeReader {
  readonly tip: BlockEntry;
  readonly main: readonly BlockEntry[];
  get(hashHex: string): BlockEntry | undefined;
  isOnMain(entry: BlockEntry): boolean;
  childrenOf(entry: BlockEntry): readonly BlockEntry[];
}

export class BlockIndex {
  private readonly byHash = new Map<string, BlockEntry>();
  private readonly children = new Map<string, BlockEntry[]>();
  /** The main chain: main[h] is the block at height h. */
  readonly main: BlockEntry[] = [];

  get size(): number {
    return this.byHash.size;
  }

  get tip(): BlockEntry {
    return this.main[this.main.length - 1]!;
  }

  /** Every block in the tree, in the order they were added. */
  entries(): IterableIterator<BlockEntry> {
    return this.byHash.values();
  }

  get(hashHex: string): BlockEntry | undefined {
    return this.byHash.get(hashHex);
  }

  /** Adds a record whose parent is already in the index (or the genesis block). */
  add(record: BlockRecord): BlockEntry {
    const parentHex = toHex(record.header.prevHash);
    const parent = record.header.height === 0 ? undefined : this.byHash.get(parentHex);
    if (record.header.height > 0 && !parent) throw new Error(`parent ${parentHex} not indexed`);
    const entry: BlockEntry = {
      hash: record.hash,
      hashHex: toHex(record.hash),
      header: record.header,
      parent,
      chainWork: record.chainWork,
      seenOrder: record.seenOrder,
      invalid: record.invalid || (parent?.invalid ?? false),
    };
    this.byHash.set(entry.hashHex, entry);
    if (parent) {
      const siblings = this.children.get(parent.hashHex);
      if (siblings) siblings.push(entry);
      else this.children.set(parent.hashHex, [entry]);
    }
    return entry;
  }

  /** Removes blocks off the main chain (pruning); children before or with their parents' removal. */
  remove(entries: readonly BlockEntry[]): void {
    for (const entry of entries) {
      if (this.isOnMain(entry)) throw new Error(`block ${entry.hashHex} is on the main chain`);
      this.byHash.delete(entry.hashHex);
      this.children.delete(entry.hashHex);
      if (!entry.parent) continue;
      const siblings = this.children.get(entry.parent.hashHex);
      const left = siblings?.filter((e) => e !== entry) ?? [];
      if (left.length > 0) this.children.set(entry.parent.hashHex, left);
      else this.children.delete(entry.parent.hashHex);
    }
  }

  childrenOf(entry: BlockEntry): readonly BlockEntry[] {
    return this.children.get(entry.hashHex) ?? [];
  }

  isOnMain(entry: BlockEntry): boolean {
    return this.main[entry.header.height] === entry;
  }

  /** The ancestor of `entry` at `height` on entry's own branch. */
  ancestorAt(entry: BlockEntry, height: number): BlockEntry {
    if (height > entry.header.height || height < 0)
      throw new RangeError(`no ancestor at ${height}`);
    let cursor = entry;
    while (cursor.header.height > height && !this.isOnMain(cursor)) cursor = cursor.parent!;
    return this.isOnMain(cursor) ? this.main[height]! : cursor;
  }

  /** The last block two branches share. */
  forkPoint(a: BlockEntry, b: BlockEntry): BlockEntry {
    let x = a;
    let y = b;
    while (x.header.height > y.header.height) x = x.parent!;
    while (y.header.height > x.header.height) y = y.parent!;
    while (x !== y) {
      x = x.parent!;
      y = y.parent!;
    }
    return x;
  }

  /** Marks a block and everything built on it invalid. */
  markInvalid(entry: BlockEntry): BlockEntry[] {
    const marked: BlockEntry[] = [];
    const stack = [entry];
    for (let e = stack.pop(); e; e = stack.pop()) {
      if (!e.invalid) marked.push(e);
      e.invalid = true;
      stack.push(...this.childrenOf(e));
    }
    return marked;
  }

  /** The valid leaf with the most work (ties: first seen) — where the main chain should end. */
  bestLeaf(): BlockEntry {
    let best = this.tip;
    for (const entry of this.byHash.values()) {
      if (entry.invalid || this.childrenOf(entry).some((c) => !c.invalid)) continue;
      if (isBetterTip(entry, best)) best = entry;
    }
    return best;
  }
}
