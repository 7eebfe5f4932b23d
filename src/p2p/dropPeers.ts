/**
 * The operator's peer removals: forgetting peers (/nodes/remove, Bitcoin Core's `disconnectnode`
 * and `addnode … remove`) and lifting bans (/nodes/unban, Core's `setban … remove`).
 */
import type { Network } from './network.js';
import { normalizePeerUrl } from './peerClient.js';

/**
 * Forgets peers (the operator's "drop"); a ban goes with them. NOTE: a dropped peer that is
 * still running may come back by introducing itself, as it could before it was first known.
 */
export function forgetPeers(
  network: Network,
  texts: readonly string[],
): { removed: string[]; unknown: string[] } {
  const removed: string[] = [];
  const unknown: string[] = [];
  for (const text of texts) {
    const url = normalizePeerUrl(text);
    if (url && network.peers.get(url)) {
      network.schedule.cancel(url);
      network.stalls.forget(url);
      network.peers.remove(url);
      removed.push(url);
    } else unknown.push(text);
  }
  return { removed, unknown };
}

/** Lifts bans; each peer is called again at once. */
export function unbanPeers(
  network: Network,
  texts: readonly string[],
): { unbanned: string[]; unknown: string[] } {
  const unbanned: string[] = [];
  const unknown: string[] = [];
  for (const text of texts) {
    const url = normalizePeerUrl(text);
    if (url && network.peers.unban(url)) {
      network.options.logger.info({ peer: url }, 'ban lifted by the operator');
      network.schedule.now(url);
      unbanned.push(url);
    } else unknown.push(text);
  }
  return { unbanned, unknown };
}
