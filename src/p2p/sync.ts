/**
 * Headers-first sync from one peer (as Bitcoin Core since 0.10):
 *
 *   1. ask for the headers after our block locator, in pages of up to 2,000;
 *   2. check each header — proof of work, link to the one before, the target and time the chain
 *      requires — before anything else is fetched;
 *   3. only if the headers lead to more cumulative work than our tip, fetch the bodies
 *      (fetchBodies.ts: as many as fit in one request from a peer since 0.2.0, then the slow
 *      start of 2, 4, 8, 16 capped by max_bytes; else 1, then 2 a request) and add them in
 *      order, the signatures of the next few checked on other cores meanwhile, their commits
 *      synced to disk once at the end;
 *   4. stop at the first invalid header or block; the caller scores the peer by its code.
 *
 * What the peer says about its own height or work is never used to decide anything.
 */
import type { Static } from '@sinclair/typebox';
import type { Chain } from '../chain/chain.js';
import {
  type BlockHeader,
  checkHeader,
  decodeHeader,
  fail,
  fromHex,
  headerContext,
  ok,
  type Result,
  toHex,
  validateHeader,
  workFromBits,
} from '../core/index.js';
import type { PendingHeader } from './fetchBatch.js';
import { fetchBodies } from './fetchBodies.js';
import { headerHashOf } from './headerHash.js';
import { blockLocator } from './locator.js';
import { HeadersPage, MAX_HEADERS_PER_PAGE } from './messages.js';
import { callPeer, type LinkGate } from './peerClient.js';
import { STALL_MS, StallTimeouts } from './stallTimeouts.js';

/** Headers kept in memory while deciding whether a branch is worth its bodies. */
const MAX_PENDING_HEADERS = 100_000;

/** Stall detection and a batch's deadlines: stallTimeouts.ts, fetchBatch.ts. */
export { batchDeadlines, decodeExpected } from './fetchBatch.js';
export { STALL_MS } from './stallTimeouts.js';

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
  /** A branch of these headers is about to be added (its bodies fetched): syncLog.ts. */
  readonly onBranch?: (headers: readonly PendingHeader[]) => void;
  /** The peer failed to deliver bodies it had shown headers for (stalled, timed out, went away). */
  readonly onDownloadFailed?: () => void;
  /** Ends the sync early (the node is closing). */
  readonly signal?: AbortSignal;
  /** The lab's links (--lab only). */
  readonly links?: LinkGate | undefined;
  /** The version the peer's hello gave: what its requests may use (capabilities.ts). */
  readonly peerVersion?: string | undefined;
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

/** Syncs from `url` until it has nothing better; a failure is the first thing that was wrong. */
export async function syncFromPeer(given: SyncContext, url: string): Promise<Result<SyncOutcome>> {
  const ctx = { ...given, stalls: given.stalls ?? new StallTimeouts() };
  let headers = 0;
  let blocks = 0;
  for (;;) {
    const branch = await fetchBetterHeaders(ctx, url);
    if (!branch.ok) return branch;
    headers += branch.value.headers.length;
    if (branch.value.headers.length === 0) return ok({ headers, blocks });
    ctx.onBranch?.(branch.value.headers);
    const connected = await addedBeforeDiskSync(ctx.chain, () =>
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
 * Runs `work` (adding a branch's blocks) with the store's disk syncs deferred to its end
 * (Chain.deferDurability), and answers once the work is done: its blocks connected and committed,
 * the one sync to disk that follows still to come. PERF: the resolve that joined a sync answered
 * only after that sync to disk, and better-sqlite3's fsync holds the event loop: 0.3–12 ms of a
 * register + resolve onto 20 blocks at load 11 (timestamps on the node), on the critical path.
 * NOTE: what is committed survives a crash of the process; a power cut may lose the branch's
 * blocks before that sync, as it may the announcement of its tip (gossip.ts leaves first too):
 * the peer still has them. The sync to disk itself is unchanged (sqliteCommits.ts).
 */
function addedBeforeDiskSync<T>(chain: Chain, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // NOTE: the work's failure goes to reject; only the disk sync's own can reject this promise,
    // and, unhandled, it ends the process, as it did when the sync awaited it.
    void chain.deferDurability(() => work().then(resolve, reject));
  });
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
 * greeting a peer it was just told of asks for both at once (peerContact.ts). Nothing is decided on
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
    const bytes = fromHex(hex);
    const decoded = decodeHeader(bytes);
    if (!decoded.ok) return decoded;
    const header = decoded.value;
    // PERF: hashed from the bytes received, through node:crypto (headerHash.ts).
    const checked = checkHeader(header, chain.params, headerHashOf(bytes));
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
