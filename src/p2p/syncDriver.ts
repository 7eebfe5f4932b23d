/**
 * Which syncs run, and when (the sync itself is sync.ts): one sync per peer at a time, a request
 * during one runs once more after it; a peer that showed a better tip is synced from; a download a
 * peer failed to deliver moves to the others. What a sync ends with is recorded on the peer.
 */
import type { ErrorCode, Result } from '../core/index.js';
import { fail } from '../core/index.js';
import type { Hello } from './messages.js';
import type { Network } from './network.js';
import { type HeadersAnswer, type SyncOutcome, type SyncProgress, syncFromPeer } from './sync.js';
import { SyncLog } from './syncLog.js';

/** A sync that ended short of a branch with more work, and why (GET /api/info shows it). */
export interface SyncStall {
  readonly peer: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly targetHeight: number;
  readonly atMs: number;
}

/**
 * How long syncs from a peer wait after one gave up on it as too slow (P2P_TOO_SLOW): the first
 * time, then twice as long each time again, to the cap. NOTE: a peer that drips its blocks
 * answered every ping, so every ping (5 s) or greeting started a sync that dripped for 45 s more
 * (fetchBatch.ts BATCH_GIVE_UP_MS): it was asked for the same blocks without end. The wait ends
 * early when the peer greets us (a restart: it may be fast now), and never holds back a sync the
 * operator asks for (POST /nodes/resolve, /nodes/register); a sync that delivers ends it.
 */
export const SLOW_WAIT_FIRST_MS = 30_000;
export const SLOW_WAIT_CAP_MS = 600_000;

export class SyncDriver {
  /** The sync under way, if any (GET /api/info shows it). */
  progress: SyncProgress | undefined;
  private lastStall: SyncStall | undefined;
  private readonly syncs = new Map<string, Promise<Result<SyncOutcome>>>();
  private readonly again = new Set<string>();
  /** Peers a sync gave up on as too slow: how many times in a row, and until when they wait. */
  private readonly slow = new Map<string, { times: number; untilMs: number }>();

  /** What the syncs tell the log (syncLog.ts). */
  private syncLog: SyncLog | undefined;

  constructor(private readonly network: Network) {}

  get log(): SyncLog {
    const { logger, now } = this.network.options;
    this.syncLog ??= new SyncLog(logger, now);
    return this.syncLog;
  }

  /**
   * Syncs from one peer; one sync per peer at a time (a request during one runs once more after
   * it, unless `join`: then the one under way is the answer). `firstPage`: its first headers page,
   * already asked for (prefetchHeaders), used if this call starts the sync. `asked`: the operator
   * asked for it (resolve, register): a peer found too slow is asked all the same.
   */
  sync(
    url: string,
    {
      join = false,
      firstPage,
      asked = false,
    }: { join?: boolean; firstPage?: Promise<Result<HeadersAnswer>>; asked?: boolean } = {},
  ): Promise<Result<SyncOutcome>> {
    // Checked here, not only by the callers: a sync asked for while another ran (`again`) starts
    // after that one, which may have just banned the peer.
    if (this.network.peers.isBanned(url))
      return Promise.resolve(fail('P2P_BANNED', `${url} sent invalid data and is banned for now`));
    const slow = this.slow.get(url);
    const waitMs = slow && !asked ? slow.untilMs - this.network.options.now() : 0;
    if (waitMs > 0)
      return Promise.resolve(
        fail(
          'P2P_TOO_SLOW',
          `${url} was too slow to deliver blocks ${slow!.times} time(s) in a row; not asked again for ${Math.ceil(waitMs / 1000)} s`,
        ),
      );
    const running = this.syncs.get(url);
    if (running) {
      if (!join) this.again.add(url);
      return running;
    }
    const run = this.run(url, firstPage).finally(() => {
      this.syncs.delete(url);
      if (this.again.delete(url) && !this.network.closed) void this.sync(url);
    });
    this.syncs.set(url, run);
    return run;
  }

  /**
   * The last sync from a peer that showed a branch with more work and did not deliver it (too
   * slow, gone, …), while the chain is still below that branch's tip and no sync runs.
   */
  get stalled(): SyncStall | undefined {
    const stall = this.lastStall;
    if (!stall || this.progress) return undefined;
    if (this.network.options.chain.tip.header.height >= stall.targetHeight) return undefined;
    return stall;
  }

  /** The peer greeted us (it restarted, or thinks we were away): a wait for being slow ends. */
  greeted(url: string): void {
    const slow = this.slow.get(url);
    if (slow) this.slow.set(url, { ...slow, untilMs: 0 });
  }

