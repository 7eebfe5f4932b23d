/**
 * Verifies every transfer signature of a block at once on all cores (node:crypto's async verify
 * runs in libuv's thread pool). Transactions the mempool already verified are skipped, as Bitcoin
 * Core's signature cache does: a transaction id commits to the signature and everything it signs.
 */
import { type Block, fail, hashTx, ok, type Result, toHex, txSigningBytes } from '../core/index.js';
import type { NodeVerifier } from '../crypto/nodeEd25519.js';

export async function verifyBlockSignatures(
  block: Block,
  verifier: NodeVerifier,
  alreadyVerified: (txIdHex: string) => boolean,
  /** The block's transaction ids, if the caller has them: not computed again. */
  txIds?: readonly Uint8Array[],
): Promise<Result> {
  const checks: Promise<boolean>[] = [];
  const indexes: number[] = [];
  block.txs.forEach((tx, index) => {
    if (tx.type !== 'transfer' || alreadyVerified(toHex(txIds?.[index] ?? hashTx(tx)))) return;
    checks.push(verifier.verifyAsync(tx.from, txSigningBytes(tx), tx.signature));
    indexes.push(index);
  });
  const results = await Promise.all(checks);
  const bad = results.indexOf(false);
  if (bad !== -1) {
    return fail('TX_BAD_SIGNATURE', `transaction ${indexes[bad]}: the signature does not verify`);
  }
  return ok();
}
