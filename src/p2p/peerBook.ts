/**
 * The peers this node knows: their URL, whether the operator named them, what they last told us
 * (tip, latency), whether they are answering, and a score of the bad data they sent.
 *
 * Two kinds of trouble are kept apart. Being away (a refused connection, a timeout) changes a
 * peer's state — `answering`, `failures` — and never its score: a laptop that sleeps is not an
 * enemy. Misbehaviour (invalid data, oversized or garbled answers) adds its code's penalty to
 * the score, which halves every SCORE_HALF_LIFE_MS; at BAN_SCORE the peer is banned for BAN_MS,
 * with the reason kept for the operator, who can lift it (unban, or remove and register again).
 * Named peers, scores and bans are kept across restarts (store.savePeer).
 */
import { EventEmitter } from 'node:events';
import { type ErrorCode, fail, ok, type Result } from '../core/index.js';
import type { ChainStore, PeerRecord } from '../storage/types.js';
import { BAN_SCORE, penaltyOf } from './penaltyOf.js';

export { BAN_SCORE };
export const BAN_MS = 60 * 60 * 1000;
export const SCORE_HALF_LIFE_MS = 10 * 60 * 1000;
export const MAX_PEERS = 32;
const SEEN_SAVED_EVERY_MS = 60_000;

export interface PeerState extends PeerRecord {
  readonly tipHeight?: number;
  readonly tipHash?: string;
  readonly chainWork?: string;
  readonly latencyMs?: number;
  /** The node id (address) it answered with; set once its URL answered us since this start. */
  readonly nodeAddress?: string;
  /** The software version its last hello gave: what it understands (capabilities.ts). */
  readonly version?: string;
  /** Whether the last call to it was answered. */
  readonly answering: boolean;
  /** Calls in a row it did not answer; the retry delay grows with it. */
  readonly failures: number;
  /** `CODE: detail` of the last failure, for the log and tests; the API shows code and time. */
  readonly lastError?: string;
  readonly lastErrorCode?: ErrorCode;
  readonly lastErrorMs?: number;
}

/**
 * A peer's score now: what it earned, halved for every whole SCORE_HALF_LIFE_MS since scoreMs.
 * NOTE: in whole steps, so that two offences a moment apart add up exactly (50 + 50 bans).
 */
export function decayedScore(peer: PeerRecord, nowMs: number): number {
  return peer.score * 0.5 ** halvings(peer, nowMs);
}

function halvings(peer: PeerRecord, nowMs: number): number {
  return Math.floor(Math.max(0, nowMs - peer.scoreMs) / SCORE_HALF_LIFE_MS);
}

