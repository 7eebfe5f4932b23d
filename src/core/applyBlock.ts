/**
 * The state transition: state' = applyBlock(state, block). Transactions apply one by one in
 * block order, each against the state the previous ones left (CONSENSUS: an overspend inside a
 * block fails, not only one in a mempool), then the coinbase is checked against subsidy + fees
 * and credited. The result is a diff and its exact undo; the input state is never modified.
 */
import { admitTransfer } from './admitTransfer.js';
import { toHex } from './bytes.js';
import { formatCoins, MAX_MONEY } from './money.js';
import type { NetworkParams } from './params.js';
import { blockSubsidy } from './params.js';
import { fail, ok, type Result } from './result.js';
import {
  type Account,
  type AccountReader,
  EMPTY_ACCOUNT,
  overlay,
  type StateDiff,
} from './state.js';
import type { Block, Coinbase, Transfer } from './types.js';

export interface BlockEffects {
  /** The accounts the block changed, as they are after it. */
  readonly diff: StateDiff;
  /** The same accounts as they were before it (`null`: did not exist): undoBlock's input. */
  readonly undo: StateDiff;
  readonly fees: bigint;
}

/** Collects changes on top of a reader, remembering each account's value before its first change. */
export class StateChanges {
  readonly diff = new Map<string, Account | null>();
  readonly undo = new Map<string, Account | null>();
  readonly view: AccountReader;

  constructor(private readonly base: AccountReader) {
    this.view = overlay(base, this.diff);
  }

  get(key: string): Account {
    return this.view.getAccount(key) ?? EMPTY_ACCOUNT;
  }

  set(key: string, account: Account): void {
    if (!this.undo.has(key)) this.undo.set(key, this.base.getAccount(key) ?? null);
    this.diff.set(key, account);
  }
}

/** Drops coinbase locks that are mature at `height`: they no longer restrict anything. */
function pruneLocks(account: Account, height: number): Account['locks'] {
  return account.locks.some((l) => l.maturesAt <= height)
    ? account.locks.filter((l) => l.maturesAt > height)
    : account.locks;
}

/** Applies one transfer at `height` to `changes` if it passes admitTransfer's rules. */
export function applyTransfer(changes: StateChanges, tx: Transfer, height: number): Result {
  const admitted = admitTransfer(changes.view, tx, height);
  if (!admitted.ok) return admitted;
  const fromKey = toHex(tx.from);
  const toKey = toHex(tx.to);
  const sender = changes.get(fromKey);
  const cost = tx.amount + tx.fee;
  changes.set(fromKey, {
    balance: sender.balance - cost,
    nonce: sender.nonce + 1n,
    locks: pruneLocks(sender, height),
  });
  const recipient = changes.get(toKey);
  changes.set(toKey, {
    balance: recipient.balance + tx.amount,
    nonce: recipient.nonce,
    locks: pruneLocks(recipient, height),
  });
  return ok();
}

function creditCoinbase(changes: StateChanges, coinbase: Coinbase, params: NetworkParams): Result {
  if (coinbase.amount === 0n) return ok();
  const key = toHex(coinbase.to);
  const account = changes.get(key);
  if (account.balance + coinbase.amount > MAX_MONEY) {
    return fail('TX_BALANCE_OVERFLOW', `the miner's balance would exceed ${MAX_MONEY}`);
  }
  const locks = pruneLocks(account, coinbase.height);
  changes.set(key, {
    balance: account.balance + coinbase.amount,
    nonce: account.nonce,
    locks:
      params.coinbaseMaturity === 0
        ? locks
        : [
            ...locks,
            { maturesAt: coinbase.height + params.coinbaseMaturity, amount: coinbase.amount },
          ],
  });
  return ok();
}

/**
 * Applies a block that passed checkBlock (one coinbase, first; transfers well-formed).
 * Signatures are not verified here: validateBlock does that last.
 */
export function applyBlock(
  state: AccountReader,
  block: Block,
  params: NetworkParams,
): Result<BlockEffects> {
  const height = block.header.height;
  const changes = new StateChanges(state);
  let fees = 0n;
  for (let i = 1; i < block.txs.length; i++) {
    const tx = block.txs[i] as Transfer;
    const applied = applyTransfer(changes, tx, height);
    if (!applied.ok) return fail(applied.code, `transaction ${i}: ${applied.detail}`);
    fees += tx.fee;
  }
  const coinbase = block.txs[0] as Coinbase;
  const allowed = blockSubsidy(params, height) + fees;
  if (coinbase.amount > allowed) {
    return fail(
      'BLOCK_COINBASE_TOO_LARGE',
      `coinbase pays ${formatCoins(coinbase.amount)} coins; subsidy + fees is ${formatCoins(allowed)} coins`,
    );
  }
  const credited = creditCoinbase(changes, coinbase, params);
  if (!credited.ok) return credited;
  return ok({ diff: changes.diff, undo: changes.undo, fees });
}

/** The diff that takes the state after a block back to the state before it, exactly. */
export function undoBlock(effects: Pick<BlockEffects, 'undo'>): StateDiff {
  return effects.undo;
}
