/**
 * Headers-first sync from one peer (as Bitcoin Core since 0.10):
 *
 *   1. ask for the headers after our block locator, in pages of up to 2,000;
 *   2. check each header — proof of work, link to the one before, the target and time the chain
 *      requires — before anything else is fetched;
 *   3. only if the headers lead to more cumulative work than our tip, fetch the bodies in
 *      batches of 1, 2, 4, 8, then 16 (two at a time, or up to 32 blocks at a time once
 *      they are known to be small), and add them in order, the signatures of the next few
 *      checked on other cores meanwhile, their commits synced to disk once at the end;
 *   4. stop at the first invalid header or block; the caller scores the peer by its code.
 *
 * What the peer says about its own height or work is never used to decide anything.
 */
import type { Static } from '@sinclair/typebox';
import type { Chain } from '../chain/chain.js';
import {
  type Block,
  type BlockHeader,
  checkHeader,
  decodeBlock,
  decodeHeader,
  fail,
  fromHex,
  hashHeader,
  headerContext,
  ok,
  type Result,
  toHex,
  validateHeader,
  workFromBits,
} from '../core/index.js';
import { blockLocator } from './locator.js';
import {
  BlocksPage,
  HeadersPage,
  MAX_BLOCKS_PER_REQUEST,
  MAX_HEADERS_PER_PAGE,
} from './messages.js';
import { type CallProgress, callPeer, type LinkGate } from './peerClient.js';
import { STALL_MS, StallTimeouts } from './stallTimeouts.js';

/** Headers kept in memory while deciding whether a branch is worth its bodies. */
const MAX_PENDING_HEADERS = 100_000;
const BLOCKS_MAX_BYTES = MAX_BLOCKS_PER_REQUEST * 2_100_000;

/**
 * Stall detection, as Bitcoin Core's block download: a peer that stops sending mid-answer (no
 * byte for its stall timeout, STALL_MS at first) is dropped from this download, and the caller
 * (network.ts) asks the other peers. The timeout is the peer's own and adaptive
 * (stallTimeouts.ts): doubled each time it stalls, back toward STALL_MS as it delivers. The
 * other bounds scale with what was asked, and with that same factor: a serving node reads and
 * hex-encodes the whole batch before its first byte (PERF: ≈ 40 ms per full block, bench p2p
 * (c): 36.5 MB/s), and a full block is 2 MB of hex.
 */
export { STALL_MS } from './stallTimeouts.js';

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

export interface SyncProgress {
  readonly peer: string;
  readonly height: number;
  readonly targetHeight: number;
}

export interface SyncContext {
  readonly chain: Chain;
  readonly now: () => number;
  readonly timeoutMs: number;
  readonly onProgress?: (progress: SyncProgress) => void;
  /** The peer failed to deliver bodies it had shown headers for (stalled, timed out, went away). */
  readonly onDownloadFailed?: () => void;
  /** Ends the sync early (the node is closing). */
  readonly signal?: AbortSignal;
  /** The lab's links (--lab only). */
  readonly links?: LinkGate | undefined;
  /** Each peer's stall timeout (the node's, kept across syncs; a fresh one if not given). */
  readonly stalls?: StallTimeouts;
  /**
   * Whether another peer could be asked for blocks `url` stalled on: then the download moves
   * (onDownloadFailed); if not, the same peer is asked again with its longer timeout.
   */
  readonly othersCanServe?: (url: string) => boolean;
  /**
   * The first headers page, if it was asked for already (prefetchHeaders): used instead of
   * asking again, unless that call failed.
   */
  readonly firstPage?: Promise<Result<HeadersAnswer>>;
}

export type HeadersAnswer = Static<typeof HeadersPage>;

export interface SyncOutcome {
  readonly headers: number;
  readonly blocks: number;
}

interface PendingHeader {
  readonly header: BlockHeader;
  readonly hash: Uint8Array;
  readonly hashHex: string;
}

const signalOf = (ctx: SyncContext) => ({
  ...(ctx.signal ? { signal: ctx.signal } : {}),
  links: ctx.links,
});

