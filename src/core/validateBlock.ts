/**
 * Full validation of a block against its parent's branch, in the order that rejects bad blocks
 * most cheaply (STYLE: size → header → proof of work → body → context → signatures):
 * checkBlock, validateHeader, applyBlock, then every signature.
 */
import { applyBlock, type BlockEffects } from './applyBlock.js';
import { type CheckedBlock, checkBlock } from './checkBlock.js';
import { type SignatureVerifier, verifyTransfer } from './ed25519.js';
import { fail, ok, type Result } from './result.js';
import type { AccountReader } from './state.js';
import type { Block } from './types.js';
import { type HeaderContext, validateHeader } from './validateHeader.js';

export interface BlockContext extends HeaderContext {
  /** The account state at the parent. */
  readonly state: AccountReader;
  readonly verify: SignatureVerifier;
}

export type ValidatedBlock = CheckedBlock & BlockEffects;

export function validateBlock(block: Block, ctx: BlockContext): Result<ValidatedBlock> {
  const checked = checkBlock(block, ctx.params);
  if (!checked.ok) return checked;
  const header = validateHeader(block.header, ctx);
  if (!header.ok) return header;
  const effects = applyBlock(ctx.state, block, ctx.params);
  if (!effects.ok) return effects;
  for (let i = 1; i < block.txs.length; i++) {
    const tx = block.txs[i]!;
    if (tx.type === 'transfer' && !verifyTransfer(tx, ctx.verify)) {
      return fail('TX_BAD_SIGNATURE', `transaction ${i}: the signature does not verify`);
    }
  }
  return ok({ ...checked.value, ...effects.value });
}
