/**
 * Blocks whose parent is not known yet, held until it arrives. SECURITY: bounded in count and
 * bytes; the oldest goes first, so a peer sending junk orphans cannot grow the node's memory.
 */
import { type Block, blockSize, toHex } from '../core/index.js';
import type { BlockOrigin } from './types.js';

export class OrphanPool {
  private readonly byHash = new Map<string, { block: Block; bytes: number; origin: BlockOrigin }>();
  private bytes = 0;

  constructor(
    private readonly maxCount = 200,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  get size(): number {
    return this.byHash.size;
  }

  has(hashHex: string): boolean {
    return this.byHash.has(hashHex);
  }

  /**
   * Holds `block` with where it came from, less the bytes it was decoded from (BlockOrigin.bytes,
   * a posted block's): the pool's bound counts the block once, and a block decoded as a copy
   * would be held twice; the chain encodes it again if it connects one day (orphans are rare).
   */
  add(hashHex: string, block: Block, origin: BlockOrigin = {}): void {
    if (this.byHash.has(hashHex)) return;
    const bytes = blockSize(block);
    const { bytes: _decodedFrom, ...kept } = origin;
    this.byHash.set(hashHex, { block, bytes, origin: kept });
    this.bytes += bytes;
    while (this.byHash.size > this.maxCount || this.bytes > this.maxBytes) {
      const oldest = this.byHash.keys().next().value!;
      this.remove(oldest);
    }
  }

  /** Removes and returns the orphans whose parent is `parentHex`, with where each came from. */
  takeChildren(parentHex: string): { block: Block; origin: BlockOrigin }[] {
    const found: { block: Block; origin: BlockOrigin }[] = [];
    for (const [hashHex, { block, origin }] of this.byHash) {
      if (toHex(block.header.prevHash) === parentHex) {
        found.push({ block, origin });
        this.remove(hashHex);
      }
    }
    return found;
  }

  private remove(hashHex: string): void {
    const entry = this.byHash.get(hashHex);
    if (!entry) return;
    this.byHash.delete(hashHex);
    this.bytes -= entry.bytes;
  }
}
