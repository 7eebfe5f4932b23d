/**
 * A sync's block download (sync.ts, step 4): the bodies of a checked branch, from one peer, in
 * batches, added in order, the signatures of the next few checked on other cores meanwhile.
 *
 * The first request depends on what the peer understands (capabilities.ts): a peer since 0.2.0
 * is asked for up to 64 blocks with `max_bytes` and answers those that fit, so a short branch of
 * small blocks comes in one request and a branch of full blocks still starts with one block; an
 * older peer gets the slow start of 1, 2, 4 and 8 blocks, then 16 a request.
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
import { takesCappedBlocks } from './capabilities.js';
import { blockAdded } from './collectGarbage.js';
import { headerHashOf } from './headerHash.js';
import { MAX_BLOCKS_PER_CAPPED_REQUEST, MAX_BLOCKS_PER_REQUEST } from './messages.js';
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
 * Blocks decoded, and their signature checks started (chain.verifyAhead), ahead of the one being
 * added. PERF: the checks run on other cores while this thread connects the block before (state,
 * SQLite); a few keep those cores busy when one block takes this thread longer than another, and
 * no more than VERIFY_AHEAD_BLOCKS + 1 decoded blocks are held at once.
 */
const VERIFY_AHEAD_BLOCKS = 4;

/**
 * The sizes of the first batches asked for, before MAX_BLOCKS_PER_REQUEST each. PERF: a batch of
 * 16 full blocks takes 1.7 s to come (measured, bench/p2p.ts); a small first one gets work going.
 */
const FIRST_BATCHES = [1, 2, 4, 8];

/**
 * How many batches are asked for at once: two (the one being added and the next), as big blocks
 * need; once an answer shows small blocks (under SMALL_BLOCK_HEX_CHARS of hex each), as many as
 * hold MAX_SMALL_BLOCKS_IN_FLIGHT blocks. PERF: a 20-block branch of small blocks took 5 round
 * trips one after the other (bench/adopt.ts), now 2. NOTE: big blocks asked for all at once
 * would make the peer encode them all before the first answer, past its first-byte deadline
 * (batchDeadlines) on a busy machine.
 */
const BATCHES_IN_FLIGHT = 2;
const SMALL_BLOCK_HEX_CHARS = 64 * 1024;
const MAX_SMALL_BLOCKS_IN_FLIGHT = 2 * MAX_BLOCKS_PER_REQUEST;

/**
 * The hex a batch asks for, by the biggest block of the answer before it: each answer is held
 * whole until its blocks are decoded (its blocks' bytes, since blocksAnswer.ts; its text, then
 * its strings, before), BATCHES_IN_FLIGHT of them.
 * PERF: batches of 16 full blocks were 32 MB of hex each. With a full collection every
 * COLLECT_EVERY_BYTES of blocks (collectGarbage.ts), a fresh node syncing 32 full blocks from one
 * peer peaks at 281–286 MB resident instead of 476–735 (bench/lib/syncMemory.ts, alternated with
 * the code before, load 9–13). Smaller batches alone did not lower it (548, 476 MB): what a
 * sync leaves is garbage V8 had not collected. NOTE: those bench nodes verified on libuv's pool
 * (their signature workers did not start when compiled, fixed since); with the workers the peak
 * was 410–431 MB, 354–376 MB with WORKER_LIMITS (signatureWorkers.ts).
 */
const BATCH_HEX_CHARS = 4_000_000;

/**
 * The blocks the next batch asks for: `ramped` (the slow start's, or MAX_BLOCKS_PER_REQUEST), fewer
 * if blocks as big as the last answer's biggest (`lastHex` characters of hex; 0: no answer yet)
 * would pass BATCH_HEX_CHARS; at least one.
 */
export function batchSize(ramped: number, lastHex: number): number {
  if (lastHex === 0) return ramped;
  return Math.max(1, Math.min(ramped, Math.floor(BATCH_HEX_CHARS / lastHex)));
}

/**
 * `max_bytes` of the first request to a peer that takes it: up to 64 blocks of 8 KB come in one
 * answer; a full block (1 MB) comes alone, as the slow start's first batch of 1.
 */
export const FIRST_REQUEST_BYTES = 512 * 1024;

/** The characters of hex the biggest of `blocks` came as (0: none). */
const hexOfBiggest = (blocks: readonly Uint8Array[]): number =>
  2 * blocks.reduce((most, block) => Math.max(most, block.length), 0);

