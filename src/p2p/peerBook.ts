/**
 * The peers this node knows: their URL, what they last told us (tip, latency), and a score of
 * the bad data they sent. A peer reaching BAN_SCORE is banned for BAN_MS: not contacted, and
 * what it announces is ignored. Scores and bans are kept across restarts (store.savePeer).
 */
import { EventEmitter } from 'node:events';
import { type ErrorCode, errorTable, fail, ok, type Result } from '../core/index.js';
import type { ChainStore, PeerRecord } from '../storage/types.js';

export const BAN_SCORE = 100;
export const BAN_MS = 60 * 60 * 1000;
export const MAX_PEERS = 32;

export interface PeerState extends PeerRecord {
  readonly tipHeight?: number;
  readonly tipHash?: string;
  readonly chainWork?: string;
  readonly latencyMs?: number;
  readonly lastError?: string;
  readonly nodeAddress?: string;
}

export class PeerBook extends EventEmitter<{ changed: [PeerState] }> {
  private readonly peers = new Map<string, PeerState>();
  private closed = false;

  constructor(
    private readonly store: ChainStore,
    private readonly now: () => number,
    private readonly maxPeers = MAX_PEERS,
  ) {
    super();
    for (const peer of store.loadPeers()) this.peers.set(peer.url, peer);
  }

  list(): PeerState[] {
    return [...this.peers.values()];
  }

  /** Peers that are not banned. */
  usable(): PeerState[] {
    return this.list().filter((p) => !this.isBanned(p.url));
  }

  get(url: string): PeerState | undefined {
    return this.peers.get(url);
  }

  isBanned(url: string): boolean {
    return (this.peers.get(url)?.bannedUntilMs ?? 0) > this.now();
  }

  add(url: string): Result<PeerState> {
    const known = this.peers.get(url);
    if (known)
      return this.isBanned(url)
        ? fail(
            'P2P_BANNED',
            `${url} is banned until ${new Date(known.bannedUntilMs).toISOString()}`,
          )
        : ok(known);
    if (this.peers.size >= this.maxPeers && !this.dropOneBanned())
      return fail('P2P_PEER_LIMIT', `already ${this.peers.size} peers`);
    const now = this.now();
    return ok(this.put({ url, addedMs: now, lastSeenMs: 0, score: 0, bannedUntilMs: 0 }));
  }

  /**
   * Makes room by forgetting a banned peer (and its ban). NOTE: peers are never dropped
   * otherwise, so without this a book that once held MAX_PEERS peers — gone, or banned — would
   * refuse every new one for good, even one the operator registers.
   */
  private dropOneBanned(): boolean {
    const banned = this.list().find((p) => this.isBanned(p.url));
    if (banned) this.remove(banned.url);
    return banned !== undefined;
  }

  remove(url: string): void {
    if (this.peers.delete(url) && !this.closed) this.store.deletePeer(url);
  }

  /**
   * Stops writing to the store, which the node closes next. NOTE: calls to peers still in flight
   * (an announcement, a greeting) end after that and score their peer; a write then would throw
   * from a callback, an unhandled rejection that ends the process.
   */
  close(): void {
    this.closed = true;
  }

  /** Records a good answer and what the peer said about itself. */
  seen(
    url: string,
    info: Partial<
      Pick<PeerState, 'tipHeight' | 'tipHash' | 'chainWork' | 'latencyMs' | 'nodeAddress'>
    >,
  ): void {
    const peer = this.peers.get(url);
    if (peer) this.put({ ...peer, ...info, lastSeenMs: this.now(), lastError: '' });
  }

  /** Scores a failure by its code's penalty; at BAN_SCORE the peer is banned for BAN_MS. */
  penalize(
    url: string,
    code: ErrorCode,
    detail: string,
    points: number = errorTable[code].penalty,
  ): void {
    const peer = this.peers.get(url);
    if (!peer) return;
    const score = peer.score + points;
    const banned = score >= BAN_SCORE;
    this.put({
      ...peer,
      score: banned ? 0 : score,
      bannedUntilMs: banned ? this.now() + BAN_MS : peer.bannedUntilMs,
      lastError: `${code}: ${detail}`.slice(0, 300),
    });
  }

  /**
   * A block or header that fails any rule is its sender's fault, whatever the code (a nonce or
   * balance code costs nothing for a lone transaction, but a block carrying one was mined that
   * way) — except a timestamp too far ahead, which may be our clock's fault.
   */
  penalizeBlock(url: string, code: ErrorCode, detail: string): void {
    this.penalize(url, code, detail, code === 'BLOCK_TIME_TOO_NEW' ? 0 : BAN_SCORE);
  }

  private put(peer: PeerState): PeerState {
    this.peers.set(peer.url, peer);
    const { url, addedMs, lastSeenMs, score, bannedUntilMs } = peer;
    if (!this.closed) this.store.savePeer({ url, addedMs, lastSeenMs, score, bannedUntilMs });
    this.emit('changed', peer);
    return peer;
  }
}