/** Syncs from `url` until it has nothing better; a failure is the first thing that was wrong. */
export async function syncFromPeer(given: SyncContext, url: string): Promise<Result<SyncOutcome>> {
  const ctx = given.stalls ? given : { ...given, stalls: new StallTimeouts() };
  let headers = 0;
  let blocks = 0;
  for (;;) {
    const branch = await fetchBetterHeaders(ctx, url);
    if (!branch.ok) return branch;
    headers += branch.value.headers.length;
    if (branch.value.headers.length === 0) return ok({ headers, blocks });
    const connected = await ctx.chain.deferDurability(() =>
      fetchBodies(ctx, url, branch.value.headers),
    );
    if (!connected.ok) return connected;
    blocks += connected.value;
    // PERF: a last page that was not full was all the peer had: no round trip to hear it again.
    // (A block it gets meanwhile, it announces, and that starts the next sync.)
    if (!branch.value.more) return ok({ headers, blocks });
  }
}

/**
 * The headers the peer has after our locator, checked, once they lead to more work than our
 * tip; an empty list if they do not (or there are none). `more`: the last page was full, so the
 * peer may have more after them.
 */
async function fetchBetterHeaders(
  ctx: SyncContext,
  url: string,
): Promise<Result<{ headers: PendingHeader[]; more: boolean }>> {
  const { chain } = ctx;
  const pending: PendingHeader[] = [];
  let work = 0n;
  let prefetched = ctx.firstPage;
  for (;;) {
    // After the first page, the last header received leads the locator: the peer goes on from it.
    const last = pending[pending.length - 1];
    const stallMs = ctx.stalls!.of(url);
    const early = prefetched && (await prefetched);
    prefetched = undefined;
    const page = early?.ok ? early : await requestHeaders(ctx, url, last?.hashHex);
    if (!page.ok) {
      // The sync ends (a headers page is small: a peer that cannot send it is away), but the next
      // one gives this peer longer.
      if (page.code === 'P2P_TIMEOUT') ctx.stalls!.stalled(url, stallMs);
      return page;
    }
    const checked = checkHeaders(ctx, page.value.headers, pending);
    if (!checked.ok) return checked;
    if (pending.length === 0 && checked.value[0]) {
      work = chain.get(toHex(checked.value[0].header.prevHash))!.chainWork;
    }
    for (const h of checked.value) {
      pending.push(h);
      work += workFromBits(h.header.bits);
    }
    const full = page.value.headers.length === MAX_HEADERS_PER_PAGE;
    if (work > chain.tip.chainWork) {
      return ok({ headers: pending.filter((h) => !chain.get(h.hashHex)), more: full });
    }
    if (!full || pending.length >= MAX_PENDING_HEADERS) return ok({ headers: [], more: false });
  }
}

/**
 * Asks the peer for a page of headers after `after` (the last one received), or else after our
 * block locator.
 */
function requestHeaders(
  ctx: Pick<SyncContext, 'chain' | 'timeoutMs' | 'stalls' | 'signal' | 'links'>,
  url: string,
  after?: string,
): Promise<Result<HeadersAnswer>> {
  const locator = [...(after ? [after] : []), ...blockLocator(ctx.chain)].slice(0, 64);
  return callPeer(
    url,
    `/api/p2p/headers?locator=${locator.join(',')}&limit=${MAX_HEADERS_PER_PAGE}`,
    HeadersPage,
    {
      timeoutMs: ctx.timeoutMs,
      stallMs: ctx.stalls?.of(url) ?? STALL_MS,
      maxBytes: MAX_HEADERS_PER_PAGE * 200 + 1_000,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      links: ctx.links,
    },
  );
}

/**
 * The first headers page of a sync from `url`, asked for now, before the sync may start: a node
 * greeting a peer it was just told of asks for both at once (network.ts). Nothing is decided on
 * it here; the sync checks it as any page, and asks again if this call failed. PERF: one round
 * trip less before a register + resolve gets its blocks (bench/adopt.ts).
 */
export function prefetchHeaders(
  ctx: Pick<SyncContext, 'chain' | 'timeoutMs' | 'stalls' | 'signal' | 'links'>,
  url: string,
): Promise<Result<HeadersAnswer>> {
  return requestHeaders(ctx, url);
}

