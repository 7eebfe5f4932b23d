/**
 * A peer's announcement (POST /api/p2p/announce, docs/protocol.md §Announce): transactions go to
 * the mempool, headers update the sender's tip and, when they are new to us, have their block
 * fetched (directFetch.ts: at once if it extends a block we have, else by a sync). What fails is
 * scored against a known sender.
 */
import {
  checkHeader,
  decodeHeader,
  decodeTx,
  fail,
  fromHex,
  ok,
  type Result,
  type Tx,
  toHex,
} from '../core/index.js';
import type { Announce } from './messages.js';
import type { Network } from './network.js';
import { peerUrlOf } from './peerClient.js';

export async function receiveAnnounce(
  network: Network,
  message: Announce,
  remoteAddress: string | undefined,
): Promise<Result<number>> {
  const url = message.port === undefined ? undefined : peerUrlOf(remoteAddress, message.port);
  const peer = url ? network.peers.get(url) : undefined;
  if (url && network.peers.isBanned(url)) return fail('P2P_BANNED', `${url} is banned`);
  let accepted = 0;
  const txs: Tx[] = [];
  const bytes: Uint8Array[] = [];
  for (const hex of message.txs ?? []) {
    // The schema checked the hex (TransferHex); decoded once, and carried with its bytes.
    const encoded = fromHex(hex);
    const decoded = decodeTx(encoded);
    if (!decoded.ok) return blame(network, url, decoded);
    txs.push(decoded.value);
    bytes.push(encoded);
  }
  if (txs.length > 0) {
    const results = await network.options.mempool.addBatch(txs, bytes);
    for (const result of results) {
      if (result.ok) {
        accepted++;
        if (url) network.gossip.receivedFrom(result.value.idHex, url);
      } else if (url && result.code !== 'TX_ALREADY_KNOWN') {
        network.peers.penalize(url, result.code, result.detail);
      }
    }
  }
  for (const hex of message.headers ?? []) {
    const header = decodeHeader(fromHex(hex));
    if (!header.ok) return blame(network, url, header);
    const hash = checkHeader(header.value, network.options.chain.params);
    if (!hash.ok) return blame(network, url, hash, true);
    const hashHex = toHex(hash.value);
    // Only a peer we know is synced from: anyone else must introduce itself first.
    if (!url || !peer) continue;
    // An announced header is the peer's new tip: shown at once, not at the next ping.
    const wasAnswering = network.peers.get(url)?.answering;
    network.peers.seen(url, { tipHeight: header.value.height, tipHash: hashHex });
    if (!wasAnswering) network.schedule.now(url);
    if (network.options.chain.get(hashHex)) continue;
    accepted++;
    network.gossip.receivedFrom(hashHex, url);
    network.directFetch.announced(url, header.value, hashHex);
  }
  return ok(accepted);
}

function blame<T>(
  network: Network,
  url: string | undefined,
  failure: Result<T> & { ok: false },
  block = false,
): Result<T> {
  if (url) network.recordFailure(url, failure, block);
  return failure;
}
