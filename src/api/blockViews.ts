/**
 * Blocks' JSON views, built once and kept in the store, and whole-chain answers streamed from
 * them. A block's tutorial view (src/api/views.ts tutorialBlock) depends on nothing but the block
 * and the network, so it is built the first time it is read, stored beside the block, and never
 * built again; a chain is then written out view after view, in chunks, as the client reads it.
 *
 * PERF: GET /chain of 200 blocks × 50 transfers (4.7 MB) took 308–373 ms and 360 MB at its peak
 * when every block was read, decoded and turned into objects on every call; from stored views it
 * is one SQLite read and one socket write per block (measured: bench/reads.ts); and the chain's
 * first blocks' views are kept assembled, so a repeated answer mostly writes kept bytes
 * (chainSegments.ts).
 */
import { Readable } from 'node:stream';
import type { BlockEntry } from '../chain/blockIndex.js';
import type { Chain } from '../chain/chain.js';
import { type Block, ownBytes } from '../core/index.js';
import { RecentMap } from '../core/recentMap.js';
import type { BlockView, ChainStore } from '../storage/types.js';
import { ChainSegments } from './chainSegments.js';
import { tutorialBlock } from './views.js';

/** Views gathered before one write to the socket (and one SQLite transaction for new ones). */
const CHUNK_BYTES = 256 * 1024;
const COMMA = Buffer.from(',');

/**
 * Views kept in memory besides the store, newest used last, up to this many bytes in all; a
 * bigger view (a full block's is ~3 MB) is never kept. PERF: GET /chain and /nodes/resolve read
 * each view from SQLite, one query per block: 61 % of a 400-block /chain's CPU (node --cpu-prof,
 * bench/tmpAdd-style loop); from memory, a map lookup. 2 MB holds ~2,000 small blocks' views.
 */
const RECENT_VIEW_BYTES = 2 * 1024 * 1024;
const MAX_KEPT_VIEW_BYTES = 64 * 1024;

/**
 * The main chain's first views kept assembled, up to this many bytes (chainSegments.ts).
 * MEMORY: a constant, whatever the chain's length; it holds the first ~8 MB of a chain's answer.
 */
const SEGMENT_BYTES = 8 * 1024 * 1024;

/**
 * Blocks just connected are kept in hand, up to this many and only small ones, until their view
 * is built from them. PERF: a resolve's answer holds the blocks it has just added; their views
 * were built by asking SQLite for a view it did not have, reading and decoding the block back, and
 * hashing its header and transactions again: ≈ 5 % of a running node's CPU for a register +
 * resolve onto 20 blocks (bench/lib/adoptProfile.ts, 30 rounds: getOrBuild 7.4 ms of
 * 77 profiled, 4.5 of them those reads and hashes). At most 32 × 16 transactions are held.
 */
const IN_HAND_BLOCKS = 32;
const IN_HAND_MAX_TXS = 16;

interface InHand {
  readonly block: Block;
  readonly txIds: readonly Uint8Array[];
}

/** Who mined a block (its coinbase's recipient) and the fees its transfers paid. */
export interface BlockSummary {
  readonly minedBy: Uint8Array;
  readonly feesUnits: bigint;
}

export class BlockViews {
  /**
   * PERF: by hash, made from the block in hand when it is connected, or by decoding it once: a
   * page of blocks with who mined them and their fees decodes no block twice. About 100 bytes a
   * block (10 MB for 100,000).
   */
  private readonly summaries = new Map<string, BlockSummary>();

  /** Recently read or built views by hash, in the order of use (a Map keeps insertion order). */
  private readonly recent = new Map<string, BlockView>();
  private recentBytes = 0;

  /** Small blocks connected lately whose view has not been built yet (IN_HAND_BLOCKS). */
  private readonly inHand = new RecentMap<string, InHand>(IN_HAND_BLOCKS);

  /** The main chain's first blocks' views, assembled as whole-chain answers write them. */
  private readonly segments: ChainSegments;

  constructor(
    private readonly chain: Chain,
    /** Where the views are kept: beside the blocks. */
    private readonly store: Pick<ChainStore, 'getBlockView' | 'saveBlockViews'>,
    private readonly chunkBytes = CHUNK_BYTES,
    private readonly recentLimitBytes = RECENT_VIEW_BYTES,
    segmentLimitBytes = SEGMENT_BYTES,
  ) {
    this.segments = new ChainSegments(segmentLimitBytes);
  }

  /**
   * A block connected: its summary made from the block in hand, and a small block kept until its
   * view is built (src/node/wireEvents.ts). `txIds`: its transactions' ids, as the chain hashed them.
   */
  onConnected(entry: BlockEntry, block: Block, txIds?: readonly Uint8Array[]): void {
    this.summaries.set(entry.hashHex, summarise(block));
    if (txIds && block.txs.length <= IN_HAND_MAX_TXS && !this.recent.has(entry.hashHex))
      this.inHand.set(entry.hashHex, { block, txIds });
  }

  summary(entry: BlockEntry): BlockSummary {
    let summary = this.summaries.get(entry.hashHex);
    if (!summary) {
      summary = summarise(this.chain.getBlock(entry));
      this.summaries.set(entry.hashHex, summary);
    }
    return summary;
  }

  /** The view of `entry`'s block, built (and stored) now if it never was. */
  get(entry: BlockEntry): BlockView {
    const fresh: BlockView[] = [];
    const view = this.getOrBuild(entry, fresh);
    this.store.saveBlockViews(fresh);
    return view;
  }

  /** How many transactions the block holds, without decoding it once its view exists. */
  txCount(entry: BlockEntry): number {
    return this.get(entry).txCount;
  }

