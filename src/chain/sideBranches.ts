/**
 * Policy, not consensus: what a node keeps of branches that are not its main chain (Bitcoin
 * Core's "too far ahead / not enough work" rules for unrequested blocks, and its pruning). A
 * valid proof of work costs milliseconds on the tutorial network, so without these anyone who
 * can reach the node could store blocks in it without end (30 side blocks of 1.1 MB added 33.7 MB).
 *
 * - A block nobody asked for (POST /api/blocks) that would not become the tip is kept only if its
 *   branch leaves the main chain at most MAX_UNREQUESTED_FORK_DEPTH blocks below the tip, its
 *   sender is within its rate (a token bucket per source) and the unrequested side blocks kept
 *   stay within a count and a byte budget.
 * - Blocks a sync asked for pass: sync fetches bodies only for a branch whose checked headers
 *   lead to more work than the tip (src/p2p/sync.ts), which is the rule that decides, at any depth.
 * - Side branches whose every block is more than SIDE_PRUNE_DEPTH below the tip are deleted. If
 *   such a branch ever gets more work, a sync fetches it again from the fork point.
 *
 * docs/protocol.md (§Side branches) gives the figures and the bound they put on the database.
 */
import { fail, ok, type Result } from '../core/index.js';
import type { BlockEntry, BlockIndex } from './blockIndex.js';

export const MAX_UNREQUESTED_FORK_DEPTH = 12;
export const SIDE_PRUNE_DEPTH = 100;
export const MAX_UNREQUESTED_SIDE_BLOCKS = 256;
export const MAX_UNREQUESTED_SIDE_BYTES = 8 * 1024 * 1024;
/** Per source: a burst of this many side blocks, then one every SIDE_REFILL_MS. */
export const SIDE_BURST = 16;
export const SIDE_REFILL_MS = 5_000;
const MAX_SOURCES = 1_024;

export interface SideLimits {
  readonly maxForkDepth: number;
  readonly pruneDepth: number;
  readonly maxCount: number;
  readonly maxBytes: number;
  readonly burst: number;
  readonly refillMs: number;
}

export const DEFAULT_SIDE_LIMITS: SideLimits = {
  maxForkDepth: MAX_UNREQUESTED_FORK_DEPTH,
  pruneDepth: SIDE_PRUNE_DEPTH,
  maxCount: MAX_UNREQUESTED_SIDE_BLOCKS,
  maxBytes: MAX_UNREQUESTED_SIDE_BYTES,
  burst: SIDE_BURST,
  refillMs: SIDE_REFILL_MS,
};

/** Off: every valid side block is kept forever (bench side-spam measures the difference). */
export const NO_SIDE_LIMITS: SideLimits = {
  maxForkDepth: Number.POSITIVE_INFINITY,
  pruneDepth: Number.POSITIVE_INFINITY,
  maxCount: Number.POSITIVE_INFINITY,
  maxBytes: Number.POSITIVE_INFINITY,
  burst: Number.POSITIVE_INFINITY,
  refillMs: 1,
};

export class SideBranches {
  /** Blocks in the index that are not on the main chain; `bytes` counted only if unrequested. */
  private readonly side = new Map<BlockEntry, number>();
  private unrequestedBytes = 0;
  private unrequestedCount = 0;
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(
    private readonly index: BlockIndex,
    private readonly now: () => number,
    private readonly limits: SideLimits = DEFAULT_SIDE_LIMITS,
  ) {}

  get count(): number {
    return this.side.size;
  }

  /**
   * Whether an unrequested block on `parent` that would not become the tip may be stored. Takes
   * a token from `source` only when it may.
   */
  admit(source: string, parent: BlockEntry, bytes: number): Result {
    const { tip } = this.index;
    const depth = tip.header.height - this.index.forkPoint(tip, parent).header.height;
    if (depth > this.limits.maxForkDepth) {
      return fail(
        'POLICY_FORK_TOO_DEEP',
        `the block's branch leaves the main chain ${depth} blocks below the tip; unrequested side blocks are kept within ${this.limits.maxForkDepth}. A branch with more work than the main chain is fetched by sync: announce its headers`,
      );
    }
    if (
      this.unrequestedCount + 1 > this.limits.maxCount ||
      this.unrequestedBytes + bytes > this.limits.maxBytes
    ) {
      return fail(
        'POLICY_SIDE_BLOCKS_FULL',
        `the node keeps at most ${this.limits.maxCount} unrequested side blocks and ${this.limits.maxBytes} bytes of them; it has ${this.unrequestedCount} (${this.unrequestedBytes} bytes) until the main chain moves on`,
      );
    }
    const bucket = this.bucketOf(source);
    if (bucket.tokens < 1) {
      return fail(
        'POLICY_SIDE_BLOCK_RATE',
        `${source} sent side blocks faster than ${this.limits.burst} at once and one every ${this.limits.refillMs / 1000} s`,
      );
    }
    bucket.tokens--;
    return ok();
  }

  /** A block stored off the main chain (it may be connected right after: see onConnected). */
  onStored(entry: BlockEntry, unrequestedBytes: number): void {
    this.side.set(entry, unrequestedBytes);
    if (unrequestedBytes > 0) {
      this.unrequestedCount++;
      this.unrequestedBytes += unrequestedBytes;
    }
  }

  onConnected(entry: BlockEntry): void {
    this.forget(entry);
  }

  onDisconnected(entry: BlockEntry): void {
    this.side.set(entry, 0);
  }

  /**
   * The side branches to delete now: each hangs off the main chain and lies wholly more than
   * pruneDepth below the tip. They are forgotten here; the caller removes them from the index
   * and the store.
   */
  takePrunable(): BlockEntry[] {
    const cutoff = this.index.tip.header.height - this.limits.pruneDepth;
    if (cutoff <= 0) return [];
    const pruned: BlockEntry[] = [];
    for (const entry of [...this.side.keys()]) {
      // Only roots: a block whose parent is on the main chain (children go with their root).
      if (!entry.parent || !this.index.isOnMain(entry.parent)) continue;
      if (entry.header.height >= cutoff) continue;
      const subtree = this.subtreeOf(entry);
      if (subtree.some((e) => e.header.height >= cutoff)) continue;
      for (const e of subtree) this.forget(e);
      pruned.push(...subtree);
    }
    return pruned;
  }

  private subtreeOf(root: BlockEntry): BlockEntry[] {
    const found: BlockEntry[] = [];
    const stack = [root];
    for (let e = stack.pop(); e; e = stack.pop()) {
      found.push(e);
      stack.push(...this.index.childrenOf(e));
    }
    return found;
  }

  private forget(entry: BlockEntry): void {
    const bytes = this.side.get(entry);
    if (bytes === undefined) return;
    this.side.delete(entry);
    if (bytes > 0) {
      this.unrequestedCount--;
      this.unrequestedBytes -= bytes;
    }
  }

  private bucketOf(source: string): { tokens: number; atMs: number } {
    const nowMs = this.now();
    const { burst, refillMs } = this.limits;
    let bucket = this.buckets.get(source);
    if (bucket) {
      this.buckets.delete(source); // re-inserted below: the Map's order is least recently used first
      bucket.tokens = Math.min(burst, bucket.tokens + (nowMs - bucket.atMs) / refillMs);
      bucket.atMs = nowMs;
    } else bucket = { tokens: burst, atMs: nowMs };
    this.buckets.set(source, bucket);
    if (this.buckets.size > MAX_SOURCES) this.buckets.delete(this.buckets.keys().next().value!);
    return bucket;
  }
}
