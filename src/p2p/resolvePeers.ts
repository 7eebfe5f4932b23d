/**
 * The tutorial's /nodes/resolve: a sync from every usable peer now, each reported (what it
 * brought during this call, or why it failed), and whether our chain changed during the call.
 *
 * A sync from the peer under way is joined, not asked for again; one that ended well a moment
 * ago (JUST_SYNCED_MS) is the answer as it is. PERF: the tutorial's two calls, register then
 * resolve, come milliseconds apart, and a registration syncs at once (network.ts): when that
 * sync had ended, the resolve sent a headers request for nothing (bench/adopt.ts counted
 * "/api/p2p/headers ×2"). A peer that gets a block meanwhile announces it, and the announcement
 * starts a sync of its own.
 */
import type { Network, PeerReport } from './network.js';

/** A sync from a peer that ended well this recently answers a resolve for it. */
export const JUST_SYNCED_MS = 1_000;

/** When each peer's last sync ended well, on the node's clock, kept for a while. */
export class JustSynced {
  private readonly at = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** A sync from `url` ended, well or not. */
  ended(url: string, well: boolean): void {
    this.at.delete(url);
    if (!well) return;
    const now = this.now();
    for (const [peer, at] of this.at) if (Math.abs(now - at) > 60_000) this.at.delete(peer);
    this.at.set(url, now);
  }

  /** Whether a sync from `url` ended well less than JUST_SYNCED_MS ago. */
  has(url: string): boolean {
    const at = this.at.get(url);
    // NOTE: a clock set back counts as no time passed only as far as JUST_SYNCED_MS back.
    const since = at === undefined ? Number.NaN : this.now() - at;
    return since >= -JUST_SYNCED_MS && since < JUST_SYNCED_MS;
  }
}

export async function resolvePeers(
  network: Network,
): Promise<{ replaced: boolean; peers: PeerReport[] }> {
  const { chain } = network.options;
  const before = chain.tip;
  const peers = await Promise.all(
    network.peers.usable().map(async (peer): Promise<PeerReport> => {
      const tipBefore = chain.tip.header.height;
      if (!network.isSyncing(peer.url) && network.justSynced.has(peer.url))
        return { url: peer.url, ok: true, blocks: 0 };
      const result = await network.sync(peer.url, { join: true });
      // NOTE: a sync joined may have added blocks before this call: only those since count, as
      // the message says whether the chain changed during the call (the Network page's "Sync
      // now" after a registration says "authoritative" once the registration has synced).
      const gained = Math.max(0, chain.tip.header.height - tipBefore);
      return result.ok
        ? { url: peer.url, ok: true, blocks: Math.min(result.value.blocks, gained) }
        : {
            url: peer.url,
            ok: false,
            blocks: gained,
            code: result.code,
            message: result.detail,
          };
    }),
  );
  return { replaced: chain.tip !== before, peers };
}
