/**
 * The nonce and balance rules of one transfer: one function for a block that applies it
 * (applyBlock.ts) and for a mempool that admits it after the sender's pending transfers, so the
 * two cannot drift apart (the mempool once re-derived them, and skipped the recipient's cap).
 */
import { toHex } from './bytes.js';
import { formatCoins, MAX_MONEY } from './money.js';
import { fail, ok, type Result } from './result.js';
import { type Account, type AccountReader, EMPTY_ACCOUNT, spendableAt } from './state.js';
import type { Transfer } from './types.js';

/** What the sender has pending before this transfer: a mempool's queue (none in a block). */
export interface PendingSpends {
  /** Pending transfers: the next nonce is the account's plus this. */
  readonly count: number;
  /** Their amounts plus fees. */
  readonly cost: bigint;
}

const NOTHING_PENDING: PendingSpends = { count: 0, cost: 0n };

/**
 * CONSENSUS (with nothing pending), in this order: the nonce is the sender's next one (after its
 * pending transfers), its spendable balance at `height` covers amount + fee (and the pending
 * ones'), and the recipient's balance stays within MAX_MONEY. `state` is only read. `fromKey`:
 * the sender's hex, if the caller made it already (the mempool has).
 */
export function admitTransfer(
  state: AccountReader,
  tx: Transfer,
  height: number,
  pending: PendingSpends = NOTHING_PENDING,
  fromKey: string = toHex(tx.from),
): Result {
  const toKey = toHex(tx.to);
  const sender = state.getAccount(fromKey) ?? EMPTY_ACCOUNT;
  const recipient = toKey === fromKey ? undefined : (state.getAccount(toKey)?.balance ?? 0n);
  return admitRead(sender, recipient, tx, height, pending);
}

/**
 * admitTransfer's rules, on accounts already read: `sender` (EMPTY_ACCOUNT if it has none) and
 * `recipientBalance` (0n if it has none; undefined when the recipient is the sender). PERF:
 * applyTransfer reads both once and applies the transfer on what it read (applyBlock.ts).
 */
export function admitRead(
  sender: Account,
  recipientBalance: bigint | undefined,
  tx: Transfer,
  height: number,
  pending: PendingSpends = NOTHING_PENDING,
): Result {
  const next = sender.nonce + BigInt(pending.count);
  if (tx.nonce < sender.nonce) {
    return fail(
      'TX_NONCE_TOO_LOW',
      `nonce ${tx.nonce} is used; the sender's next nonce is ${next}`,
    );
  }
  if (tx.nonce > next) {
    return fail('TX_NONCE_TOO_HIGH', `nonce ${tx.nonce}; the sender's next nonce is ${next}`);
  }
  const cost = pending.cost + tx.amount + tx.fee;
  const spendable = spendableAt(sender, height);
  if (spendable < cost) {
    return fail(
      'TX_INSUFFICIENT_FUNDS',
      // Read by people (the wallet page shows it): coins, never base units.
      `needs ${formatCoins(cost)} coins (amount + fee${pending.count > 0 ? ', with its pending transfers' : ''}), can spend ${formatCoins(spendable)} coins`,
    );
  }
  if (recipientBalance !== undefined && recipientBalance + tx.amount > MAX_MONEY) {
    return fail('TX_BALANCE_OVERFLOW', `the recipient's balance would exceed ${MAX_MONEY}`);
  }
  return ok();
}
