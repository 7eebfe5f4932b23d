/**
 * Account state: for each public key, a balance, a nonce and the coinbase credits not yet mature.
 * Keys are the public key in lower-case hex. An account that does not exist reads as zero.
 *
 * The core never mutates state: it reads through an AccountReader and returns a StateDiff (the
 * accounts it changed, as they are after) and a StateDiff of undo data (the same accounts as
 * they were before, `null` where one did not exist). Storage applies them however it likes.
 */
export interface CoinbaseLock {
  /** The first block height whose transactions may spend this credit. */
  readonly maturesAt: number;
  readonly amount: bigint;
}

export interface Account {
  /** Everything the account holds, immature coinbase credits included. */
  readonly balance: bigint;
  readonly nonce: bigint;
  readonly locks: readonly CoinbaseLock[];
}

export const EMPTY_ACCOUNT: Account = { balance: 0n, nonce: 0n, locks: [] };

export interface AccountReader {
  getAccount(key: string): Account | undefined;
}

/** Accounts by key; `null` means "does not exist". */
export type StateDiff = ReadonlyMap<string, Account | null>;

/** What transactions in the block at `height` may spend. */
export function spendableAt(account: Account, height: number): bigint {
  let locked = 0n;
  for (const lock of account.locks) if (lock.maturesAt > height) locked += lock.amount;
  return account.balance - locked;
}

/** A reader that sees `diff` on top of `base`, without copying either. */
export function overlay(base: AccountReader, diff: StateDiff): AccountReader {
  return {
    getAccount(key) {
      // One lookup: a diff holds an Account or null, never undefined.
      const changed = diff.get(key);
      if (changed !== undefined) return changed ?? undefined;
      return base.getAccount(key);
    },
  };
}

/** Applies a diff to a plain map (tests, the browser, small tools). */
export function applyDiff(
  accounts: ReadonlyMap<string, Account>,
  diff: StateDiff,
): Map<string, Account> {
  const next = new Map(accounts);
  for (const [key, account] of diff) {
    if (account === null) next.delete(key);
    else next.set(key, account);
  }
  return next;
}

export function mapReader(accounts: ReadonlyMap<string, Account>): AccountReader {
  return { getAccount: (key) => accounts.get(key) };
}
