/**
 * A transaction offered on its own, as a mempool admits it: context-free checks, then the nonce
 * and balance against `state` (the tip plus whatever the caller has pending), then the signature.
 */
import { applyTransfer, StateChanges } from './applyBlock.js';
import { checkTx } from './checkTx.js';
import { type SignatureVerifier, verifyTransfer } from './ed25519.js';
import type { NetworkParams } from './params.js';
import { fail, ok, type Result } from './result.js';
import type { AccountReader, StateDiff } from './state.js';
import type { Transfer, Tx } from './types.js';

export interface TxContext {
  readonly params: NetworkParams;
  readonly state: AccountReader;
  /** The height of the block the transaction would be mined in (the tip's + 1). */
  readonly height: number;
  readonly verify: SignatureVerifier;
}

export function validateTx(tx: Tx, ctx: TxContext): Result<{ diff: StateDiff; tx: Transfer }> {
  const checked = checkTx(tx, ctx.params);
  if (!checked.ok) return checked;
  const transfer = tx as Transfer;
  const changes = new StateChanges(ctx.state);
  const applied = applyTransfer(changes, transfer, ctx.height);
  if (!applied.ok) return applied;
  if (!verifyTransfer(transfer, ctx.verify)) {
    return fail(
      'TX_BAD_SIGNATURE',
      "the signature does not match the transaction and the sender's key",
    );
  }
  return ok({ diff: changes.diff, tx: transfer });
}
