/**
 * A wallet's own transfers, followed until a block confirms them, and sent again when the node no
 * longer knows them (it lost its mempool, it is another node, it expired or evicted them). Shared
 * by `blockyard wallet` (its `<name>.sent.json`) and the browser wallet (localStorage).
 * A signed transfer is public data, safe to keep anywhere: it holds no key.
 */
import type { ClientError, TxView } from '../api/client.js';
import type { TransferJson } from '../core/json.js';

/** A transfer this wallet sent: its id, what was signed, and the node it went to. */
export interface SentTransfer {
  readonly id: string;
  readonly tx: TransferJson;
  readonly nodeUrl: string;
  readonly sentAtMs: number;
}

/** The calls it needs (the typed client's). */
export interface ResendClient {
  tx(id: string): Promise<TxView>;
  submitTx(tx: TransferJson): Promise<{ id: string }>;
}

export type Followed =
  | { readonly state: 'pending' }
  | { readonly state: 'confirmed'; readonly height: number; readonly confirmations: number }
  /** The node did not know it (or had dropped it) and took it again. */
  | { readonly state: 'resent'; readonly before: string }
  /** The node refused it again: it can never be confirmed as it is (e.g. its nonce is used). */
  | { readonly state: 'refused'; readonly code: string; readonly message: string }
  /** The node could not be asked; nothing is known. */
  | { readonly state: 'unknown'; readonly code: string; readonly message: string };

/** Asks the node about one sent transfer, and sends it again if the node has lost it. */
export async function follow(client: ResendClient, sent: SentTransfer): Promise<Followed> {
  let before: string;
  try {
    const view = await client.tx(sent.id);
    if (view.status === 'pending') return { state: 'pending' };
    if (view.status === 'confirmed')
      return { state: 'confirmed', height: view.height, confirmations: view.confirmations };
    before = `dropped: ${view.reason.code}`;
  } catch (error) {
    const e = error as ClientError;
    if (e.code !== 'API_NOT_FOUND') return { state: 'unknown', code: e.code, message: e.message };
    before = 'unknown to the node';
  }
  try {
    await client.submitTx(sent.tx);
    return { state: 'resent', before };
  } catch (error) {
    const e = error as ClientError;
    if (e.code === 'TX_ALREADY_KNOWN') return { state: 'pending' };
    if (e.status === 0) return { state: 'unknown', code: e.code, message: e.message };
    return { state: 'refused', code: e.code, message: e.message };
  }
}

/** Whether a wallet should keep following it: not once confirmed or refused for good. */
export const stillFollowed = (followed: Followed): boolean =>
  followed.state === 'pending' || followed.state === 'resent' || followed.state === 'unknown';