  /** Whether a sync from `url` is under way. */
  isSyncing(url: string): boolean {
    return this.syncs.has(url);
  }

  /** Syncs from a peer whose tip is unknown to us and claims more work than ours. */
  syncIfBetter(url: string, hello: Hello): void {
    const { chain } = this.network.options;
    if (!chain.get(hello.tip_hash) && BigInt(hello.chain_work) > chain.tip.chainWork)
      void this.sync(url);
  }

  /** What every sync (and a prefetched headers page) is asked with. */
  context() {
    const { network } = this;
    return {
      chain: network.options.chain,
      now: network.options.now,
      timeoutMs: network.timeoutMs,
      signal: network.closingSignal,
      links: network.options.links,
      stalls: network.stalls,
    };
  }

  private async run(
    url: string,
    firstPage?: Promise<Result<HeadersAnswer>>,
  ): Promise<Result<SyncOutcome>> {
    const { network } = this;
    const { chain, logger } = network.options;
    const report = this.log.start(url);
    let targetHeight: number | undefined;
    const result = await syncFromPeer(
      {
        ...this.context(),
        ...(firstPage ? { firstPage } : {}),
        peerVersion: network.peers.get(url)?.version,
        othersCanServe: (from) => network.peers.usable().some((peer) => peer.url !== from),
        onDownloadFailed: () => this.moveDownload(url),
        onBranch: (headers) => {
          targetHeight = headers.at(-1)?.header.height;
          report.branch(headers);
        },
        onProgress: (progress) => {
          this.progress = progress;
          report.progress(progress.height, progress.targetHeight);
          // PERF: a tip that came from this peer is not announced back to it (one request a
          // batch each way: bench/adopt.ts, a 20-block sync sent its source 3 announcements).
          network.gossip.receivedFrom(chain.tip.hashHex, url);
        },
      },
      url,
    ).finally(() => report.end());
    this.progress = undefined;
    if (result.ok) {
      this.slow.delete(url);
      if (this.lastStall?.peer === url) this.lastStall = undefined;
      if (result.value.blocks > 0) {
        // What we now have from it is at least its tip as far as we know it; never less than
        // what it said of itself (a sync that ended short of that tip must not make the peer
        // list say it has only what we got: the header then says the sync stalled at h/t while
        // the peer's row said 'same tip as us').
        const tip = chain.tip;
        const known = network.peers.get(url)?.tipHeight;
        if (known === undefined || tip.header.height > known)
          network.peers.seen(url, { tipHeight: tip.header.height, tipHash: tip.hashHex });
        else network.peers.seen(url, {});
        logger.info(
          {
            peer: url,
            blocks: result.value.blocks,
            height: tip.header.height,
            ms: report.elapsedMs,
          },
          'synced from peer',
        );
      } else network.peers.seen(url, {});
    } else if (!network.closed) {
      network.recordFailure(url, result, !result.code.startsWith('P2P_'));
      if (result.code === 'P2P_TOO_SLOW') this.slowedBy(url);
      if (targetHeight !== undefined && targetHeight > chain.tip.header.height)
        this.lastStall = {
          peer: url,
          code: result.code,
          message: result.detail,
          targetHeight,
          atMs: network.options.now(),
        };
      logger.warn({ peer: url, code: result.code }, `sync from peer failed: ${result.detail}`);
    }
    return result;
  }

  /** A sync gave up on `url` as too slow: syncs from it wait (SLOW_WAIT_FIRST_MS, doubling). */
  private slowedBy(url: string): void {
    const times = (this.slow.get(url)?.times ?? 0) + 1;
    const waitMs = Math.min(SLOW_WAIT_CAP_MS, SLOW_WAIT_FIRST_MS * 2 ** (times - 1));
    this.slow.set(url, { times, untilMs: this.network.options.now() + waitMs });
    this.network.options.logger.info(
      { peer: url, times, waitMs },
      'peer too slow to sync from: waiting before asking it again',
    );
  }

  /**
   * A peer failed to deliver the bodies of a branch it showed more work for (it stalled, or went
   * away): the other peers are asked at once, not at the next timer, since they may have the same
   * blocks. Only then: a failure before any download (an unreachable peer) moves nothing, so
   * failures cannot set off one another.
   */
  private moveDownload(from: string): void {
    for (const peer of this.network.peers.usable()) {
      if (peer.url !== from && !this.syncs.has(peer.url)) void this.sync(peer.url);
    }
  }
}
