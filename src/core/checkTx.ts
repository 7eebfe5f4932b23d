/**
 * Context-free checks of a transfer: what can be decided from its own fields and the network,
 * without the chain's state or the (costly) signature.
 */
import { isStrictPublicKey } from './ed25519.js';
import { MAX_MONEY } from './money.js';
import type { NetworkParams } from './params.js';
import { fail, ok, type Result } from './result.js';
import type { Transfer, Tx } from './types.js';

const MAX_U64 = (1n << 64n) - 1n;
const isU64 = (n: bigint) => n >= 0n && n <= MAX_U64;
const isU32 = (n: number) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

/** Whether every field fits its encoding (always true of a decoded transaction). */
export function isEncodable(tx: Tx): boolean {
  if (!isU32(tx.chainId) || tx.to.length !== 32 || !isU64(tx.amount)) return false;
  if (tx.type === 'coinbase') return isU32(tx.height);
  return tx.from.length === 32 && tx.signature.length === 64 && isU64(tx.fee) && isU64(tx.nonce);
}

export function checkTransfer(tx: Transfer, params: NetworkParams): Result {
  if (tx.from.length !== 32 || tx.to.length !== 32 || tx.signature.length !== 64) {
    return fail('ENCODING_OUT_OF_RANGE', 'keys are 32 bytes and signatures 64 bytes');
  }
  if (tx.nonce < 0n || tx.nonce > MAX_U64) {
    return fail('ENCODING_OUT_OF_RANGE', `nonce ${tx.nonce} is not a u64`);
  }
  if (!isStrictPublicKey(tx.from)) {
    return fail(
      'TX_BAD_PUBLIC_KEY',
      'the sender key is not a canonical Ed25519 key of large order',
    );
  }
  if (tx.chainId !== params.chainId) {
    return fail(
      'TX_WRONG_CHAIN',
      `chain id ${tx.chainId} is not ${params.name}'s (${params.chainId})`,
    );
  }
  if (tx.amount < 1n) {
    return fail('TX_AMOUNT_NOT_POSITIVE', `amount ${tx.amount} must be at least 1 base unit`);
  }
  if (tx.fee < 1n) return fail('TX_FEE_NOT_POSITIVE', `fee ${tx.fee} must be at least 1 base unit`);
  if (tx.amount + tx.fee > MAX_MONEY) {
    return fail('TX_AMOUNT_TOO_LARGE', `amount + fee = ${tx.amount + tx.fee} exceeds ${MAX_MONEY}`);
  }
  return ok();
}

/** A transaction offered on its own (to a mempool): a coinbase never is. */
export function checkTx(tx: Tx, params: NetworkParams): Result {
  if (tx.type === 'coinbase') {
    return fail('TX_COINBASE_NOT_ALLOWED', 'a coinbase only comes inside a block, first');
  }
  return checkTransfer(tx, params);
}
