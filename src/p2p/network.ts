/**
 * The node among its peers: introductions both ways (hello), the peer book, gossip, sync from
 * peers (when a peer announces or shows something new, on a timer, and on /nodes/resolve), and
 * peer exchange. Every call to a peer is bounded in time and size (peerClient.ts).
 *
 * Each peer is called on its own schedule (peerSchedule.ts): pinged every few seconds while it
 * answers, so what the node shows about it is never older than one ping; retried with backoff
 * while it does not, and at once when it calls us. Peers the operator names are kept until
 * removed; peers learned from others are forgotten after a long silence. Whatever a peer does
 * wrong is recorded here, in one place (recordFailure): being away changes its state, invalid
 * data scores it.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Chain } from '../chain/chain.js';
import { type ErrorCode, fail, ok, type Result } from '../core/index.js';
import type { Mempool } from '../mempool/mempool.js';
import type { ChainStore } from '../storage/types.js';
import { checkHello } from './checkHello.js';
import { DirectFetch } from './directFetch.js';
import { forgetPeers, unbanPeers } from './dropPeers.js';
import { exchangePeers } from './exchangePeers.js';
import { Gossip } from './gossip.js';
import { type Announce, Hello } from './messages.js';
import { PeerBook, type PeerState } from './peerBook.js';
import { callPeer, type LinkGate, normalizePeerUrl, peerUrlOf } from './peerClient.js';
import { PeerSchedule, PING_MS, RETRY_CAP_MS, retryDelayMs } from './peerSchedule.js';
import { receiveAnnounce } from './receiveAnnounce.js';
import { registerPeers } from './registerPeers.js';
import { resolvePeers } from './resolvePeers.js';
import { StallTimeouts } from './stallTimeouts.js';
import {
  type HeadersAnswer,
  prefetchHeaders,
  type SyncOutcome,
  type SyncProgress,
  syncFromPeer,
} from './sync.js';

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

/** Answers that say the address is not a peer of ours at all: retrying would not change them. */
const REFUSALS: readonly ErrorCode[] = ['P2P_SELF', 'P2P_SAME_KEY', 'P2P_WRONG_NETWORK'];

export class Network {
  readonly peers: PeerBook;
  readonly gossip: Gossip;
  /** Random per process (Hello.instance): tells this node from another one with its key. */
  readonly instance = randomBytes(8).toString('hex');
  progress: SyncProgress | undefined;
  readonly schedule = new PeerSchedule((url) => this.contact(url));
  /** Each peer's block-download stall timeout, adaptive (stallTimeouts.ts). */
  readonly stalls = new StallTimeouts();
  /** Announced blocks fetched at once (directFetch.ts). */
  readonly directFetch = new DirectFetch(this);
  private readonly syncs = new Map<string, Promise<Result<SyncOutcome>>>();
  private readonly again = new Set<string>();
  private readonly greetings = new Map<string, Promise<Result<PeerState>>>();
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
    const running = this.greetings.get(url);
    if (running) return running;
    const call = this.call(url, 'POST', prefetch).finally(() => this.greetings.delete(url));
    this.greetings.set(url, call);
    return call;
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
    const checked = this.checkHello(hello);
    if (!checked.ok) return checked;
    const url = peerUrlOf(remoteAddress, hello.port);
    if (!url)
      return fail('P2P_BAD_URL', `cannot make a URL from ${remoteAddress} and port ${hello.port}`);
    if (this.peers.isBanned(url))
      return fail('P2P_BANNED', `${url} sent invalid data and is banned for now`);
    const known = this.peers.get(url);
    if (known?.answering && known.nodeAddress === hello.node_address) {
      this.peers.seen(url, describe(hello));
      this.syncIfBetter(url, hello);
    } else if (known) {
      this.schedule.now(url); // it is back: call it now rather than at the end of its backoff
    } else {
      void this.verifyCaller(url, hello);
    }
    return ok(this.hello());
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

  /**
   * Syncs from one peer; one sync per peer at a time (a request during one runs once more after
   * it, unless `join`: then the one under way is the answer). `firstPage`: its first headers page,
   * already asked for (prefetchHeaders), used if this call starts the sync.
   */
  sync(
    url: string,
    {
      join = false,
      firstPage,
    }: { join?: boolean; firstPage?: Promise<Result<HeadersAnswer>> } = {},
  ): Promise<Result<SyncOutcome>> {
    // Checked here, not only by the callers: a sync asked for while another ran (`again`) starts
    // after that one, which may have just banned the peer.
    if (this.peers.isBanned(url))
      return Promise.resolve(fail('P2P_BANNED', `${url} sent invalid data and is banned for now`));
    const running = this.syncs.get(url);
    if (running) {
      if (!join) this.again.add(url);
      return running;
    }
    const run = this.runSync(url, firstPage).finally(() => {
      this.syncs.delete(url);
      if (this.again.delete(url) && !this.closed) void this.sync(url);
    });
    this.syncs.set(url, run);
    return run;
  }

