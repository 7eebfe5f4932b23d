/**
 * When to call each peer next: one timer per peer. A peer that answers is pinged every
 * PING_MS; one that does not is retried after retryDelayMs(failures) — about a second at first,
 * doubling to RETRY_CAP_MS — and at once when it calls us (`now`). The jitter spreads the
 * retries of a room full of laptops that all lost the same teacher at the same moment.
 */
export const PING_MS = 5_000;
export const RETRY_FIRST_MS = 1_000;
export const RETRY_CAP_MS = 30_000;

/** "Equal jitter": half the backoff fixed, half random (AWS's backoff study). */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(RETRY_CAP_MS, RETRY_FIRST_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}

export class PeerSchedule {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<string>();
  private readonly rerun = new Set<string>();
  private closed = false;

  /** `contact` calls the peer and answers when to call it next (ms), or undefined for never. */
  constructor(private readonly contact: (url: string) => Promise<number | undefined>) {}

  /** Calls `url` after `delayMs` (replacing a later call already planned). */
  after(url: string, delayMs: number): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(url));
    const timer = setTimeout(() => {
      this.timers.delete(url);
      void this.run(url);
    }, delayMs);
    timer.unref();
    this.timers.set(url, timer);
  }

  /** Calls `url` now; if a call is under way, once more after it. */
  now(url: string): void {
    if (this.closed) return;
    if (this.running.has(url)) this.rerun.add(url);
    else this.after(url, 0);
  }

  cancel(url: string): void {
    clearTimeout(this.timers.get(url));
    this.timers.delete(url);
    this.rerun.delete(url);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async run(url: string): Promise<void> {
    this.running.add(url);
    let next: number | undefined;
    try {
      next = await this.contact(url);
    } finally {
      this.running.delete(url);
    }
    if (this.rerun.delete(url)) next = 0;
    if (next !== undefined) this.after(url, next);
  }
}
