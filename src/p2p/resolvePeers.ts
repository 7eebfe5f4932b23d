/**
 * The tutorial's /nodes/resolve: a sync from every usable peer now, each reported (what it
 * brought, or why it failed), and whether our chain changed.
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
      // PERF: a sync under way is the answer (a register's, started a moment ago); asking for
      // another after it sent a headers request during the answer's stream (bench/adopt.ts).
      const result = await network.sync(peer.url, { join: true });
      return result.ok
        ? { url: peer.url, ok: true, blocks: result.value.blocks }
        : {
            url: peer.url,
            ok: false,
            blocks: Math.max(0, chain.tip.header.height - tipBefore),
            code: result.code,
            message: result.detail,
          };
    }),
  );
  return { replaced: chain.tip !== before, peers };
}
