/**
 * The tutorial's /nodes/resolve: a sync from every usable peer now, each reported (what it
 * brought, or why it failed), and whether our chain changed: during this call, or since peers
 * were registered (register syncs from them at once, and may have replaced it already).
 */
import { ok } from '../core/index.js';
import type { Network, PeerReport } from './network.js';

export async function resolvePeers(
  network: Network,
): Promise<{ replaced: boolean; peers: PeerReport[] }> {
  const { chain } = network.options;
  const before = network.tipAtRegister ?? chain.tip;
  const registered = new Map(network.registerSyncs);
  network.tipAtRegister = undefined;
  network.registerSyncs.clear();
  const peers = await Promise.all(
    network.peers.usable().map(async (peer): Promise<PeerReport> => {
      const tipBefore = chain.tip.header.height;
      // PERF: a sync under way is the answer (a register's, started a moment ago), and so is
      // one a registration started that ended well and brought blocks: asking again sent a
      // headers request for nothing (bench/adopt.ts; a short branch in one request often comes
      // before the resolve does).
      const early = registered.get(peer.url);
      const result = early ? ok(early) : await network.sync(peer.url, { join: true });
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
