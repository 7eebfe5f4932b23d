/**
 * The tutorial's /nodes/resolve: a sync from every usable peer now, each reported (what it
 * brought during this call, or why it failed), and whether our chain changed during the call.
 *
 * A sync from the peer under way is joined, not asked for again. NOTE: one that ended a moment
 * ago is not taken as the answer: the peer may have a block since, or be cut off since (the
 * lab's link tests caught a resolve that said "ok" over a link cut 10 ms before), and a resolve
 * is the operator asking the peers now. It costs the tutorial's register-then-resolve one more
 * headers page when the registration's sync has already ended.
 */
import type { Network, PeerReport } from './network.js';

export async function resolvePeers(
  network: Network,
): Promise<{ replaced: boolean; peers: PeerReport[] }> {
  const { chain } = network.options;
  const before = chain.tip;
  const peers = await Promise.all(
    network.peers.usable().map(async (peer): Promise<PeerReport> => {
      const tipBefore = chain.tip.header.height;
      const result = await network.sync(peer.url, { join: true, asked: true });
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