  /**
   * `head`, the views of `entries` as a JSON array's items, then `tail`, as a stream written
   * chunk by chunk as the socket drains: memory stays flat in the chain's length. `entries` is
   * the caller's snapshot; blocks are never deleted, so a reorganisation meanwhile changes
   * nothing in the answer.
   */
  stream(entries: readonly BlockEntry[], head: string, tail: string): Readable {
    const { parts, end } = this.segments.prefixOf(entries, head);
    const built = this.built(entries, end, parts.length > 0 ? '' : head, tail);
    return Readable.from(withRest(parts, built), { objectMode: false });
  }

  /**
   * The same answer as `stream`'s, as its parts when they are all at hand: the chain's kept
   * segments and at most one chunk built now. PERF: written at once with its length, without a
   * stream's machinery, chunked encoding and a wait for the socket to drain after each chunk
   * (routeOptions.ts sendJsonStream; a resolve onto 20 blocks, whose answer is ≈ 40 kB, is one
   * part: see bench/adopt.ts). A longer one is streamed, the two chunks it built first.
   */
  answer(entries: readonly BlockEntry[], head: string, tail: string): Buffer[] | Readable {
    const { parts, end } = this.segments.prefixOf(entries, head);
    const built = this.built(entries, end, parts.length > 0 ? '' : head, tail);
    for (let pulled = 0; pulled < 2; pulled++) {
      const next = built.next();
      if (next.done) return parts;
      parts.push(next.value);
    }
    return Readable.from(withRest(parts, built), { objectMode: false });
  }

  /**
   * `lead` (the head, unless it went before kept segments), the views of `entries` from `start`
   * on, then `tail`, in chunks; each chunk offered to the kept segments.
   */
  private *built(
    entries: readonly BlockEntry[],
    start: number,
    lead: string,
    tail: string,
  ): Generator<Buffer, void> {
    let parts: Uint8Array[] = [Buffer.from(lead)];
    let leadBytes = parts[0]!.length;
    let size = 0;
    let fresh: BlockView[] = [];
    try {
      for (let i = start; i < entries.length; i++) {
        const entry = entries[i]!;
        if (i > 0) parts.push(COMMA);
        const view = this.getOrBuild(entry, fresh);
        parts.push(view.tutorial);
        size += view.tutorial.length + 1;
        if (size >= this.chunkBytes) {
          this.store.saveBlockViews(fresh);
          fresh = [];
          const chunk = Buffer.concat(parts);
          // The segment's bytes are the chunk's, past the head (no copy).
          const bytes = chunk.subarray(leadBytes);
          this.segments.offer({ start, end: i + 1, lastHashHex: entry.hashHex, bytes });
          yield chunk;
          parts = [];
          leadBytes = 0;
          size = 0;
          start = i + 1;
        }
      }
      parts.push(Buffer.from(tail));
      yield Buffer.concat(parts);
    } finally {
      // PERF: the last views built are stored once the answer's last bytes are on their way (or
      // it was given up): a resolve onto 20 new blocks wrote their views (an SQL transaction,
      // ≈ 5 % of a running node's register + resolve, node --cpu-prof) before answering.
      this.store.saveBlockViews(fresh);
    }
  }

  private getOrBuild(entry: BlockEntry, fresh: BlockView[]): BlockView {
    const kept = this.recent.get(entry.hashHex);
    if (kept) {
      this.recent.delete(entry.hashHex); // used now: moves to the end
      this.recent.set(entry.hashHex, kept);
      return kept;
    }
    const inHand = this.inHand.get(entry.hashHex);
    // A block connected in this process whose view was never built: none is stored either (or,
    // after a reorganisation back to it, the same bytes are: INSERT OR IGNORE keeps them).
    let view = inHand ? undefined : this.store.getBlockView(entry.hash);
    if (!view) {
      const block = inHand?.block ?? this.chain.getBlock(entry);
      const known = inHand && { hashHex: entry.hashHex, txIds: inHand.txIds };
      view = {
        hash: entry.hash,
        txCount: block.txs.length,
        tutorial: Buffer.from(JSON.stringify(tutorialBlock(block, this.chain.params, known))),
      };
      fresh.push(view);
      this.inHand.delete(entry.hashHex);
    }
    this.keep(entry.hashHex, view);
    return view;
  }

  /** Keeps a small view in memory, forgetting the least recently used beyond the limit. */
  private keep(hashHex: string, view: BlockView): void {
    const size = view.tutorial.length;
    if (size > MAX_KEPT_VIEW_BYTES || size > this.recentLimitBytes) return;
    this.recent.set(hashHex, view);
    this.recentBytes += size;
    // NOTE: only past the limit: an iterator starts at the Map's front, over the holes that the
    // views moved to its end by getOrBuild left there.
    if (this.recentBytes <= this.recentLimitBytes) return;
    for (const [oldest, old] of this.recent) {
      if (this.recentBytes <= this.recentLimitBytes) break;
      this.recent.delete(oldest);
      this.recentBytes -= old.tutorial.length;
    }
  }
}

function summarise(block: Block): BlockSummary {
  let feesUnits = 0n;
  for (const tx of block.txs) if (tx.type === 'transfer') feesUnits += tx.fee;
  // ownBytes: kept for the node's life, it must not keep a synced block's bytes (a view into them).
  const to = block.txs[0]?.to;
  return { minedBy: to ? ownBytes(to) : new Uint8Array(32), feesUnits };
}

/** `parts`, then what `rest` yields; given up early, `rest` is closed (its finally runs). */
function* withRest(parts: readonly Buffer[], rest: Generator<Buffer, void>): Generator<Buffer> {
  try {
    yield* parts;
    yield* rest;
  } finally {
    rest.return(); // given up early: rest's own finally stores the views it built
  }
}