  /** Whether a sync from `url` is under way. */
  isSyncing(url: string): boolean {
    return this.syncs.has(url);
  }

  syncAll(): Promise<unknown> {
    return Promise.all(this.peers.verified().map((peer) => this.sync(peer.url)));
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
    if (code === 'P2P_UNREACHABLE' || code === 'P2P_TIMEOUT') {
      this.peers.unavailable(url, code, detail);
      if (wasAnswering) this.options.logger.info({ peer: url, code }, 'peer not answering');
    } else if (block) this.peers.penalizeBlock(url, code, detail);
    else this.peers.penalize(url, code, detail);
    if (this.peers.isBanned(url))
      this.options.logger.warn({ peer: url, code }, `peer banned: ${detail}`);
  }

  /** One scheduled call to a peer; answers when to call it next. */
  private async contact(url: string): Promise<number | undefined> {
    const peer = this.peers.get(url);
    if (!peer || this.closed) return undefined;
    const now = this.options.now();
    if (this.peers.isBanned(url)) return peer.bannedUntilMs - now;
    const forgetAfterMs = this.options.forgetAfterMs ?? 60 * 60 * 1000;
    if (
      !peer.named &&
      !peer.answering &&
      now - Math.max(peer.lastSeenMs, peer.addedMs) > forgetAfterMs
    ) {
      this.options.logger.info({ peer: url }, 'forgetting a learned peer silent for long');
      this.peers.remove(url);
      return undefined;
    }
    // While it answers, a ping (GET hello: no side effects on the peer); otherwise a greeting,
    // which also tells a peer that restarted or forgot us who we are.
    const result =
      peer.answering && peer.nodeAddress ? await this.call(url, 'GET') : await this.greet(url);
    if (result.ok) return this.pingMs;
    if (REFUSALS.includes(result.code)) {
      if (!peer.named) this.peers.remove(url);
      return peer.named ? RETRY_CAP_MS : undefined;
    }
    return retryDelayMs(this.peers.get(url)?.failures ?? 1);
  }

  /** Calls the peer's hello (POST: a greeting; GET: a ping) and records what it says. */
  private async call(
    url: string,
    method: 'GET' | 'POST',
    prefetch = false,
  ): Promise<Result<PeerState>> {
    const started = performance.now();
    // NOTE: asked for before the peer is verified, and used only once it is (a greeting that
    // fails drops it unread: nothing a wrong address answers is checked, used or scored).
    const firstPage = prefetch ? prefetchHeaders(this.syncContext(), url) : undefined;
    const answer = await callPeer(url, '/api/p2p/hello', Hello, {
      method,
      ...(method === 'POST' ? { body: this.hello() } : {}),
      timeoutMs: this.timeoutMs,
      signal: this.closing.signal,
      links: this.options.links,
      // The peer's own reasons for refusing us are worth reporting as they are.
      passCodes: ['P2P_SELF', 'P2P_SAME_KEY', 'P2P_WRONG_NETWORK', 'P2P_BANNED', 'P2P_PEER_LIMIT'],
    });
    if (this.closed || !this.peers.get(url)) return fail('P2P_UNREACHABLE', 'closing');
    const checked = answer.ok ? this.checkHello(answer.value) : answer;
    if (!checked.ok) {
      if (checked.code === 'P2P_BANNED' || checked.code === 'P2P_PEER_LIMIT')
        this.peers.unavailable(url, checked.code, checked.detail);
      else this.recordFailure(url, checked);
      this.options.logger.debug({ peer: url, code: checked.code }, checked.detail);
      return checked;
    }
    const hello = (answer as { value: Hello }).value;
    const wasAnswering = this.peers.get(url)?.answering;
    this.peers.seen(url, {
      ...describe(hello),
      latencyMs: Math.round(performance.now() - started),
    });
    if (!wasAnswering) this.options.logger.info({ peer: url }, 'peer answering');
    this.reportSameKey(url, hello.node_address);
    // After a greeting, a sync whatever the peer says (what it says of its own chain decides
    // nothing); a ping syncs only when the peer shows a tip we lack with more work.
    if (method === 'POST') void this.sync(url, firstPage ? { firstPage } : {});
    else this.syncIfBetter(url, hello);
    return ok(this.peers.get(url)!);
  }