/**
 * Decodes and checks a page of headers that continues `pending` (or, if that is empty, starts on
 * a block this node has): proof of work, the link to the header before, and the target and time
 * rules, with ancestors taken from `pending` and then from the block index.
 */
function checkHeaders(
  ctx: SyncContext,
  page: readonly string[],
  pending: readonly PendingHeader[],
): Result<PendingHeader[]> {
  const { chain } = ctx;
  const all = [...pending];
  for (const hex of page) {
    const decoded = decodeHeader(fromHex(hex));
    if (!decoded.ok) return decoded;
    const header = decoded.value;
    const checked = checkHeader(header, chain.params);
    if (!checked.ok) return checked;
    // The block this sync's headers start on: the first header's parent.
    const root = chain.get(toHex((all[0]?.header ?? header).prevHash));
    const previous = all[all.length - 1];
    if (!root)
      return fail('BLOCK_BAD_PREVIOUS', 'the headers do not start on a block this node has');
    if (previous && previous.hashHex !== toHex(header.prevHash)) {
      return fail(
        'BLOCK_BAD_PREVIOUS',
        `header ${toHex(checked.value)} does not follow the header before it`,
      );
    }
    const parent = previous ?? root;
    const ancestorAt = (height: number): BlockHeader =>
      height <= root.header.height
        ? chain.ancestorAt(root, height).header
        : all[height - root.header.height - 1]!.header;
    const valid = validateHeader(
      header,
      headerContext(chain.params, parent.header, parent.hash, ancestorAt, ctx.now()),
    );
    if (!valid.ok) return valid;
    all.push({ header, hash: checked.value, hashHex: toHex(checked.value) });
  }
  return ok(all.slice(pending.length));
}

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

