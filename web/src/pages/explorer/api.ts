/**
 * What the explorer reads from the node, typed as the routes answer (src/api/routes/blocks.ts,
 * txs.ts), and the paging of blocks and of an address's history.
 */
import type { Answer, Client, ConfirmedTxJson, TxJson } from '../../../../src/api/client.ts';

export type BlocksPage = Answer<'blocks'>;
export type BlockRow = BlocksPage['blocks'][number];
export type BlockDetail = Answer<'block'>;
/** The node's answer for a transaction: pending, confirmed or dropped (and why). */
export type TxStatus = Answer<'tx'>;
export type HistoryTx = ConfirmedTxJson;

export const PAGE_SIZE = 20;

export function fetchBlocks(client: Client, beforeHeight: number | undefined, limit = PAGE_SIZE) {
  return client.request('blocks', { query: { limit, before_height: beforeHeight } });
}

export const fetchBlock = (client: Client, id: string) => client.block(id);

export const fetchTx = (client: Client, id: string) => client.tx(id);

/**
 * Where a page of history starts: below `beforeHeight`, less the `skip` newest entries of the
 * block just under it, which the previous page showed already. NOTE: the node pages history by
 * height only, so a page that ends inside a block would otherwise lose that block's rest.
 */
export interface HistoryCursor {
  beforeHeight: number | undefined;
  skip: number;
}

export interface HistoryPage {
  transactions: HistoryTx[];
  pending: TxJson[];
  /** The next (older) page, if there may be one. */
  older: HistoryCursor | undefined;
}

const MAX_LIMIT = 100;

export async function fetchHistory(
  client: Client,
  address: string,
  cursor: HistoryCursor,
  pageSize = PAGE_SIZE,
): Promise<HistoryPage> {
  let { beforeHeight, skip } = cursor;
  if (skip + pageSize > MAX_LIMIT && beforeHeight !== undefined) {
    // More than a page's worth in one block: go on below it rather than loop.
    beforeHeight -= 1;
    skip = 0;
  }
  const limit = Math.min(MAX_LIMIT, skip + pageSize);
  const raw = await client.request('history', {
    params: { address },
    query: { limit, before_height: beforeHeight },
  });
  const last = raw.transactions[raw.transactions.length - 1];
  const older =
    last && raw.transactions.length === limit
      ? {
          beforeHeight: last.height + 1,
          skip: raw.transactions.filter((tx) => tx.height === last.height).length,
        }
      : undefined;
  return { transactions: raw.transactions.slice(skip), pending: raw.pending, older };
}
