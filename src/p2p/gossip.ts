/**
 * Gossip: what this node accepts, it announces to its peers, once. A new tip is announced by
 * its 92-byte header (a peer that lacks it syncs from us, headers first); accepted transactions
 * are pushed whole (157 bytes each). Nothing waits on a timer: each peer has at most one
 * announcement on its way, and what is accepted meanwhile goes in its next one (as Nagle's
 * algorithm gathers bytes), so an idle network carries a block at once and a busy one in few
 * messages.
 * Loops end by themselves: a node relays only what it newly accepted, and the seen-cache
 * remembers what came from whom, so nothing goes back to the peer it came from.
 */
import type { Chain } from '../chain/chain.js';
import { type BlockHeader, type ErrorCode, encodeHeader, RecentMap, toHex } from '../core/index.js';
import type { MempoolEntry } from '../mempool/mempool.js';
import {
  type Announce,
  AnnounceReply,
  MAX_ANNOUNCED_BLOCKS,
  MAX_ANNOUNCED_TXS,
} from './messages.js';
import type { PeerBook } from './peerBook.js';
import { callPeer, type LinkGate } from './peerClient.js';

const ANNOUNCE_TIMEOUT_MS = 5_000;
/**
 * Transactions waiting for one peer, at most: a peer slower than the node's intake loses the
 * oldest (NOTE: it still gets them in the blocks that confirm them).
 */
const MAX_WAITING_TXS = 8 * MAX_ANNOUNCED_TXS;

interface Announced {
  readonly hex: string;
  readonly idHex: string;
}

/** What waits for one peer, and whether an announcement to it is on its way. */
interface Outbox {
  tip: boolean;
  /** Headers of blocks that are not the tip (a lab attacker's released side block). */
  blocks: string[];
  txs: Announced[];
  sending: boolean;
}

export class Gossip {
  /**
   * The seen-cache: block hash or transaction id → the peer it came from, for the last 10,000
   * received, so nothing is announced back to its source. (Loops end anyway: a node relays only
   * what it newly accepted, and a known block or transaction is never accepted twice.)
   */
  private readonly from = new RecentMap<string, string>(10_000);
  private readonly outboxes = new Map<string, Outbox>();
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly chain: Chain,
    private readonly peers: PeerBook,
    private readonly port: () => number,
    /** Where a failed announcement goes (Network.recordFailure: away is not misbehaving). */
    private readonly onFailure: (url: string, failure: { code: ErrorCode; detail: string }) => void,
    /** The lab's links (--lab only). */
    private readonly links?: LinkGate,
  ) {}

  /** A new tip: announced to every peer (src/node/wireEvents.ts). */
  onTip(): void {
    this.record({ tip: true });
  }

  /**
   * A block that is not the tip, announced like one (lab mode only: an attacker's released block
   * that ties the public tip must reach its peers, as a real selfish miner's would).
   */
  onSideBlock(header: BlockHeader): void {
    this.record({ block: toHex(encodeHeader(header)) });
  }

  /** A transfer the mempool admitted: announced to every peer but the one it came from. */
  onAdded(entry: MempoolEntry): void {
    this.record({ tx: entry });
  }

  /** Remembers that `key` (a block hash or tx id) came from `url`, so it is not sent back. */
  receivedFrom(key: string, url: string): void {
    // PERF: a RecentMap, not `delete(keys().next().value)` on a full Map (core/recentMap.ts).
    this.from.set(key, url);
  }

  /** Announces nothing more: blocks the chain still connects while the node closes stay local. */
  close(): void {
    this.closed = true;
    this.outboxes.clear();
  }

  /**
   * Puts what was accepted in every usable peer's outbox, and sends once this turn of the event
   * loop is over. PERF: not after a fixed 20 ms as before, which every hop of a block paid
   * (bench/p2p.ts); what is accepted in the same turn (a batch, a block's reorg) still goes
   * together.
   */
  private record(news: { tip?: true; block?: string; tx?: MempoolEntry }): void {
    if (this.closed) return;
    // PERF: a transfer's hex is written only for a node with peers to tell: 157 bytes' hex made
    // 5 KB of short-lived strings, a quarter of what intake allocated on a node without peers
    // (bench/intake.ts, V8's sampling heap profiler, minor and major GCs' objects included).
    let tx: Announced | undefined;
    // To peers that answered at their own URL since this node started, answering now or not: a
    // peer slow to answer once (a busy laptop) must not miss blocks until its next retry. One
    // announcement at a time per peer, so one that is away costs one waiting call, not a pile.
    for (const peer of this.peers.known()) {
      let outbox = this.outboxes.get(peer.url);
      if (!outbox) {
        outbox = { tip: false, blocks: [], txs: [], sending: false };
        this.outboxes.set(peer.url, outbox);
      }
      if (news.tip) outbox.tip = true;
      if (news.block) outbox.blocks.push(news.block);
      if (news.tx) {
        tx ??= { hex: toHex(news.tx.bytes), idHex: news.tx.idHex };
        outbox.txs.push(tx);
        if (outbox.txs.length > MAX_WAITING_TXS) outbox.txs.shift();
      }
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      for (const url of this.outboxes.keys()) this.sendNext(url);
    });
  }

  /** Sends `url` what waits for it, unless an announcement to it is on its way. */
  private sendNext(url: string): void {
    const outbox = this.outboxes.get(url);
    if (this.closed || !outbox || outbox.sending) return;
    if (!this.peers.get(url) || this.peers.isBanned(url)) {
      this.outboxes.delete(url);
      return;
    }
    const tip = outbox.tip ? this.chain.tip : undefined;
    const headers = [
      ...outbox.blocks.splice(0, MAX_ANNOUNCED_BLOCKS - 1),
      ...(tip && this.from.get(tip.hashHex) !== url ? [toHex(encodeHeader(tip.header))] : []),
    ];
    // NOTE: whom a transfer came from is known only once the announce that brought it has been
    // handled (after the mempool's 'added'): so it is looked up here, as the message is made.
    const txs = outbox.txs
      .splice(0, MAX_ANNOUNCED_TXS)
      .filter((tx) => this.from.get(tx.idHex) !== url)
      .map((tx) => tx.hex);
    outbox.tip = false;
    if (headers.length === 0 && txs.length === 0) {
      if (outbox.txs.length === 0 && outbox.blocks.length === 0) this.outboxes.delete(url);
      return;
    }
    outbox.sending = true;
    const message: Announce = {
      port: this.port(),
      ...(headers.length > 0 ? { headers } : {}),
      ...(txs.length > 0 ? { txs } : {}),
    };
    void callPeer(url, '/api/p2p/announce', AnnounceReply, {
      method: 'POST',
      body: message,
      timeoutMs: ANNOUNCE_TIMEOUT_MS,
      links: this.links,
    }).then((reply) => {
      if (!reply.ok) this.onFailure(url, reply);
      else if (!this.peers.get(url)?.answering) this.peers.seen(url, {}); // it is back
      outbox.sending = false;
      this.sendNext(url);
    });
  }
}
