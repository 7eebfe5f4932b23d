/**
 * A typed client for a node's HTTP API, used by `blockyard wallet`/`chain` and the web app. It
 * speaks only fetch (Node 20 and browsers both have it) and imports nothing from the server, so
 * it bundles into the browser. Every failure is a ClientError with a stable code: the node's own
 * `{error: {code, message}}`, or CLIENT_UNREACHABLE / CLIENT_BAD_RESPONSE when no such answer came.
 */
import type { TransferJson } from '../core/json.js';
import {
  type Answer,
  type Body,
  type Contract,
  contract,
  type Params,
  type Query,
  type RouteName,
} from './contract.js';

export type {
  BlockView,
  ConfirmedTxJson,
  Found,
  NodeInfo,
  PeerSyncReport,
  PeerView,
  TreeBlock,
  TxJson,
  TxView,
} from './schemas.js';
export type { Answer, RouteName };

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

/** An address's state, amounts parsed from the node's decimal strings. */
export interface AccountView {
  address: string;
  balance: bigint;
  spendable: bigint;
  immature: bigint;
  nonce: bigint;
  next_nonce: bigint;
  pending: number;
  /** What its pending transfers pay out, what others' will pay it, and what it can spend now. */
  pending_out: bigint;
  pending_in: bigint;
  available: bigint;
}

/** What a call to route K takes: its path parameters, query and body, as the contract says. */
export type Input<K extends RouteName> = (Params<K> extends undefined
  ? unknown
  : { params: Params<K> }) &
  (Query<K> extends undefined
    ? unknown
    : { query?: { [F in keyof Query<K>]?: string | number | undefined } }) &
  (Body<K> extends undefined ? unknown : { body?: Body<K> });

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

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
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
    return json;
  }

  /**
   * Calls route `name` of the contract. NOTE: the answer is trusted to match the contract (the
   * node checks its own answers against it in the tests); a node that is not blockyard could
   * answer anything, and a missing field then shows where it is read.
   */
  async function request<K extends RouteName>(
    name: K,
    input?: NoInfer<Input<K>>,
  ): Promise<Answer<K>> {
    const route: Contract[RouteName] = contract[name];
    const given = (input ?? {}) as { params?: object; query?: object; body?: unknown };
    const params = (given.params ?? {}) as Record<string, string>;
    let path = route.url.replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(params[key]!));
    const query = Object.entries(given.query ?? {}).filter(([, value]) => value !== undefined);
    if (query.length > 0)
      path += `?${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)]))}`;
    const body = route.method === 'POST' ? (given.body ?? {}) : undefined;
    return (await call(route.method, path, body)) as Answer<K>;
  }

  return {
    baseUrl: base,
    request,
    info: () => request('info'),
    account: async (address: string): Promise<AccountView> => {
      const view = await request('account', { params: { address } });
      return {
        address: view.address,
        balance: BigInt(view.balance),
        spendable: BigInt(view.spendable),
        immature: BigInt(view.immature),
        nonce: BigInt(view.nonce),
        next_nonce: BigInt(view.next_nonce),
        pending: view.pending,
        pending_out: BigInt(view.pending_out),
        pending_in: BigInt(view.pending_in),
        available: BigInt(view.available),
      };
    },
    history: (address: string, limit = 50) =>
      request('history', { params: { address }, query: { limit } }),
    block: (idOrHeight: string | number) =>
      request('block', { params: { id: String(idOrHeight) } }),
    blocks: (limit = 20) => request('blocks', { query: { limit } }),
    tx: (id: string) => request('tx', { params: { id } }),
    mempool: () => request('mempool'),
    submitTx: (tx: TransferJson) => request('submitTx', { body: tx }),
  };
}
