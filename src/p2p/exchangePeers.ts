/**
 * Peer exchange: asks each verified peer for the peers it knows, and introduces this node to new
 * ones, until it has EXCHANGE_TARGET answering peers (as Bitcoin Core keeps 8 outbound). PERF:
 * not everyone: in a class of 30 a full mesh pinged 29 peers a node and the idle room ate the
 * cores.
 */
import { PeerList } from './messages.js';
import { EXCHANGE_TARGET, type Network } from './network.js';
import { MAX_PEERS } from './peerBook.js';
import { callPeer, normalizePeerUrl } from './peerClient.js';

export async function exchangePeers(network: Network): Promise<void> {
  const { peers } = network;
  const enough = () =>
    peers.verified().length >= EXCHANGE_TARGET || peers.list().length >= MAX_PEERS;
  for (const peer of peers.verified()) {
    if (enough() || network.closed) return;
    const answer = await callPeer(peer.url, '/api/p2p/peers', PeerList, {
      timeoutMs: network.timeoutMs,
      links: network.options.links,
    });
    if (!answer.ok) {
      network.recordFailure(peer.url, answer);
      continue;
    }
    for (const text of answer.value.peers) {
      const url = normalizePeerUrl(text);
      if (!url || peers.get(url) || enough()) continue;
      if (!peers.add(url).ok) continue;
      // A learned address is kept only if it answers as a node of ours.
      const greeted = await network.greet(url);
      if (greeted.ok) network.schedule.after(url, network.pingMs);
      else peers.remove(url);
    }
  }
}
