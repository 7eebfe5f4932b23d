/**
 * The node among its peers: introductions both ways (hello), the peer book, gossip, sync from
 * peers (when a peer announces or shows something new, on a timer, and on /nodes/resolve), and
 * peer exchange. Every call to a peer is bounded in time and size (peerClient.ts).
 *
 * The parts, each in its file: peers' lifecycle and introductions (peerContact.ts), which syncs
 * run and when (syncDriver.ts; the sync itself, sync.ts), gossip (gossip.ts), what the operator
 * asks (registerPeers.ts, dropPeers.ts, resolvePeers.ts), peer exchange (exchangePeers.ts).
 * Whatever a peer does wrong is recorded here, in one place (recordFailure): being away changes
 * its state, invalid data scores it.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Chain } from '../chain/chain.js';
import type { ErrorCode, Result } from '../core/index.js';
import type { Mempool } from '../mempool/mempool.js';
import type { ChainStore } from '../storage/types.js';
import { checkHello } from './checkHello.js';
import { DirectFetch } from './directFetch.js';
import { forgetPeers, unbanPeers } from './dropPeers.js';
import { exchangePeers } from './exchangePeers.js';
import { Gossip } from './gossip.js';
import type { Announce, Hello } from './messages.js';
import { PeerBook, type PeerState } from './peerBook.js';
import { type LinkGate, normalizePeerUrl } from './peerClient.js';
import { PeerContact } from './peerContact.js';
import { PeerSchedule, PING_MS } from './peerSchedule.js';
import { receiveAnnounce } from './receiveAnnounce.js';
import { registerPeers } from './registerPeers.js';
import { resolvePeers } from './resolvePeers.js';
import { StallTimeouts } from './stallTimeouts.js';
import type { HeadersAnswer, SyncOutcome, SyncProgress } from './sync.js';
import { SyncDriver } from './syncDriver.js';

export interface NetworkOptions {
  readonly chain: Chain;
  readonly mempool: Mempool;
  readonly store: ChainStore;
  /** This node's address (its key's): how peers tell it from another node. */
  readonly nodeAddress: string;
  readonly version: string;
  readonly logger: Logger;
  readonly now: () => number;
  /** The port this node's API listens on (known once it listens). */
  readonly port: () => number;
  readonly timeoutMs?: number;
  readonly syncIntervalMs?: number;
  readonly exchangeIntervalMs?: number;
  /** How often an answering peer is pinged (default PING_MS; at most 10 s). */
  readonly pingIntervalMs?: number;
  /** A learned (not named) peer silent this long is forgotten (default an hour). */
  readonly forgetAfterMs?: number;
  /** The lab's links (--lab only): every call to a peer passes them first. */
  readonly links?: LinkGate | undefined;
}

export interface PeerReport {
  readonly url: string;
  readonly ok: boolean;
  readonly blocks: number;
  readonly code?: ErrorCode;
  readonly message?: string;
}

/** Peer exchange looks for new peers until this many answer. */
export const EXCHANGE_TARGET = 8;

export class Network {
  readonly peers: PeerBook;
  readonly gossip: Gossip;
  /** Random per process (Hello.instance): tells this node from another one with its key. */
  readonly instance = randomBytes(8).toString('hex');
  /** Introductions, pings and retries (peerContact.ts). */
  readonly contact = new PeerContact(this);
  /** Which syncs run, and when (syncDriver.ts). */
  readonly syncDriver = new SyncDriver(this);
  readonly schedule = new PeerSchedule((url) => this.contact.contact(url));
  /** Each peer's block-download stall timeout, adaptive (stallTimeouts.ts). */
  readonly stalls = new StallTimeouts();
  /** Announced blocks fetched at once (directFetch.ts). */
  readonly directFetch = new DirectFetch(this);
  private readonly closing = new AbortController();
  private timers: NodeJS.Timeout[] = [];

  constructor(readonly options: NetworkOptions) {
    this.peers = new PeerBook(options.store, options.now);
    this.gossip = new Gossip(
      options.chain,
      this.peers,
      options.port,
      (url, f) => this.recordFailure(url, f),
      options.links,
    );
  }

