/**
 * What the Network page asks the node, typed: the peer routes of the tutorials (src/api/routes/
 * nodes.ts) and the recent block tree (src/api/routes/tree.ts). Failures are ClientErrors.
 */
import type { Client } from '../../../../src/api/client.ts';
import type { TreeBlock } from './treeLayout.ts';

export interface PeerView {
  url: string;
  named: boolean;
  state: 'answering' | 'not answering' | 'banned';
  answering: boolean;
  failures: number;
  last_seen_ms: number;
  tip_height: number | null;
  tip_hash: string | null;
  latency_ms: number | null;
  score: number;
  banned: boolean;
  banned_until_ms: number | null;
  ban_reason: string | null;
  last_error: { code: string; meaning: string; at_ms: number } | null;
}

export interface RegisteredNode {
  url: string;
  status: 'connected' | 'retrying' | 'banned' | 'refused';
  state: string;
  error?: { code: string; message: string };
}

export interface RegisterAnswer {
  message: string;
  total_nodes: string[];
  nodes: RegisteredNode[];
  added: string[];
  failed: { url: string; code: string; message: string }[];
}

export interface PeerSyncReport {
  url: string;
  ok: boolean;
  blocks: number;
  error?: { code: string; message: string };
}

/** /nodes/resolve's answer without the chain it also carries, which the page does not need. */
export interface ResolveAnswer {
  message: string;
  length: number;
  peers: PeerSyncReport[];
}

export interface TreeView {
  tip_height: number;
  tip_hash: string;
  from_height: number;
  blocks: TreeBlock[];
  truncated: boolean;
}

export const TREE_DEPTHS = [30, 60, 120, 200] as const;

export const loadPeers = (client: Client) =>
  client.get<{ nodes: string[]; peers: PeerView[] }>('/nodes/get').then((answer) => answer.peers);

export const loadTree = (client: Client, depth: number) =>
  client.get<TreeView>(`/api/tree?depth=${depth}`);

export const registerNodes = (client: Client, nodes: string[]) =>
  client.post<RegisterAnswer>('/nodes/register', { nodes });

export const unbanNodes = (client: Client, nodes: string[]) =>
  client.post<{ unbanned: string[]; unknown: string[] }>('/nodes/unban', { nodes });

export const removeNodes = (client: Client, nodes: string[]) =>
  client.post<{ removed: string[]; unknown: string[] }>('/nodes/remove', { nodes });

export async function syncNow(client: Client): Promise<ResolveAnswer> {
  const answer = await client.get<ResolveAnswer>('/nodes/resolve');
  return { message: answer.message, length: answer.length, peers: answer.peers };
}

/** The URLs typed in one box: separated by commas, spaces or new lines. */
export function parseNodeList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}
