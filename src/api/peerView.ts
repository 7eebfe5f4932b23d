/**
 * A peer as the API shows it (GET /nodes/get, the Network page): its state now, and its last
 * error short — the code, what it means, when — never a URL with a query string of hashes (the
 * whole detail is in the node's log).
 */
import { errorMeanings } from '../core/index.js';
import type { Network } from '../p2p/network.js';
import { decayedScore, type PeerState } from '../p2p/peerBook.js';

export function peerView(network: Network, p: PeerState) {
  const now = network.options.now();
  const banned = network.peers.isBanned(p.url);
  return {
    url: p.url,
    named: p.named,
    state: banned
      ? ('banned' as const)
      : p.answering
        ? ('answering' as const)
        : ('not answering' as const),
    answering: p.answering && !banned,
    failures: p.failures,
    node_address: p.nodeAddress ?? null,
    version: p.version ?? null,
    last_seen_ms: p.lastSeenMs,
    tip_height: p.tipHeight ?? null,
    tip_hash: p.tipHash ?? null,
    latency_ms: p.latencyMs ?? null,
    score: Math.round(decayedScore(p, now)),
    banned,
    banned_until_ms: banned ? p.bannedUntilMs : null,
    ban_reason: banned ? shortReason(p.banReason) : null,
    last_error:
      p.lastErrorCode === undefined
        ? null
        : {
            code: p.lastErrorCode,
            meaning: errorMeanings[p.lastErrorCode],
            at_ms: p.lastErrorMs ?? 0,
          },
  };
}

/** `CODE: detail` cut before any URL or long hex, at 160 characters. */
function shortReason(reason: string): string {
  return reason
    .replace(/https?:\/\/\S+/g, '…')
    .replace(/[0-9a-f]{20,}/g, (hex) => `${hex.slice(0, 12)}…`)
    .slice(0, 160);
}