  /** Calls every known peer and those named at start, then syncs and exchanges peers on timers. */
  start(initialPeers: readonly string[] = []): void {
    // PERF: the sync timer is a backstop (announcements and pings start syncs when a peer has
    // something new); at 10 s, 30 nodes of a class spent a core between them on empty syncs.
    const { syncIntervalMs = 30_000, exchangeIntervalMs = 60_000 } = this.options;
    for (const text of initialPeers) {
      const url = normalizePeerUrl(text);
      if (!url) this.options.logger.warn(`--peers: "${text}" is not a peer address (host:port)`);
      else this.peers.add(url, true);
    }
    for (const peer of this.peers.list()) this.schedule.now(peer.url);
    this.timers = [
      setInterval(() => void this.syncAll(), syncIntervalMs),
      setInterval(() => void this.exchangePeers(), exchangeIntervalMs),
    ];
    for (const timer of this.timers) timer.unref();
  }

  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.schedule.close();
    this.closing.abort();
    this.gossip.close();
    this.peers.close();
  }

  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /** Aborted as the node closes: calls to peers end. */
  get closingSignal(): AbortSignal {
    return this.closing.signal;
  }

  get pingMs(): number {
    return Math.min(10_000, this.options.pingIntervalMs ?? PING_MS);
  }

  get timeoutMs(): number {
    return this.options.timeoutMs ?? 5_000;
  }

  /** The last sync that ended short of a better branch, and why (SyncDriver.stalled). */
  get stalled() {
    return this.syncDriver.stalled;
  }

  /** Whether a sync's run is adding this block: its line is the run's progress lines. */
  addedByRun(height: number, hashHex: string): boolean {
    return this.syncDriver.log.covers(height, hashHex);
  }

  /** The sync under way, if any. */
  get progress(): SyncProgress | undefined {
    return this.syncDriver.progress;
  }

  /** What this node says about itself. */
  hello(): Hello {
    const { chain, nodeAddress, version } = this.options;
    const tip = chain.tip;
    return {
      version,
      network: chain.params.name,
      chain_id: chain.params.chainId,
      genesis_hash: chain.main[0]!.hashHex,
      node_address: nodeAddress,
      port: this.options.port(),
      height: tip.header.height,
      tip_hash: tip.hashHex,
      chain_work: `${tip.chainWork}`,
      instance: this.instance,
    };
  }

  /**
   * Introduces this node to the peer at `url` (POST hello); the peer must be in the book. Its
   * answer verifies it: a node of our network, not ourselves. One greeting per peer at a time.
   * `prefetch`: the sync that follows a greeting has its first headers page asked for at the same
   * time (for a peer the operator just named, whose chain is wanted now).
   */
  greet(url: string, prefetch = false): Promise<Result<PeerState>> {
    return this.contact.greet(url, prefetch);
  }

  /** The operator names peers (/nodes/register): kept, greeted now, retried until removed. */
  register(texts: readonly string[]) {
    return registerPeers(this, texts);
  }

  /**
   * A peer introduces itself. SECURITY: its URL (the address it called from, with the port it
   * gives) enters the book only once that URL answers with the same node address — a caller
   * cannot put somebody else's URL into our book or into what we pass on (peer exchange).
   */
  acceptHello(hello: Hello, remoteAddress: string | undefined): Result<Hello> {
    return this.contact.acceptHello(hello, remoteAddress);
  }

  /** The operator forgets peers (/nodes/remove), a ban with them (dropPeers.ts). */
  forget(texts: readonly string[]): { removed: string[]; unknown: string[] } {
    return forgetPeers(this, texts);
  }

  /** The operator lifts bans (/nodes/unban); each peer is called again at once. */
  unban(texts: readonly string[]): { unbanned: string[]; unknown: string[] } {
    return unbanPeers(this, texts);
  }

  /** The tutorial's /nodes/resolve: sync from every peer now; whether our chain changed. */
  resolve(): Promise<{ replaced: boolean; peers: PeerReport[] }> {
    return resolvePeers(this);
  }

  /** Syncs from one peer, one sync per peer at a time (SyncDriver.sync). */
  sync(
    url: string,
    options: { join?: boolean; firstPage?: Promise<Result<HeadersAnswer>>; asked?: boolean } = {},
  ): Promise<Result<SyncOutcome>> {
    return this.syncDriver.sync(url, options);
  }

  /** Whether a sync from `url` is under way. */
  isSyncing(url: string): boolean {
    return this.syncDriver.isSyncing(url);
  }

  syncAll(): Promise<unknown> {
    return Promise.all(this.peers.verified().map((peer) => this.sync(peer.url)));
  }

  /**
   * A request came to one of the peers' routes (/api/p2p/) from `remoteAddress`: peers away there,
   * or all of them if none was answering, are called early (PeerContact.heardFrom).
   */
  heardFrom(remoteAddress: string | undefined): void {
    this.contact.heardFrom(remoteAddress);
  }

  /** Handles a peer's announcement: transactions go to the mempool, unknown headers start a sync. */
  receive(message: Announce, remoteAddress: string | undefined): Promise<Result<number>> {
    return receiveAnnounce(this, message, remoteAddress);
  }

  /** Peer exchange, until EXCHANGE_TARGET peers answer (exchangePeers.ts). */
  exchangePeers(): Promise<void> {
    return exchangePeers(this);
  }

  /**
   * Records a failed call to `url`: a peer that did not answer is marked so (no score); one that
   * answered wrongly is scored by the code's penalty (a block-level failure as a block's).
   */
  recordFailure(url: string, failure: { code: ErrorCode; detail: string }, block = false): void {
    const { code, detail } = failure;
    const wasAnswering = this.peers.get(url)?.answering;
    if (code === 'P2P_UNREACHABLE' || code === 'P2P_TIMEOUT' || code === 'P2P_TOO_SLOW') {
      this.peers.unavailable(url, code, detail);
      if (wasAnswering) this.options.logger.info({ peer: url, code }, 'peer not answering');
    } else if (block) this.peers.penalizeBlock(url, code, detail);
    else this.peers.penalize(url, code, detail);
    if (this.peers.isBanned(url))
      this.options.logger.warn({ peer: url, code }, `peer banned: ${detail}`);
  }

  /** Whether a hello is from a node of our network, and not from ourselves (checkHello.ts). */
  checkHello(hello: Hello): Result {
    return checkHello(hello, this.options.chain, this.options.nodeAddress, this.instance);
  }
}
