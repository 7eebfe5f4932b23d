/**
 * Accounts and (in older files) undo data as stored. Locks and those undo diffs are small JSON
 * texts with bigints as decimal strings: readable with any SQLite tool, and never part of
 * consensus. A connect now writes its undo in undoCodec.ts's binary layout; encodeDiff stays for
 * a diff that layout cannot hold, decodeDiff for older files' rows.
 */
import type { Account, CoinbaseLock, StateDiff } from '../core/index.js';

export function encodeLocks(locks: readonly CoinbaseLock[]): string {
  // PERF: nearly every account has none; JSON.stringify of [] twice a transfer (its row and the
  // block's undo) was ≈ 1 % of a full block's addBlock (node --cpu-prof of bench connect).
  if (locks.length === 0) return '[]';
  return JSON.stringify(locks.map((l) => [l.maturesAt, `${l.amount}`]));
}

export function decodeLocks(text: string): CoinbaseLock[] {
  return (JSON.parse(text) as [number, string][]).map(([maturesAt, amount]) => ({
    maturesAt,
    amount: BigInt(amount),
  }));
}

type AccountJson = [balance: string, nonce: string, locks: string] | null;

export function encodeDiff(diff: StateDiff): string {
  const entries: [string, AccountJson][] = [];
  for (const [key, account] of diff) {
    entries.push([
      key,
      account && [`${account.balance}`, `${account.nonce}`, encodeLocks(account.locks)],
    ]);
  }
  return JSON.stringify(entries);
}

export function decodeDiff(text: string): Map<string, Account | null> {
  const diff = new Map<string, Account | null>();
  for (const [key, a] of JSON.parse(text) as [string, AccountJson][]) {
    diff.set(key, a && { balance: BigInt(a[0]), nonce: BigInt(a[1]), locks: decodeLocks(a[2]) });
  }
  return diff;
}
