/**
 * What the Network page asks the node, typed: the peer routes of the tutorials (src/api/routes/
 * nodes.ts) and the recent block tree (src/api/routes/tree.ts). Failures are ClientErrors.
 */
import {
  type Answer,
  type Client,
  ClientError,
  type PeerSyncReport,
  type PeerView,
} from '../../../../src/api/client.ts';

export type { PeerSyncReport, PeerView };
export type RegisterAnswer = Answer<'registerNodes'>;
export type RegisteredNode = RegisterAnswer['nodes'][number];
/** /nodes/resolve's answer without the chain it also carries, which the page does not need. */
export interface ResolveAnswer {
  message: string;
  length: number;
  peers: PeerSyncReport[];
}
export type TreeView = Answer<'tree'>;

export const TREE_DEPTHS = [30, 60, 120, 200] as const;

export const loadPeers = (client: Client) => client.request('peers').then((answer) => answer.peers);

export const loadTree = (client: Client, depth: number) =>
  client.request('tree', { query: { depth } });

export const registerNodes = (client: Client, nodes: string[]) =>
  client.request('registerNodes', { body: { nodes } });

export interface FaucetView {
  available: boolean;
  enabled: boolean;
  amount: string | null;
  amount_coins: string | null;
  window_ms: number | null;
}

export interface JoinView {
  urls: string[];
  dashboard_url: string | null;
  command: string | null;
  problem: string | null;
  faucet: FaucetView;
}

/** NOTE: plain fetch until the join and faucet routes are in src/api/contract.ts. */
export async function callJson<T>(client: Client, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${client.baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const json = await response.json();
  if (!response.ok)
    throw new ClientError(
      json.error?.code ?? 'CLIENT_BAD_RESPONSE',
      json.error?.message ?? `${response.status}`,
      response.status,
    );
  return json as T;
}

export const loadJoin = (client: Client) => callJson<JoinView>(client, '/api/join');

export const setFaucet = (client: Client, enabled: boolean) =>
  callJson<FaucetView>(client, '/api/faucet/config', { enabled });

export const unbanNodes = (client: Client, nodes: string[]) =>
  client.request('unbanNodes', { body: { nodes } });

export const removeNodes = (client: Client, nodes: string[]) =>
  client.request('removeNodes', { body: { nodes } });

export async function syncNow(client: Client): Promise<ResolveAnswer> {
  const answer = await client.request('resolve');
  return { message: answer.message, length: answer.length, peers: answer.peers };
}

/** The URLs typed in one box: separated by commas, spaces or new lines. */
export function parseNodeList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}
