/**
 * Gossip: what this node accepts, it announces to its peers, once. A new tip is announced by
 * its 92-byte header (a peer that lacks it syncs from us, headers first); accepted transactions
 * are pushed whole (157 bytes each), gathered for a few milliseconds into one message per peer.
 * Loops end by themselves: a node relays only what it newly accepted, and the seen-cache
 * remembers what came from whom, so nothing goes back to the peer it came from.
 */
import type { Chain } from '../chain/chain.js';
import { type ErrorCode, encodeHeader, encodeTx, toHex } from '../core/index.js';
import type { Mempool } from '../mempool/mempool.js';
import { type Announce, AnnounceReply, MAX_ANNOUNCED_TXS } from './messages.js';
import type { PeerBook } from './peerBook.js';
import { callPeer } from './peerClient.js';

const FLUSH_MS = 20;
const ANNOUNCE_TIMEOUT_MS = 5_000;

export class Gossip {
  /**
   * The seen-cache: block hash or transaction id → the peer it came from, for the last 10,000
   * received, so nothing is announced back to its source. (Loops end anyway: a node relays only
   * what it newly accepted, and a known block or transaction is never accepted twice.)
   */
  private readonly from = new Map<string, string>();
  private txs: { hex: string; idHex: string }[] = [];
  private tipPending = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly chain: Chain,
    mempool: Mempool,
    private readonly peers: PeerBook,
    private readonly port: () => number,
    /** Where a failed announcement goes (Network.recordFailure: away is not misbehaving). */
    private readonly onFailure: (url: string, failure: { code: ErrorCode; detail: string }) => void,
  ) {
    chain.on('tip', () => this.schedule(() => (this.tipPending = true)));
    mempool.on('added', (entry) =>
      this.schedule(() => this.txs.push({ hex: toHex(encodeTx(entry.tx)), idHex: entry.idHex })),
    );
  }

  /** Remembers that `key` (a block hash or tx id) came from `url`, so it is not sent back. */
  receivedFrom(key: string, url: string): void {
    this.from.set(key, url);
    if (this.from.size > 10_000) this.from.delete(this.from.keys().next().value!);
  }

  /** Announces nothing more: blocks the chain still connects while the node closes stay local. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(record: () => void): void {
    if (this.closed) return;
    record();
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const tip = this.tipPending ? this.chain.tip : undefined;
    const txs = this.txs;
    this.tipPending = false;
    this.txs = [];
    // Only to peers that answer: one that is away hears of the new tip from its next ping or
    // greeting, instead of this node piling up calls that wait for it.
    for (const peer of this.peers.verified()) {
      const header =
        tip && this.from.get(tip.hashHex) !== peer.url ? [toHex(encodeHeader(tip.header))] : [];
      const theirs = txs.filter((tx) => this.from.get(tx.idHex) !== peer.url).map((tx) => tx.hex);
      if (header.length > 0) this.send(peer.url, { port: this.port(), headers: header });
      for (let i = 0; i < theirs.length; i += MAX_ANNOUNCED_TXS) {
        this.send(peer.url, { port: this.port(), txs: theirs.slice(i, i + MAX_ANNOUNCED_TXS) });
      }
    }
  }

  private send(url: string, message: Announce): void {
    void callPeer(url, '/api/p2p/announce', AnnounceReply, {
      method: 'POST',
      body: message,
      timeoutMs: ANNOUNCE_TIMEOUT_MS,
    }).then((reply) => {
      if (!reply.ok) this.onFailure(url, reply);
    });
  }
}