/** Fetches and adds the bodies of `branch` in order; the number of blocks added. */
async function fetchBodies(
  ctx: SyncContext,
  url: string,
  branch: readonly PendingHeader[],
): Promise<Result<number>> {
  const { chain } = ctx;
  const batches: PendingHeader[][] = [];
  /** Where each block of the branch is: its batch, and its place in the batch. */
  const where: { batch: number; at: number }[] = [];
  for (let i = 0; i < branch.length; ) {
    const batch = branch.slice(i, i + (FIRST_BATCHES[batches.length] ?? MAX_BLOCKS_PER_REQUEST));
    for (const at of batch.keys()) where.push({ batch: batches.length, at });
    batches.push(batch);
    i += batch.length;
  }
  // Batches are asked for while fewer than BATCHES_IN_FLIGHT are on their way or waiting to be
  // decoded, or, once the blocks are known to be small, while their blocks fit in
  // MAX_SMALL_BLOCKS_IN_FLIGHT; each is dropped once decoded.
  const requests = new Map<number, Promise<void>>();
  const answers = new Map<number, Result<string[]>>();
  let requested = 0;
  let requestedBlocks = 0;
  let finishedBatches = 0;
  let smallBlocks = false;
  const requestMore = () => {
    while (requested < batches.length) {
      const size = batches[requested]!.length;
      const waiting = requestedBlocks - decoded;
      const room = smallBlocks
        ? waiting + size <= MAX_SMALL_BLOCKS_IN_FLIGHT
        : requested - finishedBatches < BATCHES_IN_FLIGHT;
      if (waiting > 0 && !room) return;
      const b = requested++;
      requestedBlocks += size;
      requests.set(
        b,
        fetchBatch(ctx, url, batches[b]!).then((answer) => {
          answers.set(b, answer);
          smallBlocks =
            answer.ok && answer.value.every((hex) => hex.length < SMALL_BLOCK_HEX_CHARS);
        }),
      );
    }
  };
  /** Block i of the branch, decoded and checked, or why not; undefined if its batch is not here. */
  const decodeAt = (i: number): Result<Decoded> | undefined => {
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
      const { batch } = where[i]!;
      requestMore();
      await requests.get(batch);
      // This block and the next few, as far as their batches have come, in order; a failure is
      // reported when its turn comes, after the blocks before it are added, and nothing after it
      // is decoded.
      while (!failed && decoded <= i + VERIFY_AHEAD_BLOCKS && decoded < branch.length) {
        const block = decodeAt(decoded);
        if (!block) break;
        ahead.push(block);
        decoded++;
        if (block.ok) chain.verifyAhead(block.value.block, block.value.bytes);
        else failed = true;
      }
      if (!failed) requestMore();
      const block = ahead.shift()!;
      if (!block.ok) {
        if (block.code === 'P2P_TIMEOUT' || block.code === 'P2P_UNREACHABLE')
          ctx.onDownloadFailed?.();
        return block;
      }
      if (ctx.signal?.aborted) return fail('P2P_TIMEOUT', 'the sync was stopped');
      const { block: body, bytes } = block.value;
      // PERF: stored as received (no encodeBlock again), and held (Chain.commitHeld): a sync's
      // blocks were stored and connected in two SQL commits each; now one commit per batch
      // that came, or sooner. A crash before the commit leaves the chain as after the last
      // one (test/integration/p2p/killMidSync.test.ts); the peer still has the rest. Adding
      // 200 small blocks: 0.87 → 0.38 ms each (load 17); register + resolve onto 20 blocks, a
      // running node, before/after alternating twice (load 4–5): 60.1, 56.5 → 51.9, 53.1 ms.
      const outcome = await chain.addBlock(body, { bytes, held: true });
      if (!outcome.ok) return outcome;
      added++;
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

/**
 * The bodies of one batch, as hex, once the answer holds as many as were asked for. A request
 * that runs out of time doubles the peer's stall timeout (stallTimeouts.ts) and is asked again
 * from the same peer, with the longer timeout, when no other peer could serve it, or when the
 * peer was delivering steadily (no gap as long as its stall timeout) and only the whole answer's
 * deadline passed: a slow peer that keeps sending is not cut. A peer that stopped, with others
 * to ask, ends this download: the caller moves it (onDownloadFailed).
 */
async function fetchBatch(
  ctx: SyncContext,
  url: string,
  batch: readonly PendingHeader[],
): Promise<Result<string[]>> {
  const stalls = ctx.stalls!;
  for (;;) {
    const stallMs = stalls.of(url);
    const progress: CallProgress = { bytes: 0 };
    const page = await callPeer(
      url,
      `/api/p2p/blocks?hashes=${batch.map((h) => h.hashHex).join(',')}`,
      BlocksPage,
      {
        ...batchDeadlines(batch.length, stallMs),
        stallMs,
        maxBytes: BLOCKS_MAX_BYTES,
        progress,
        ...signalOf(ctx),
      },
    );
    if (page.ok) {
      if (page.value.blocks.length !== batch.length) {
        return fail(
          'P2P_BAD_RESPONSE',
          `asked for ${batch.length} blocks, got ${page.value.blocks.length}`,
        );
      }
      stalls.delivered(url);
      return ok(page.value.blocks);
    }
    if (page.code !== 'P2P_TIMEOUT' || ctx.signal?.aborted) return page;
    const belowCap = stalls.stalled(url, stallMs);
    const delivering = progress.timedOut === 'deadline' && progress.bytes > 0;
    if (!belowCap || (!delivering && ctx.othersCanServe?.(url))) return page;
  }
}

interface Decoded {
  readonly block: Block;
  readonly bytes: Uint8Array;
}

/** Decodes block `i` of an answer, which must be the block whose hash is `expectedHex`. */
export function decodeExpected(hex: string, expectedHex: string, i: number): Result<Decoded> {
  // PERF: Buffer's native hex decoding, ≈ 10× parseHex's regular expression and JS loop on 2 MB
  // of hex. It stops at the first pair that is not hex, so the length says whether all was.
  // NOTE: a failure, not fromHex's throw: the sync must end with a code to score the peer by.
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length * 2 !== hex.length) {
    return fail('P2P_BAD_RESPONSE', `block ${i} of the answer is not whole bytes of hex`);
  }
  const decoded = decodeBlock(bytes);
  if (!decoded.ok) return decoded;
  if (toHex(hashHeader(decoded.value.header)) !== expectedHex) {
    return fail('P2P_BAD_RESPONSE', `block ${i} of the answer is not ${expectedHex}`);
  }
  return ok({ block: decoded.value, bytes });
}
