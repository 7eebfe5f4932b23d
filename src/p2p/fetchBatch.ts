/**
 * One batch of a sync's block download (fetchBodies.ts): how long it may take (batchDeadlines),
 * the request and when it is asked again (fetchBatch), and each block of the answer checked
 * against the header it was asked for (decodeExpected).
 */
import type { Chain } from '../chain/chain.js';
import {
  type Block,
  type BlockHeader,
  decodeBlock,
  fail,
  HEADER_SIZE,
  ok,
  type Result,
  toHex,
} from '../core/index.js';
import { BlocksAnswerReader } from './blocksAnswer.js';
import { headerHashOf } from './headerHash.js';
import { MAX_BLOCKS_PER_REQUEST } from './messages.js';
import { type CallProgress, callPeerReading, type LinkGate } from './peerClient.js';
import { STALL_MS, type StallTimeouts } from './stallTimeouts.js';

const BLOCKS_MAX_BYTES = MAX_BLOCKS_PER_REQUEST * 2_100_000;

/**
 * Stall detection, as Bitcoin Core's block download: a peer that stops sending mid-answer (no
 * byte for its stall timeout, STALL_MS at first) is dropped from this download, and the caller
 * (syncDriver.ts) asks the other peers. The timeout is the peer's own and adaptive
 * (stallTimeouts.ts): doubled each time it stalls, back toward STALL_MS as it delivers. The
 * other bounds scale with what was asked, and with that same factor: a serving node reads and
 * hex-encodes the whole batch before its first byte (PERF: ≈ 40 ms per full block, bench p2p
 * (c): 36.5 MB/s), and a full block is 2 MB of hex.
 */
const FIRST_BYTE_MS_PER_BLOCK = 250;
/** 2 MB of hex in 2 s: a full batch needs about 1 MB/s, what a classroom's Wi-Fi gives. */
const BLOCKS_MS_PER_BLOCK = 2_000;

/**
 * How long a batch of `count` blocks may take, to start answering and in all, from a peer given
 * `stallMs` (STALL_MS, or more once it stalled: every bound grows by the same factor).
 */
export function batchDeadlines(
  count: number,
  stallMs = STALL_MS,
): { firstByteMs: number; timeoutMs: number } {
  const factor = stallMs / STALL_MS;
  return {
    firstByteMs: Math.round(factor * (STALL_MS + count * FIRST_BYTE_MS_PER_BLOCK)),
    timeoutMs: Math.round(factor * (5_000 + count * BLOCKS_MS_PER_BLOCK)),
  };
}

export interface PendingHeader {
  readonly header: BlockHeader;
  readonly hash: Uint8Array;
  readonly hashHex: string;
}

/** What a block download needs of its sync (sync.ts SyncContext). */
export interface BodiesContext {
  readonly chain: Chain;
  readonly stalls: StallTimeouts;
  /** The version the peer's hello gave (capabilities.ts); undefined: an older peer's requests. */
  readonly peerVersion?: string | undefined;
  readonly signal?: AbortSignal;
  readonly links?: LinkGate | undefined;
  readonly onProgress?: (progress: { peer: string; height: number; targetHeight: number }) => void;
  readonly onDownloadFailed?: () => void;
  readonly othersCanServe?: (url: string) => boolean;
}

const signalOf = (ctx: BodiesContext) => ({
  ...(ctx.signal ? { signal: ctx.signal } : {}),
  links: ctx.links,
});

/**
 * A batch's blocks from a peer that takes `max_bytes` (capabilities.ts): asked with `maxBytes`,
 * the rest of the batch asked again until all came, so no answer holds more than `maxBytes` of
 * blocks (its first block always comes). Without `maxBytes`: one request for all (fetchBatch).
 * NOTE: a batch is sized by the answers that came before it (batchSizes.ts); where a chain
 * turns from small blocks to full ones, a batch asked while the first full blocks were on their
 * way was sized by the small ones: 4 full blocks in one answer, where 2 were meant
 * (test/unit/p2p/cappedBatches.test.ts).
 */
export async function fetchWholeBatch(
  ctx: BodiesContext,
  url: string,
  batch: readonly PendingHeader[],
  maxBytes: number | undefined,
): Promise<Result<Uint8Array[]>> {
  if (maxBytes === undefined) return fetchBatch(ctx, url, batch);
  const blocks: Uint8Array[] = [];
  // One count of requests that ran out of time for the whole batch, not one a part: a peer
  // answering each part with one block after a timed-out ask would otherwise stretch a batch of
  // n blocks to n × MAX_BATCH_ASKS requests (the reviewer's finding on 23cf4b7).
  const timedOut = { asks: 0 };
  while (blocks.length < batch.length) {
    const part = await fetchBatch(ctx, url, batch.slice(blocks.length), maxBytes, timedOut);
    if (!part.ok) return part;
    blocks.push(...part.value);
  }
  return ok(blocks);
}

/**
 * How many times, and for how long in all, one batch is asked of a peer before the download
 * gives up on it (P2P_TOO_SLOW, recorded as away: unscored, called again on its schedule, and
 * GET /api/info shows the sync stalled and why). NOTE: a peer that drips its answer (never a
 * stall, never done) was asked again with its deadline doubled each time: as the only peer, a
 * sync waited on it ≈ 11 minutes (test/integration/p2p/slowDripPeer.test.ts). Now at most
 * 45 s a batch, as the deadlines doubled allow: a peer given more time after earlier stalls
 * gets it within those 45 s (2 full blocks at 90 KB/s).
 */
