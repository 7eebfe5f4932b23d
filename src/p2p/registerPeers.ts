/**
 * The operator names peers (/nodes/register, like Bitcoin Core's `addnode`): each well-formed
 * URL is kept and greeted now; one that does not answer yet stays in the book and is retried
 * with backoff until it does or the operator removes it, so a class can start its nodes in any
 * order. Only answers that say the address is not a peer of ours (itself, another network, a
 * node with our key) are not kept.
 */
import { type ErrorCode, fail, ok, type Result } from '../core/index.js';
import type { Network } from './network.js';
import { normalizePeerUrl } from './peerClient.js';
import { nextRetryMs } from './peerSchedule.js';

export type PeerStatus = 'connected' | 'retrying' | 'banned' | 'refused';

export interface RegisteredPeer {
  readonly url: string;
  readonly status: PeerStatus;
  /** For a person: "connected", "not answering yet: will keep trying", … */
  readonly state: string;
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

const KEPT_ON: readonly ErrorCode[] = [
  'P2P_UNREACHABLE',
  'P2P_TIMEOUT',
  'P2P_BAD_RESPONSE',
  'P2P_TOO_LARGE',
  'P2P_BANNED',
  'P2P_PEER_LIMIT',
];

export async function registerPeers(
  network: Network,
  texts: readonly string[],
): Promise<Result<RegisteredPeer[]>> {
  const urls: string[] = [];
  for (const text of texts) {
    const url = normalizePeerUrl(text);
    if (!url)
      return fail(
        'P2P_BAD_URL',
        `"${text}" is not a peer address; give host:port or http://host:port`,
      );
    urls.push(url);
  }
  return ok(await Promise.all([...new Set(urls)].map((url) => registerOne(network, url))));
}

async function registerOne(network: Network, url: string): Promise<RegisteredPeer> {
  const { peers, schedule, options } = network;
  const added = peers.add(url, true);
  if (!added.ok) {
    const state =
      added.code === 'P2P_BANNED'
        ? `banned until ${new Date(peers.get(url)?.bannedUntilMs ?? 0).toISOString()}: ${peers.get(url)?.banReason}; lift it with POST /nodes/unban`
        : 'not added: this node keeps no more peers';
    return {
      url,
      status: added.code === 'P2P_BANNED' ? 'banned' : 'refused',
      state,
      error: { code: added.code, message: added.detail },
    };
  }
  const greeted = await network.greet(url, true);
  if (greeted.ok) {
    schedule.after(url, network.pingMs);
    return { url, status: 'connected', state: 'connected' };
  }
  const error = { code: greeted.code, message: greeted.detail };
  if (!KEPT_ON.includes(greeted.code) || peers.isBanned(url)) {
    schedule.cancel(url);
    peers.remove(url);
    return { url, status: 'refused', state: `refused: ${greeted.detail}`, error };
  }
  const delayMs = nextRetryMs(true, peers.get(url)?.failures ?? 1);
  schedule.after(url, delayMs);
  options.logger.info(
    { peer: url, code: greeted.code },
    'named peer not answering yet: will keep trying',
  );
  return { url, status: 'retrying', state: 'not answering yet: will keep trying', error };
}
