/**
 * What the explorer reads from the node, typed as the routes answer (src/api/routes/blocks.ts,
 * txs.ts), and the paging of blocks and of an address's history.
 */
import type { Client, ConfirmedTxJson, TxView } from '../../../../src/api/client.ts';
import type { HeaderJson, TxJson } from '../../../../src/core/json.ts';

export type BlockRow = HeaderJson & { tx_count: number };

export interface BlocksPage {
  blocks: BlockRow[];
  next_before_height: number | null;
}

export interface BlockDetail extends HeaderJson {
  transactions: TxJson[];
  target: string;
  confirmations: number;
  main_chain: boolean;
  chain_work: string;
}

/** The node's answer for a transaction: pending, confirmed or dropped (and why). */
export type TxStatus = TxView;
export type HistoryTx = ConfirmedTxJson;

export const PAGE_SIZE = 20;

export function fetchBlocks(client: Client, beforeHeight: number | undefined, limit = PAGE_SIZE) {
  const before = beforeHeight === undefined ? '' : `&before_height=${beforeHeight}`;
  return client.get<BlocksPage>(`/api/blocks?limit=${limit}${before}`);
}

export const fetchBlock = (client: Client, id: string) =>
  client.get<BlockDetail>(`/api/blocks/${encodeURIComponent(id)}`);

export const fetchTx = (client: Client, id: string) =>
  client.get<TxStatus>(`/api/tx/${encodeURIComponent(id)}`);

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
  const before = beforeHeight === undefined ? '' : `&before_height=${beforeHeight}`;
  const raw = await client.get<{ transactions: HistoryTx[]; pending: TxJson[] }>(
    `/api/address/${encodeURIComponent(address)}/history?limit=${limit}${before}`,
  );
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
