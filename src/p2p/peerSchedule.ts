/**
 * When to call each peer next: one timer per peer. A peer that answers is pinged every
 * PING_MS; one that does not is retried after retryDelayMs(failures) — about a second at first,
 * doubling to RETRY_CAP_MS (RETRY_CAP_NAMED_MS for a peer the operator named, for its first
 * NAMED_QUICK_RETRIES) — and sooner
 * when it or anyone shows the network is back (`soon`). The jitter spreads the retries of a
 * room full of laptops that all lost the same teacher at the same moment.
 */
export const PING_MS = 5_000;
export const RETRY_FIRST_MS = 1_000;
export const RETRY_CAP_MS = 30_000;
/**
 * A peer the operator named is one the node is meant to sync from: with the cap at 30 s, a laptop
 * whose cable was plugged back, or that woke, waited up to 30 s (15 s on average) before it
 * synced again (test/integration/p2p/fullBlockSyncLinkCut.test.ts). At 8 s a peer really down
 * costs a connection attempt every 4 to 8 s.
 */
export const RETRY_CAP_NAMED_MS = 8_000;
/**
 * A named peer keeps RETRY_CAP_NAMED_MS for this many failed calls in a row (about 2 minutes at
 * 4 to 8 s), then is retried as a learned one (15 to 30 s). NOTE: a named peer down for good was
 * called every 4 to 8 s for ever. A peer back after that is still heard from within seconds when
 * it or anyone calls us (PeerSchedule.soon), or when our own link is back (a first answer).
 */
export const NAMED_QUICK_RETRIES = 20;
/**
 * An early call (`soon`) comes at least this long after the last call to the peer began: a dead
 * peer on a host whose other nodes call us all the time is still tried at most this often.
 */
export const EARLY_CALL_GAP_MS = 2_000;

/** "Equal jitter": half the backoff fixed, half random (AWS's backoff study). */
export function retryDelayMs(
  failures: number,
  random: () => number = Math.random,
  capMs = RETRY_CAP_MS,
): number {
  const base = Math.min(capMs, RETRY_FIRST_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}

/**
 * The retry cap of a peer after `failures` failed calls in a row: lower for one the operator
 * named, for its first NAMED_QUICK_RETRIES.
 */
export const retryCapOf = (named: boolean, failures: number): number =>
  named && failures <= NAMED_QUICK_RETRIES ? RETRY_CAP_NAMED_MS : RETRY_CAP_MS;

/** When to call a peer again after `failures` failed calls in a row (peerContact.ts). */
export const nextRetryMs = (named: boolean, failures: number, random = Math.random): number =>
  retryDelayMs(failures, random, retryCapOf(named, failures));

export class PeerSchedule {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** When each planned call is due (`clock`'s milliseconds). */
  private readonly due = new Map<string, number>();
  /** When the last call to each peer began. */
  private readonly began = new Map<string, number>();
  private readonly running = new Set<string>();
  private readonly rerun = new Set<string>();
  private closed = false;

  /** `contact` calls the peer and answers when to call it next (ms), or undefined for never. */
  constructor(
    private readonly contact: (url: string) => Promise<number | undefined>,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Calls `url` after `delayMs` (replacing a later call already planned). */
  after(url: string, delayMs: number): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(url));
    const timer = setTimeout(() => {
      this.timers.delete(url);
      this.due.delete(url);
      void this.run(url);
    }, delayMs);
    timer.unref();
    this.timers.set(url, timer);
    this.due.set(url, this.clock() + delayMs);
  }

  /** Calls `url` now; if a call is under way, once more after it. */
  now(url: string): void {
    if (this.closed) return;
    if (this.running.has(url)) this.rerun.add(url);
    else this.after(url, 0);
  }

  /**
   * Brings a planned call to `url` forward: to now, or EARLY_CALL_GAP_MS after the last call
   * began. Nothing if no call is planned (one under way, or a peer off the schedule). Whether it
   * moved the call.
   */
  soon(url: string): boolean {
    const due = this.due.get(url);
    if (this.closed || due === undefined) return false;
    const now = this.clock();
    const at = Math.max(now, (this.began.get(url) ?? Number.NEGATIVE_INFINITY) + EARLY_CALL_GAP_MS);
    if (due <= at) return false;
    this.after(url, at - now);
    return true;
  }

  cancel(url: string): void {
    clearTimeout(this.timers.get(url));
    this.timers.delete(url);
    this.due.delete(url);
    this.began.delete(url);
    this.rerun.delete(url);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.due.clear();
  }

  private async run(url: string): Promise<void> {
    this.running.add(url);
    this.began.set(url, this.clock());
    let next: number | undefined;
    try {
      next = await this.contact(url);
    } finally {
      this.running.delete(url);
    }
    if (this.rerun.delete(url)) next = 0;
    if (next !== undefined) this.after(url, next);
    else this.began.delete(url);
  }
}
