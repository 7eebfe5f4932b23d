/**
 * The main chain's first blocks as GET /chain writes them, kept assembled: consecutive segments
 * from genesis up, each the views of its blocks joined by commas (about a chunk's worth), so that
 * a repeated whole-chain answer writes kept bytes instead of gathering every view again.
 *
 * A segment is still right for a chain iff the chain holds its last block at the same height: a
 * block's hash covers its parent's, so the blocks below are then the same too. Checked on every
 * use, against the answer's own snapshot of the chain; the first that fails (a reorganisation
 * replaced a block in it) is dropped with all after it, which were built on the same block.
 * Hence no need to wait for a reorganisation depth: a segment near the tip costs one rebuild if
 * that happens.
 *
 * PERF: GET /chain of 200 blocks × 50 transfers (4.7 MB) gathered 200 views one by one and copied
 * them into 256 kB chunks on every call: the recent views' 2 MB hold less than that chain, so
 * each pass pushed out of memory what the next needed, and every view was an SQLite read (26 %
 * of the node's CPU, Buffer.concat 11 %, the garbage of both 13 %, node --cpu-prof over 20 calls).
 * Kept assembled, the node's CPU a call (bench/lib/chainReadsAlternate.ts, the builds alternated
 * call by call, medians): 20.9 -> 4.9 ms over 30 rounds at load 25, 13.9 -> 6.1 ms over 20 at
 * load 21; by the client's clock 141 -> 66 and 156 -> 121 ms (the floor's 105 in the first run).
 * With the parts written at once (routeOptions.ts sendJsonStream), against the build before both,
 * 40 rounds at load 28-31: CPU 41.2 -> 4.4 ms (lower in 40 of 40), clock 270 -> 152 ms, the
 * floor's 150; the client's own CPU for the 4.7 MB is 27-28 ms either way.
 *
 * MEMORY: bounded, not by the chain: segments are kept up to `limitBytes` in all, the lowest
 * first; past it, the rest of a chain is gathered from its views as before. Kept only while
 * they continue the cache (none past a gap), so it never holds bytes it cannot use.
 */
import type { BlockEntry } from '../chain/blockIndex.js';

export interface ChainSegment {
  /** The height of its first block: an index into the main chain. */
  readonly start: number;
  /** One past the height of its last block. */
  readonly end: number;
  /** Its last block's hash: the segment holds for a chain with that block at end - 1. */
  readonly lastHashHex: string;
  /** The views of its blocks joined by commas; a comma first unless it starts at genesis. */
  readonly bytes: Buffer;
}

export class ChainSegments {
  private readonly kept: ChainSegment[] = [];
  private keptBytes = 0;

  constructor(private readonly limitBytes: number) {}

  /** Bytes held. */
  get bytes(): number {
    return this.keptBytes;
  }

  /**
   * `head` and the kept segments' bytes that `entries` (a main chain) holds, from genesis up, and
   * the height after them; no parts if there are none.
   */
  prefixOf(entries: readonly BlockEntry[], head: string): { parts: Buffer[]; end: number } {
    const parts: Buffer[] = [];
    let end = 0;
    for (let k = 0; ; k++) {
      const segment = this.match(k, end, entries);
      if (!segment) break;
      parts.push(segment.bytes);
      end = segment.end;
    }
    if (parts.length > 0) parts.unshift(Buffer.from(head));
    return { parts, end };
  }

  /**
   * The `k`th segment if it starts at `start` and `entries` holds its blocks; undefined
   * otherwise, and dropped, with all after it, if `entries` holds other blocks there.
   */
  private match(
    k: number,
    start: number,
    entries: readonly BlockEntry[],
  ): ChainSegment | undefined {
    const segment = this.kept[k];
    if (!segment || segment.start !== start || segment.end > entries.length) return undefined;
    if (entries[segment.end - 1]?.hashHex === segment.lastHashHex) return segment;
    for (const dropped of this.kept.splice(k)) this.keptBytes -= dropped.bytes.length;
    return undefined;
  }

  /** A segment just assembled: kept if it continues the kept ones and fits in the limit. */
  offer(segment: ChainSegment): void {
    const end = this.kept[this.kept.length - 1]?.end ?? 0;
    if (segment.start !== end || this.keptBytes + segment.bytes.length > this.limitBytes) return;
    this.kept.push(segment);
    this.keptBytes += segment.bytes.length;
  }
}
