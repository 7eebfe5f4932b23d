/**
 * The account state at the tip: the store's, with the accounts recent blocks read or wrote kept
 * in memory. PERF: an account read from SQLite is a query and a decode (≈ 4 µs); a full block
 * reads two accounts per transfer, and a chain's senders come back block after block (the
 * mempool also reads each sender again once a block confirms its transfers).
 *
 * Kept equal to the store: the chain is the only writer, and it hands each connected block's diff
 * over once the store has written it (`applyDiff`), and empties the cache when it disconnects a
 * block (the store applies that block's undo data on its own). Bounded: the oldest entries go
 * first; `undefined` (no such account) is remembered too.
 */
import type { Account, AccountReader, StateDiff } from '../core/index.js';

export class AccountCache implements AccountReader {
  /**
   * Two generations: entries go into `young`; when it holds half the bound, it becomes `old` and
   * the old one is dropped. A hit in `old` moves the entry back into `young`. PERF: one Map with
   * its oldest key deleted on each insert (keys().next()) was a hot spot once full: the Map's
   * iterator skips the deleted slots at its front, and intake of transfers to fresh addresses
   * reads a new (missing) recipient each time; remember() was 4.7 % of the node's main thread
   * (bench/intake.ts, node --cpu-prof, load 12). 200,000 new keys into a full cache, side by
   * side (load 15): 24–28 µs a key before, 1.3–1.8 µs now.
   */
  private young = new Map<string, Account | undefined>();
  private old = new Map<string, Account | undefined>();
  private readonly half: number;

  constructor(
    private readonly store: AccountReader,
    /** Two full blocks' senders and recipients, and more; ≈ 10 MB. */
    maxEntries = 32_768,
  ) {
    this.half = Math.max(1, Math.floor(maxEntries / 2));
  }

  getAccount(key: string): Account | undefined {
    const cached = this.young.get(key);
    if (cached !== undefined || this.young.has(key)) return cached;
    const account = this.old.has(key) ? this.old.get(key) : this.store.getAccount(key);
    this.remember(key, account);
    return account;
  }

  /** A block's diff, after the store has written it. */
  applyDiff(diff: StateDiff): void {
    for (const [key, account] of diff) {
      this.old.delete(key);
      this.young.delete(key); // re-inserted last: written now, likely read again soon
      this.remember(key, account ?? undefined);
    }
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  private remember(key: string, account: Account | undefined): void {
    this.young.set(key, account);
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}