  /** A stranger's hello: its URL is called back, and it is added only if it answers as itself. */
  private async verifyCaller(url: string, hello: Hello): Promise<void> {
    const started = performance.now();
    const answer = await callPeer(url, '/api/p2p/hello', Hello, {
      timeoutMs: this.timeoutMs,
      signal: this.closing.signal,
      links: this.options.links,
    });
    if (this.closed) return;
    if (!answer.ok || answer.value.node_address !== hello.node_address) {
      this.options.logger.info(
        { peer: url, code: answer.ok ? 'P2P_BAD_RESPONSE' : answer.code },
        'a node introduced itself from an address that does not answer as that node; not added',
      );
      return;
    }
    if (!this.checkHello(answer.value).ok || !this.peers.add(url).ok) return;
    this.peers.seen(url, {
      ...describe(answer.value),
      latencyMs: Math.round(performance.now() - started),
    });
    this.reportSameKey(url, answer.value.node_address);
    // PERF: a sync only if it shows a better tip, as a ping's: a node that registered us to adopt
    // our longer chain had its answers slowed by our sync from it (bench/adopt.ts: a 1-block batch
    // took 5 ms instead of 1–2). A peer that hides a better chain gets no less: what it announces,
    // or the timer's sync, is fetched anyway.
    this.syncIfBetter(url, answer.value);
    this.schedule.after(url, this.pingMs);
  }

  /** Syncs from a peer whose tip is unknown to us and claims more work than ours. */
  private syncIfBetter(url: string, hello: Hello): void {
    const { chain } = this.options;
    if (!chain.get(hello.tip_hash) && BigInt(hello.chain_work) > chain.tip.chainWork)
      void this.sync(url);
  }

  /** NOTE: one node at two URLs (a LAN and a loopback address) is fine, a copied key is not. */
  private reportSameKey(url: string, nodeAddress: string): void {
    const other = this.peers.list().find((p) => p.url !== url && p.nodeAddress === nodeAddress);
    if (other)
      this.options.logger.warn(
        { peer: url, other: other.url },
        'two peer URLs answer with one node key: the same node at two addresses, or two nodes sharing a key',
      );
  }

  /** What every sync (and a prefetched headers page) is asked with. */
  private syncContext() {
    return {
      chain: this.options.chain,
      now: this.options.now,
      timeoutMs: this.timeoutMs,
      signal: this.closing.signal,
      links: this.options.links,
      stalls: this.stalls,
    };
  }

  private async runSync(
    url: string,
    firstPage?: Promise<Result<HeadersAnswer>>,
  ): Promise<Result<SyncOutcome>> {
    const { chain, logger } = this.options;
    const result = await syncFromPeer(
      {
        ...this.syncContext(),
        ...(firstPage ? { firstPage } : {}),
        peerVersion: this.peers.get(url)?.version,
        othersCanServe: (from) => this.peers.usable().some((peer) => peer.url !== from),
        onDownloadFailed: () => this.moveDownload(url),
        onProgress: (progress) => {
          this.progress = progress;
          // PERF: a tip that came from this peer is not announced back to it (one request a
          // batch each way: bench/adopt.ts, a 20-block sync sent its source 3 announcements).
          this.gossip.receivedFrom(chain.tip.hashHex, url);
        },
      },
      url,
    );
    this.progress = undefined;
    if (result.ok) {
      if (result.value.blocks > 0) {
        // What we now have from it is at least its tip as far as we know it.
        const tip = chain.tip;
        this.peers.seen(url, { tipHeight: tip.header.height, tipHash: tip.hashHex });
        logger.info(
          { peer: url, blocks: result.value.blocks, height: tip.header.height },
          'synced from peer',
        );
      } else this.peers.seen(url, {});
    } else if (!this.closed) {
      this.recordFailure(url, result, !result.code.startsWith('P2P_'));
      logger.warn({ peer: url, code: result.code }, `sync from peer failed: ${result.detail}`);
    }
    return result;
  }

  /**
   * A peer failed to deliver the bodies of a branch it showed more work for (it stalled, or went
   * away): the other peers are asked at once, not at the next timer, since they may have the same
   * blocks. Only then: a failure before any download (an unreachable peer) moves nothing, so
   * failures cannot set off one another.
   */
  private moveDownload(from: string): void {
    for (const peer of this.peers.usable()) {
      if (peer.url !== from && !this.syncs.has(peer.url)) void this.sync(peer.url);
    }
  }

  /** Whether a hello is from a node of our network, and not from ourselves (checkHello.ts). */
  checkHello(hello: Hello): Result {
    return checkHello(hello, this.options.chain, this.options.nodeAddress, this.instance);
  }
}

function describe(hello: Hello) {
  return {
    tipHeight: hello.height,
    tipHash: hello.tip_hash,
    chainWork: hello.chain_work,
    nodeAddress: hello.node_address,
    version: hello.version,
  };
}
