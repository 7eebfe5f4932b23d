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
  private readonly accounts = new Map<string, Account | undefined>();

  constructor(
    private readonly store: AccountReader,
    /** Two full blocks' senders and recipients, and more; ≈ 10 MB. */
    private readonly maxEntries = 32_768,
  ) {}

  getAccount(key: string): Account | undefined {
    const cached = this.accounts.get(key);
    if (cached !== undefined || this.accounts.has(key)) return cached;
    const account = this.store.getAccount(key);
    this.remember(key, account);
    return account;
  }

  /** A block's diff, after the store has written it. */
  applyDiff(diff: StateDiff): void {
    for (const [key, account] of diff) {
      this.accounts.delete(key); // re-inserted last: written now, likely read again soon
      this.remember(key, account ?? undefined);
    }
  }

  clear(): void {
    this.accounts.clear();
  }

  private remember(key: string, account: Account | undefined): void {
    this.accounts.set(key, account);
    if (this.accounts.size > this.maxEntries) {
      this.accounts.delete(this.accounts.keys().next().value!);
    }
  }
}