export const MAX_BATCH_ASKS = 3;
export const BATCH_GIVE_UP_MS = 45_000;

/**
 * The bodies of one batch, as bytes (the answer's hex decoded as it comes: blocksAnswer.ts), once
 * the answer holds as many as were asked for (with `maxBytes`, the peer's max_bytes: the first of
 * them, at least one). A request
 * that runs out of time doubles the peer's stall timeout (stallTimeouts.ts) and is asked again
 * from the same peer, with the longer timeout, when no other peer could serve it, or when the
 * peer was delivering steadily (no gap as long as its stall timeout) and only the whole answer's
 * deadline passed: a slow peer that keeps sending is not cut, unless the batch's blocks came
 * from another peer meanwhile, and at most MAX_BATCH_ASKS times in BATCH_GIVE_UP_MS (`timedOut`:
 * the requests of this batch that ran out of time so far, shared by its parts). A peer that
 * stopped, with others to ask, ends this download: the caller moves it (onDownloadFailed).
 */
export async function fetchBatch(
  ctx: BodiesContext,
  url: string,
  batch: readonly PendingHeader[],
  maxBytes?: number,
  timedOut: { asks: number } = { asks: 0 },
): Promise<Result<Uint8Array[]>> {
  const { stalls } = ctx;
  const cap = maxBytes === undefined ? '' : `&max_bytes=${maxBytes}`;
  // A capped answer holds at most a full block and maxBytes more.
  const most =
    maxBytes === undefined ? batch.length : Math.min(batch.length, Math.ceil(maxBytes / 1e6) + 1);
  const began = performance.now();
  for (;;) {
    const stallMs = stalls.of(url);
    const deadlines = batchDeadlines(most, stallMs);
    const leftMs = BATCH_GIVE_UP_MS - (performance.now() - began);
    const progress: CallProgress = { bytes: 0 };
    const reader = new BlocksAnswerReader();
    const page = await callPeerReading(
      url,
      `/api/p2p/blocks?hashes=${batch.map((h) => h.hashHex).join(',')}${cap}`,
      reader,
      {
        firstByteMs: deadlines.firstByteMs,
        timeoutMs: Math.min(deadlines.timeoutMs, Math.max(deadlines.firstByteMs, leftMs)),
        stallMs,
        maxBytes: BLOCKS_MAX_BYTES,
        progress,
        ...signalOf(ctx),
      },
    );
    const read = page.ok ? reader.end() : page;
    if (read.ok) {
      const got = read.value.length;
      if (maxBytes === undefined ? got !== batch.length : got < 1 || got > batch.length) {
        return fail('P2P_BAD_RESPONSE', `asked for ${batch.length} blocks, got ${got}`);
      }
      stalls.delivered(url);
      return read;
    }
    if (page.ok) return read; // the answer came whole, but not as a blocks answer
    if (page.code !== 'P2P_TIMEOUT' || ctx.signal?.aborted) return page;
    const belowCap = stalls.stalled(url, stallMs);
    const delivering = progress.timedOut === 'deadline' && progress.bytes > 0;
    if (!belowCap || (!delivering && ctx.othersCanServe?.(url))) return page;
    // NOTE: not asked again for blocks that came meanwhile from another peer: a peer dripping
    // its answer a byte at a time (never a stall) was asked again for them, each deadline
    // doubled, for ≈ 11 minutes (test/integration/p2p/slowDripPeer.test.ts).
    if (batch.every((h) => ctx.chain.get(h.hashHex))) return page;
    const spentMs = performance.now() - began;
    timedOut.asks++;
    if (timedOut.asks >= MAX_BATCH_ASKS || spentMs >= BATCH_GIVE_UP_MS)
      return fail(
        'P2P_TOO_SLOW',
        `${timedOut.asks} requests for ${batch.length} blocks ran out of time in ${Math.round(spentMs / 1000)} s (${progress.bytes} bytes of the last came)`,
      );
  }
}

export interface Decoded {
  readonly block: Block;
  /** The bytes it was decoded from. */
  readonly bytes: Uint8Array;
  /** Its header's hash, computed here (the chain takes it: BlockOrigin.hash). */
  readonly hash: Uint8Array;
}

/**
 * Decodes block `i` of an answer (its bytes, as BlocksAnswerReader decoded its hex), which must
 * be the block whose hash is `expectedHex`. Its transactions' byte fields are views into `bytes`
 * (decodeBlock's `views`): the chain keeps the bytes anyway (saved as received), and whatever
 * keeps a transaction longer copies it (ownTx). PERF: with the answer read as bytes
 * (blocksAnswer.ts), a fresh node syncing 32 full blocks from one peer peaked at 309, 318 MB
 * resident against 367, 383 before; main thread CPU a transfer 29, 31 µs against 32, 29
 * (bench/lib/syncMemory.ts, alternated with the code before, load 10–14).
 */
export function decodeExpected(bytes: Uint8Array, expectedHex: string, i: number): Result<Decoded> {
  const decoded = decodeBlock(bytes, { views: true });
  if (!decoded.ok) return decoded;
  // The block's bytes begin with its header's (readBlock); node:crypto, as headerHash.ts says.
  const hash = headerHashOf(bytes.subarray(0, HEADER_SIZE));
  if (toHex(hash) !== expectedHex) {
    return fail('P2P_BAD_RESPONSE', `block ${i} of the answer is not ${expectedHex}`);
  }
  return ok({ block: decoded.value, bytes, hash });
}