export class PeerBook extends EventEmitter<{ changed: [PeerState] }> {
  private readonly peers = new Map<string, PeerState>();
  /** The lastSeenMs last written to the store, by URL. */
  private readonly savedSeenMs = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly store: ChainStore,
    private readonly now: () => number,
    private readonly maxPeers = MAX_PEERS,
  ) {
    super();
    for (const peer of store.loadPeers())
      this.peers.set(peer.url, { ...peer, answering: false, failures: 0 });
  }

  list(): PeerState[] {
    return [...this.peers.values()];
  }

  /** Peers that are not banned. */
  usable(): PeerState[] {
    return this.list().filter((p) => !this.isBanned(p.url));
  }

  /**
   * Peers whose URL answered us with a hello since this start and are not banned, answering now
   * or not: what gossip goes to (a peer slow to answer once still hears of new blocks).
   */
  known(): PeerState[] {
    return this.usable().filter((p) => p.nodeAddress !== undefined);
  }

  /** Peers whose URL answered us with a hello since this start, are answering, and not banned. */
  verified(): PeerState[] {
    return this.usable().filter((p) => p.nodeAddress !== undefined && p.answering);
  }

  get(url: string): PeerState | undefined {
    return this.peers.get(url);
  }

  isBanned(url: string): boolean {
    return (this.peers.get(url)?.bannedUntilMs ?? 0) > this.now();
  }

  scoreOf(url: string): number {
    const peer = this.peers.get(url);
    return peer ? decayedScore(peer, this.now()) : 0;
  }

  /** Adds a peer (or returns the known one); `named` marks it as the operator's, kept for good. */
  add(url: string, named = false): Result<PeerState> {
    const known = this.peers.get(url);
    if (known) {
      if (named && !known.named) this.put({ ...known, named: true });
      return this.isBanned(url)
        ? fail(
            'P2P_BANNED',
            `${url} is banned until ${new Date(known.bannedUntilMs).toISOString()}`,
          )
        : ok(this.peers.get(url)!);
    }
    if (this.peers.size >= this.maxPeers && !this.makeRoom(named))
      return fail('P2P_PEER_LIMIT', `already ${this.peers.size} peers`);
    return ok(
      this.put({
        url,
        named,
        addedMs: this.now(),
        lastSeenMs: 0,
        score: 0,
        scoreMs: 0,
        bannedUntilMs: 0,
        banReason: '',
        answering: false,
        failures: 0,
      }),
    );
  }

  /**
   * Makes room by forgetting a banned peer, else (for a peer the operator names) a learned one
   * that is not answering. NOTE: without this, a book that once held MAX_PEERS peers — gone, or
   * banned — would refuse every new one for good, even one the operator registers.
   */
  private makeRoom(named: boolean): boolean {
    const victim =
      this.list().find((p) => this.isBanned(p.url)) ??
      (named ? this.list().find((p) => !p.named && !p.answering) : undefined);
    if (victim) this.remove(victim.url);
    return victim !== undefined;
  }

  remove(url: string): void {
    this.savedSeenMs.delete(url);
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

  /** Records an answer and what the peer said about itself. */
  seen(
    url: string,
    info: Partial<
      Pick<
        PeerState,
        'tipHeight' | 'tipHash' | 'chainWork' | 'latencyMs' | 'nodeAddress' | 'version'
      >
    >,
  ): void {
    const peer = this.peers.get(url);
    if (peer) this.put({ ...peer, ...info, lastSeenMs: this.now(), answering: true, failures: 0 });
  }

  /** The peer did not answer (refused, reset, timed out): its state changes, its score does not. */
  unavailable(url: string, code: ErrorCode, detail: string): void {
    const peer = this.peers.get(url);
    if (!peer) return;
    this.put({
      ...peer,
      answering: false,
      failures: peer.failures + 1,
      ...this.errorFields(code, detail),
    });
  }

  /** Scores misbehaviour by its code's penalty; at BAN_SCORE the peer is banned for BAN_MS. */
  penalize(url: string, code: ErrorCode, detail: string, points: number = penaltyOf(code)): void {
    const peer = this.peers.get(url);
    if (!peer) return;
    const now = this.now();
    const score = decayedScore(peer, now) + points;
    const banned = score >= BAN_SCORE;
    // The clock of the halvings moves on by whole steps only (a fresh score starts it now), so
    // a peer that misbehaves every few minutes still sees its score halve every ten.
    const scoreMs =
      peer.score === 0 ? now : peer.scoreMs + halvings(peer, now) * SCORE_HALF_LIFE_MS;
    this.put({
      ...peer,
      score: banned ? 0 : score,
      scoreMs,
      bannedUntilMs: banned ? now + BAN_MS : peer.bannedUntilMs,
      banReason: banned ? `${code}: ${detail}`.slice(0, 300) : peer.banReason,
      ...this.errorFields(code, detail),
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

  /** The operator lifts a ban: score, ban and reason are cleared. */
  unban(url: string): boolean {
    const peer = this.peers.get(url);
    if (!peer) return false;
    this.put({ ...peer, score: 0, scoreMs: 0, bannedUntilMs: 0, banReason: '', failures: 0 });
    return true;
  }

  private errorFields(code: ErrorCode, detail: string) {
    return {
      lastError: `${code}: ${detail}`.slice(0, 300),
      lastErrorCode: code,
      lastErrorMs: this.now(),
    };
  }

  private put(peer: PeerState): PeerState {
    const before = this.peers.get(peer.url);
    this.peers.set(peer.url, peer);
    const { url, named, addedMs, lastSeenMs, score, scoreMs, bannedUntilMs, banReason } = peer;
    if (!this.closed && this.worthSaving(before, peer)) {
      this.savedSeenMs.set(url, lastSeenMs);
      this.store.savePeer({
        url,
        named,
        addedMs,
        lastSeenMs,
        score,
        scoreMs,
        bannedUntilMs,
        banReason,
      });
    }
    this.emit('changed', peer);
    return peer;
  }

  /**
   * PERF: a ping or an announcement changes only the time a peer was last seen; writing that
   * each time cost every node an fsync (synchronous = FULL) per peer every few seconds. It is
   * kept at minute precision, which is all forgetting a silent peer needs.
   */
  private worthSaving(before: PeerState | undefined, after: PeerState): boolean {
    return (
      !before ||
      before.named !== after.named ||
      before.score !== after.score ||
      before.scoreMs !== after.scoreMs ||
      before.bannedUntilMs !== after.bannedUntilMs ||
      before.banReason !== after.banReason ||
      after.lastSeenMs - (this.savedSeenMs.get(after.url) ?? 0) >= SEEN_SAVED_EVERY_MS
    );
  }
}
