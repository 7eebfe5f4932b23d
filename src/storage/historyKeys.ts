import type { Tx } from '../core/index.js';

/** The accounts whose history lists a transaction: sender and recipient (once if the same). */
export function historyKeys(tx: Tx): Uint8Array[] {
  if (tx.type === 'coinbase') return [tx.to];
  const same = tx.from.every((byte, i) => byte === tx.to[i]);
  return same ? [tx.from] : [tx.from, tx.to];
}
