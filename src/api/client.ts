/**
 * A typed client for a node's HTTP API, used by `blockyard wallet`/`chain` and the web app. It
 * speaks only fetch (Node 20 and browsers both have it) and imports nothing from the server, so
 * it bundles into the browser. Every failure is a ClientError with a stable code: the node's own
 * `{error: {code, message}}`, or CLIENT_UNREACHABLE / CLIENT_BAD_RESPONSE when no such answer came.
 */
import type { HeaderJson, TransferJson, TxJson } from '../core/json.js';

export class ClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The HTTP status, 0 when the node never answered. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

export interface NodeInfo {
  network: string;
  chain_id: number;
  address_prefix: string;
  coin_decimals: number;
  coinbase_maturity: number;
  height: number;
  tip_hash: string;
  tip_timestamp_ms: number;
  chain_work: string;
  bits: number;
  target: string;
  hash_rate: number;
  mempool_size: number;
  mempool_bytes: number;
  peer_count: number;
  sync: { syncing: false } | { syncing: true; peer: string; height: number; target_height: number };
  node_address: string;
  genesis_hash: string;
  version: string;
}

export interface AccountView {
  address: string;
  balance: string;
  spendable: string;
  immature: string;
  nonce: string;
  next_nonce: string;
  pending: number;
}

export interface BlockView extends HeaderJson {
  transactions: TxJson[];
  [field: string]: unknown;
}

export type TxView =
  | { status: 'pending'; transaction: TxJson }
  | {
      status: 'dropped';
      transaction: TxJson;
      reason: { code: string; message: string };
      dropped_at_ms: number;
    }
  | {
      status: 'confirmed';
      transaction: TxJson;
      block_hash: string;
      height: number;
      index: number;
      confirmations: number;
    };

/** A transaction in an address's history: where it was confirmed, and how deep. */
export type ConfirmedTxJson = TxJson & { height: number; index: number; confirmations: number };

export interface ClientOptions {
  /** The node's URL, e.g. http://127.0.0.1:5000 (a trailing slash is fine). */
  baseUrl: string;
  /** Bearer token for operator routes from another machine. */
  apiToken?: string;
  timeoutMs?: number;
}

export type Client = ReturnType<typeof createClient>;

export function createClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.apiToken) headers.authorization = `Bearer ${options.apiToken}`;
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const why =
        (error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : 'no answer';
      throw new ClientError('CLIENT_UNREACHABLE', `${base}: ${why}`, 0);
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new ClientError(
        'CLIENT_BAD_RESPONSE',
        `${base}${path} answered ${response.status} without JSON`,
        response.status,
      );
    }
    if (!response.ok) {
      // NOTE: `?.` because JSON can be `null`, which has no fields to read.
      const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      if (typeof error?.code === 'string') {
        throw new ClientError(error.code, String(error.message ?? error.code), response.status);
      }
      throw new ClientError(
        'CLIENT_BAD_RESPONSE',
        `${base}${path} answered ${response.status}`,
        response.status,
      );
    }
    return json as T;
  }

  const get = <T>(path: string) => call<T>('GET', path);
  const post = <T>(path: string, body: unknown = {}) => call<T>('POST', path, body);
  const enc = encodeURIComponent;

  return {
    baseUrl: base,
    get,
    post,
    info: () => get<NodeInfo>('/api/info'),
    account: (address: string) => get<AccountView>(`/api/address/${enc(address)}`),
    history: (address: string, limit = 50) =>
      get<{ transactions: ConfirmedTxJson[]; pending: TxJson[] }>(
        `/api/address/${enc(address)}/history?limit=${limit}`,
      ),
    block: (idOrHeight: string | number) =>
      get<BlockView>(`/api/blocks/${enc(String(idOrHeight))}`),
    blocks: (limit = 20) =>
      get<{ blocks: (HeaderJson & { tx_count: number })[]; next_before_height: number | null }>(
        `/api/blocks?limit=${limit}`,
      ),
    tx: (id: string) => get<TxView>(`/api/tx/${enc(id)}`),
    mempool: () => get<{ count: number; bytes: number; transactions: TxJson[] }>('/api/mempool'),
    submitTx: (tx: TransferJson) => post<{ id: string; status: 'pending' }>('/api/tx', tx),
  };
}
