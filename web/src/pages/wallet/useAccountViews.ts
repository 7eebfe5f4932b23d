/**
 * What the node says about each of the wallet's addresses (balances, next nonce, recent and
 * pending transactions), loaded together and again on every block, reorg and transaction.
 */
import type { AccountView, ConfirmedTxJson, TxJson } from '../../../../src/api/client.ts';
import { type Loaded, useLoad } from '../../node.tsx';

export type ConfirmedTx = ConfirmedTxJson;
type TransferJson = Extract<TxJson, { type: 'transfer' }>;

export interface AccountData {
  readonly view: AccountView;
  /** Newest first. */
  readonly confirmed: ConfirmedTx[];
  /** This address's own transfers waiting in the mempool. */
  readonly pending: TransferJson[];
  /** Transfers to this address waiting in the mempool (from the node's list of them). */
  readonly incoming: TransferJson[];
}

export const HISTORY_LIMIT = 10;

export function useAccountViews(addresses: readonly string[]): Loaded<AccountData[]> {
  return useLoad(
    async (client) => {
      // NOTE: an address's history lists only the pending transfers it sends; the ones it
      // receives are found in the mempool (the node lists up to 500, highest fee first).
      const mempool = client.mempool();
      return Promise.all(
        addresses.map(async (address) => {
          const [view, { transactions, pending }, { transactions: waiting }] = await Promise.all([
            client.account(address),
            client.history(address, HISTORY_LIMIT),
            mempool,
          ]);
          const incoming = waiting.filter(
            (tx): tx is TransferJson =>
              tx.type === 'transfer' && tx.to === address && tx.from !== address,
          );
          const own = pending.filter((tx): tx is TransferJson => tx.type === 'transfer');
          return { view, confirmed: transactions, pending: own, incoming };
        }),
      );
    },
    [addresses.join(' ')],
    ['block', 'reorg', 'tx'],
  );
}

/** What `address` can still spend, as the node counts it: spendable less its pending transfers. */
export function availableOf(data: AccountData): bigint {
  return data.view.available;
}
