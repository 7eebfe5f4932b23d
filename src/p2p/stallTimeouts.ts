/**
 * How long each peer may go without a byte during a block download before it counts as
 * stalled: adaptive, as Bitcoin Core's block download (net_processing's
 * m_block_stalling_timeout, since v25): it starts at STALL_MS, doubles each time the peer
 * stalls, up to STALL_MAX_MS, and goes back toward STALL_MS by 15 % with each batch it delivers.
 *
 * NOTE: per peer here, where Core keeps one for the node: a peer that was merely busy (its own
 * thread connecting a block, a classroom laptop's browser) is given twice the time when it is
 * asked again, and a peer that really stopped costs a few seconds before the download moves to
 * another (src/p2p/syncDriver.ts, moveDownload). Kept in memory: a restart starts patient again.
 */

/** Bitcoin Core's BLOCK_STALLING_TIMEOUT_DEFAULT. */
export const STALL_MS = 2_000;
/** Bitcoin Core's BLOCK_STALLING_TIMEOUT_MAX. */
export const STALL_MAX_MS = 64_000;
/** Each batch delivered takes the timeout this much of the way back to STALL_MS (Core: × 0.85). */
const DECAY = 0.85;

export class StallTimeouts {
  private readonly timeouts = new Map<string, number>();
  private readonly counts = new Map<string, number>();

  /** How many times `url` stalled since this node started. */
  stallCount(url: string): number {
    return this.counts.get(url) ?? 0;
  }

  /** The stall timeout for `url` now. */
  of(url: string): number {
    return this.timeouts.get(url) ?? STALL_MS;
  }

  /** How many times the base the peer is given now (1 for a peer that never stalled). */
  factor(url: string): number {
    return this.of(url) / STALL_MS;
  }

  /**
   * The peer stalled (or ran out of time) on a request that was given `usedMs` of stall timeout:
   * twice that from now on, up to STALL_MAX_MS. NOTE: from what the failed request was given,
   * not from the current value: two requests in flight that stall together double it once.
   * Whether the peer is still below the cap (another try at the longer timeout is worth it).
   */
  stalled(url: string, usedMs: number): boolean {
    const next = Math.min(STALL_MAX_MS, Math.max(this.of(url), 2 * usedMs));
    this.timeouts.set(url, next);
    this.counts.set(url, this.stallCount(url) + 1);
    return usedMs < STALL_MAX_MS;
  }

  /** The peer delivered a batch in time: its timeout decays toward STALL_MS. */
  delivered(url: string): void {
    const current = this.timeouts.get(url);
    if (current === undefined) return;
    const next = Math.round(current * DECAY);
    if (next <= STALL_MS) this.timeouts.delete(url);
    else this.timeouts.set(url, next);
  }

  forget(url: string): void {
    this.timeouts.delete(url);
    this.counts.delete(url);
  }
}
