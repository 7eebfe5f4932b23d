/**
 * The deep-switch benches' blocks' transfers (deepRewind.ts, deepSwitchPause.ts): a funder paid
 * by block 1's coinbase pays SENDERS senders at block 2, who then pay round robin, each transfer
 * to a new key, so the state grows by one account a transfer. Signatures are zeros: the benches
 * take them as checked (a replay checks none).
 */
import { blockSubsidy, type NetworkParams, type Transfer } from '../../src/core/index.js';

export const SENDERS = 500;

/** A 32-byte key from a counter (distinct, no randomness needed). */
export const keyOf = (n: number): Uint8Array => {
  const key = new Uint8Array(32);
  new DataView(key.buffer).setUint32(0, n + 1);
  key[31] = 0x5e;
  return key;
};
export const funder = keyOf(1_000_000_000);
const senders = Array.from({ length: SENDERS }, (_, i) => keyOf(2_000_000_000 + i));

/** The senders' next nonces and the next recipient, at some height: a branch starts from a copy. */
export interface Payer {
  nonces: bigint[];
  next: number;
  recipient: number;
}
export const newPayer = (): Payer => ({ nonces: senders.map(() => 0n), next: 0, recipient: 0 });
export const clonePayer = (p: Payer): Payer => ({ ...p, nonces: [...p.nonces] });

/**
 * The transfers of the block at `height`: none below 2, the senders' funding at 2, above it
 * `count` transfers of 1 paid round robin to keys from `recipients` on.
 */
export function blockTransfers(
  params: NetworkParams,
  height: number,
  payer: Payer,
  count: number,
  recipients = 0,
): Transfer[] {
  const transfer = (from: Uint8Array, to: Uint8Array, amount: bigint, nonce: bigint): Transfer => ({
    type: 'transfer',
    chainId: params.chainId,
    from,
    to,
    amount,
    fee: 1n,
    nonce,
    signature: new Uint8Array(64),
  });
  const txs: Transfer[] = [];
  if (height === 2) {
    const each = blockSubsidy(params, 1) / BigInt(2 * SENDERS);
    for (const [i, s] of senders.entries()) txs.push(transfer(funder, s, each, BigInt(i)));
  } else if (height > 2)
    for (let j = 0; j < count; j++) {
      const to = keyOf(recipients + payer.recipient++);
      txs.push(transfer(senders[payer.next]!, to, 1n, payer.nonces[payer.next]!));
      payer.nonces[payer.next]!++;
      payer.next = (payer.next + 1) % SENDERS;
    }
  return txs;
}