/** Fetches and adds the bodies of `branch` in order; the number of blocks added. */
export async function fetchBodies(
  ctx: BodiesContext,
  url: string,
  branch: readonly PendingHeader[],
): Promise<Result<number>> {
  const { chain } = ctx;
  // From a peer since 0.2.0, the first request asks for up to 64 blocks, and the answer holds
  // those that fit in FIRST_REQUEST_BYTES. PERF: a 20-block branch of small blocks came in 5
  // requests over 2 round trips one after the other (bench/adopt.ts); now 1. bench adopt, this
  // form against the older one, alternating (load 4.9–5.9): register + resolve on a running
  // node 38.9, 50.6 ms against 45.5, 50.8; 20-block gossip 37.4, 29.1 ms against 64.3, 46.0.
  let first: { asked: readonly PendingHeader[]; answer: Result<Uint8Array[]> } | undefined;
  if (takesCappedBlocks(ctx.peerVersion)) {
    const asked = branch.slice(0, MAX_BLOCKS_PER_CAPPED_REQUEST);
    first = { asked, answer: await fetchBatch(ctx, url, asked, FIRST_REQUEST_BYTES) };
    if (!first.answer.ok) return downloadFailed(ctx, first.answer);
  }
  const firstBlocks = first?.answer.ok ? first.answer.value : [];
  // After a first answer that held every block asked for, the blocks are small: 16 a request.
  // After one that held fewer, the slow start goes on (2, 4, 8); without one, it starts at 1.
  const whole = first !== undefined && firstBlocks.length === first.asked.length;
  const ramp = whole ? [] : FIRST_BATCHES.slice(first ? 1 : 0);
  const batches: PendingHeader[][] = [];
  /** Where each block of the branch planned so far is: its batch, and its place in the batch. */
  const where: { batch: number; at: number }[] = [];
  /** The biggest block's hex in the last answer that came (0: none yet). */
  let lastHex = hexOfBiggest(firstBlocks);
  /** Plans the next batch, as it is asked for: its size by the ramp and the last answer's blocks. */
  const plan = (size: number): void => {
    const b = batches.length;
    const batch = branch.slice(where.length, where.length + size);
    batches.push(batch);
    for (const at of batch.keys()) where.push({ batch: b, at });
  };
  /** Takes back the last batch planned, not asked for: it is planned again when there is room. */
  const unplan = (): void => {
    where.length -= batches.pop()!.length;
  };
  if (first) plan(firstBlocks.length);
  const nextSize = (): number =>
    batchSize(ramp[batches.length - (first ? 1 : 0)] ?? MAX_BLOCKS_PER_REQUEST, lastHex);
  // Batches are asked for while fewer than BATCHES_IN_FLIGHT are on their way or waiting to be
  // decoded, or, once the blocks are known to be small, while their blocks fit in
  // MAX_SMALL_BLOCKS_IN_FLIGHT; each is dropped once decoded.
  const requests = new Map<number, Promise<void>>();
  const answers = new Map<number, Result<Uint8Array[]>>();
  let requested = 0;
  let requestedBlocks = 0;
  let finishedBatches = 0;
  let smallBlocks = whole && hexOfBiggest(firstBlocks) < SMALL_BLOCK_HEX_CHARS;
  if (first) {
    answers.set(0, ok(firstBlocks));
    requests.set(0, Promise.resolve());
    requested = 1;
    requestedBlocks = firstBlocks.length;
  }
  const requestMore = () => {
    for (;;) {
      if (requested === batches.length) {
        if (where.length === branch.length) return;
        plan(nextSize());
      }
      const size = batches[requested]!.length;
      const waiting = requestedBlocks - decoded;
      const room = smallBlocks
        ? waiting + size <= MAX_SMALL_BLOCKS_IN_FLIGHT
        : requested - finishedBatches < BATCHES_IN_FLIGHT;
      if (waiting > 0 && !room) {
        // NOTE: a batch is sized when it is asked for, by the answers that came by then. Sized
        // when the one before it was asked for, it took the small blocks' size where the branch
        // turns to full blocks: a sync of full blocks asked for 4 blocks (8 MB of hex), then 4
        // again, where 2 were meant (test/integration/p2p/fullBlockSyncHostile.test.ts).
        unplan();
        return;
      }
      const b = requested++;
      requestedBlocks += size;
      requests.set(
        b,
        fetchBatch(ctx, url, batches[b]!).then((answer) => {
          answers.set(b, answer);
          smallBlocks = answer.ok && hexOfBiggest(answer.value) < SMALL_BLOCK_HEX_CHARS;
          if (answer.ok) lastHex = hexOfBiggest(answer.value);
        }),
      );
    }
  };
  /** Block i of the branch, decoded and checked, or why not; undefined if its batch is not here. */
  const decodeAt = (i: number): Result<Decoded> | undefined => {
    if (i >= where.length) return undefined; // its batch is not asked for yet
    const { batch, at } = where[i]!;
    const answer = answers.get(batch);
    if (!answer?.ok) return answer;
    if (at === batches[batch]!.length - 1) {
      answers.delete(batch);
      requests.delete(batch);
      finishedBatches++;
    }
    return decodeExpected(answer.value[at]!, branch[i]!.hashHex, at);
  };
  const ahead: Result<Decoded>[] = [];
  let decoded = 0;
  let failed = false;
  let added = 0;
  try {
    return await addInOrder();
  } finally {
    chain.commitHeld();
  }

  async function addInOrder(): Promise<Result<number>> {
    let held = 0;
    for (let i = 0; i < branch.length; i++) {
      // Every block before i is decoded, so block i's batch is asked for by now.
      requestMore();
      await requests.get(where[i]!.batch);
      // This block and the next few, as far as their batches have come, in order; a failure is
      // reported when its turn comes, after the blocks before it are added, and nothing after it
      // is decoded.
      while (!failed && decoded <= i + VERIFY_AHEAD_BLOCKS && decoded < branch.length) {
        const block = decodeAt(decoded);
        if (!block) break;
        ahead.push(block);
        decoded++;
        if (block.ok) chain.verifyAhead(block.value.block, block.value.bytes, block.value.hash);
        else failed = true;
      }
      if (!failed) requestMore();
      const block = ahead.shift()!;
      if (!block.ok) return downloadFailed(ctx, block);
      if (ctx.signal?.aborted) return fail('P2P_TIMEOUT', 'the sync was stopped');
      const { block: body, bytes, hash } = block.value;
      // PERF: stored as received (no encodeBlock again), and held (Chain.commitHeld): a sync's
      // blocks were stored and connected in two SQL commits each; now one commit per batch
      // that came, or sooner. A crash before the commit leaves the chain as after the last
      // one (test/integration/p2p/killMidSync.test.ts); the peer still has the rest. Adding
      // 200 small blocks: 0.87 → 0.38 ms each (load 17); register + resolve onto 20 blocks, a
      // running node, before/after alternating twice (load 4–5): 60.1, 56.5 → 51.9, 53.1 ms.
      const outcome = await chain.addBlock(body, { bytes, hash, held: true });
      if (!outcome.ok) return outcome;
      added++;
      blockAdded(bytes.length);
      // The blocks held are committed before the sync waits for more, or once a batch's worth.
      if (
        ++held >= MAX_BLOCKS_PER_REQUEST ||
        (ahead.length === 0 && !answers.has(where[i + 1]?.batch ?? -1))
      ) {
        chain.commitHeld();
        held = 0;
      }
      ctx.onProgress?.({
        peer: url,
        height: chain.tip.header.height,
        targetHeight: branch[branch.length - 1]!.header.height,
      });
    }
    return ok(added);
  }
}

