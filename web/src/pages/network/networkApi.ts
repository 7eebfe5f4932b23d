/**
 * What the Network page asks the node, typed: the peer routes of the tutorials (src/api/routes/
 * nodes.ts) and the recent block tree (src/api/routes/tree.ts). Failures are ClientErrors.
 */
import type { Answer, Client, PeerSyncReport, PeerView } from '../../../../src/api/client.ts';

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

export type JoinView = Answer<'join'>;

export const loadJoin = (client: Client) => client.request('join');

export const setFaucet = (client: Client, enabled: boolean) =>
  client.request('faucetConfig', { body: { enabled } });

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
