import { equalBytes, type Tx } from '../core/index.js';

/** The accounts whose history lists a transaction: sender and recipient (once if the same). */
export function historyKeys(tx: Tx): Uint8Array[] {
  if (tx.type === 'coinbase') return [tx.to];
  // PERF: equalBytes, not tx.from.every(…): a callback per byte was ≈ 2.5 % of a full block's
  // Chain.addBlock on the main thread (node --cpu-prof of bench/connect.ts).
  return equalBytes(tx.from, tx.to) ? [tx.from] : [tx.from, tx.to];
}