/** A download that failed: a peer that did not deliver has the others asked (syncDriver.ts). */
function downloadFailed<T>(ctx: BodiesContext, failure: Result<T> & { ok: false }): Result<number> {
  if (failure.code === 'P2P_TIMEOUT' || failure.code === 'P2P_UNREACHABLE')
    ctx.onDownloadFailed?.();
  return failure;
}

/**
 * The bodies of one batch, as bytes (the answer's hex decoded as it comes: blocksAnswer.ts), once
 * the answer holds as many as were asked for (with `maxBytes`, the peer's max_bytes: the first of
 * them, at least one). A request
 * that runs out of time doubles the peer's stall timeout (stallTimeouts.ts) and is asked again
 * from the same peer, with the longer timeout, when no other peer could serve it, or when the
 * peer was delivering steadily (no gap as long as its stall timeout) and only the whole answer's
 * deadline passed: a slow peer that keeps sending is not cut, unless the batch's blocks came
 * from another peer meanwhile. A peer that stopped, with others
 * to ask, ends this download: the caller moves it (onDownloadFailed).
 */
async function fetchBatch(
  ctx: BodiesContext,
  url: string,
  batch: readonly PendingHeader[],
  maxBytes?: number,
): Promise<Result<Uint8Array[]>> {
  const { stalls } = ctx;
  const cap = maxBytes === undefined ? '' : `&max_bytes=${maxBytes}`;
  // A capped answer holds at most a full block and maxBytes more.
  const most =
    maxBytes === undefined ? batch.length : Math.min(batch.length, Math.ceil(maxBytes / 1e6) + 1);
  for (;;) {
    const stallMs = stalls.of(url);
    const progress: CallProgress = { bytes: 0 };
    const reader = new BlocksAnswerReader();
    const page = await callPeerReading(
      url,
      `/api/p2p/blocks?hashes=${batch.map((h) => h.hashHex).join(',')}${cap}`,
      reader,
      {
        ...batchDeadlines(most, stallMs),
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
  }
}

interface Decoded {
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
