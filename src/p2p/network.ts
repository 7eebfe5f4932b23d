/**
 * The node among its peers: introductions both ways (hello), the peer book, gossip, sync from
 * peers (on a timer, when a peer announces something new, and on /nodes/resolve), and peer
 * exchange. Every call to a peer is bounded in time and size (peerClient.ts); whatever a peer
 * does wrong is scored here, in one place, by its error code.
 */
import type { Logger } from 'pino';
import type { Chain } from '../chain/chain.js';
import {
  checkHeader,
  decodeHeader,
  decodeTx,
  type ErrorCode,
  fail,
  fromHex,
  ok,
  type Result,
  type Tx,
  toHex,
} from '../core/index.js';
import type { Mempool } from '../mempool/mempool.js';
import type { NodeKey } from '../node/nodeKey.js';
import type { ChainStore } from '../storage/types.js';
import { Gossip } from './gossip.js';
import { type Announce, Hello, PeerList } from './messages.js';
import { MAX_PEERS, PeerBook, type PeerState } from './peerBook.js';
import { callPeer, normalizePeerUrl, peerUrlOf } from './peerClient.js';
import { type SyncOutcome, type SyncProgress, syncFromPeer } from './sync.js';

export interface NetworkOptions {
  readonly chain: Chain;
  readonly mempool: Mempool;
  readonly store: ChainStore;
  readonly nodeKey: NodeKey;
  readonly version: string;
  readonly logger: Logger;
  readonly now: () => number;
  /** The port this node's API listens on (known once it listens). */
  readonly port: () => number;
  readonly timeoutMs?: number;
  readonly syncIntervalMs?: number;
  readonly exchangeIntervalMs?: number;
}

export interface PeerReport {
  readonly url: string;
  readonly ok: boolean;
  readonly blocks: number;
  readonly code?: ErrorCode;
  readonly message?: string;
}

export class Network {
  readonly peers: PeerBook;
  readonly gossip: Gossip;
  progress: SyncProgress | undefined;
  private readonly syncs = new Map<string, Promise<Result<SyncOutcome>>>();
  private readonly again = new Set<string>();
  private readonly closing = new AbortController();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: NetworkOptions) {
    this.peers = new PeerBook(options.store, options.now);
    this.gossip = new Gossip(options.chain, options.mempool, this.peers, options.port);
  }

  /** Greets the known peers, then syncs and exchanges peers on timers. */
  start(initialPeers: readonly string[] = []): void {
    const { syncIntervalMs = 10_000, exchangeIntervalMs = 60_000 } = this.options;
    // Each peer that answers is synced from as it is introduced (introduce()).
    const urls = [...new Set([...this.peers.list().map((p) => p.url), ...initialPeers])];
    void this.register(urls);
    this.timers = [
      setInterval(() => void this.syncAll(), syncIntervalMs),
      setInterval(() => void this.exchangePeers(), exchangeIntervalMs),
    ];
    for (const timer of this.timers) timer.unref();
  }

  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.closing.abort();
    this.gossip.close();
    this.peers.close();
  }

  /** What this node says about itself. */
  hello(): Hello {
    const { chain, nodeKey, version } = this.options;
    const tip = chain.tip;
    return {
      version,
      network: chain.params.name,
      chain_id: chain.params.chainId,
      genesis_hash: chain.index.main[0]!.hashHex,
      node_address: nodeKey.address,
      port: this.options.port(),
      height: tip.header.height,
      tip_hash: tip.hashHex,
      chain_work: `${tip.chainWork}`,
    };
  }

  /** Introduces this node to `text` (a URL or host:port) and adds it as a peer if it answers in kind. */
  async introduce(text: string): Promise<Result<PeerState>> {
    const url = normalizePeerUrl(text);
    if (!url)
      return fail(
        'P2P_BAD_URL',
        `"${text}" is not a peer address; give host:port or http://host:port`,
      );
    if (this.peers.isBanned(url))
      return fail('P2P_BANNED', `${url} sent invalid data and is banned for now`);
    const started = performance.now();
    const answer = await callPeer(url, '/api/p2p/hello', Hello, {
      method: 'POST',
      body: this.hello(),
      timeoutMs: this.timeoutMs,
      // The peer's own reasons for refusing us are worth reporting as they are.
      passCodes: ['P2P_SELF', 'P2P_WRONG_NETWORK', 'P2P_BANNED', 'P2P_PEER_LIMIT'],
    });
    if (!answer.ok) return answer;
    const checked = this.checkHello(answer.value);
    if (!checked.ok) return checked;
    const added = this.peers.add(url);
    if (!added.ok) return added;
    this.peers.seen(url, this.describe(answer.value, performance.now() - started));
    // As acceptHello does for the other side: a peer just introduced may know a better chain,
    // and should not wait for the sync timer (a registered peer's chain arrives at once).
    void this.sync(url);
    return ok(this.peers.get(url)!);
  }

  /** A peer introduces itself; its URL is the address it called from with the port it gives. */
  acceptHello(hello: Hello, remoteAddress: string | undefined): Result<Hello> {
    const checked = this.checkHello(hello);
    if (!checked.ok) return checked;
    const url = peerUrlOf(remoteAddress, hello.port);
    if (!url)
      return fail('P2P_BAD_URL', `cannot make a URL from ${remoteAddress} and port ${hello.port}`);
    const added = this.peers.add(url);
    if (!added.ok) return added;
    this.peers.seen(url, this.describe(hello));
    void this.sync(url); // it may know a better chain
    return ok(this.hello());
  }

  /** The tutorial's /nodes/register: introduce each, report what worked. */
  async register(texts: readonly string[]) {
    const results = await Promise.all(
      texts.map(async (text) => ({ text, result: await this.introduce(text) })),
    );
    for (const { text, result } of results) {
      if (!result.ok && result.code !== 'P2P_SELF')
        this.options.logger.warn({ peer: text, code: result.code }, result.detail);
    }
    return {
      added: results.flatMap(({ result }) => (result.ok ? [result.value.url] : [])),
      failed: results.flatMap(({ text, result }) =>
        result.ok ? [] : [{ url: text, code: result.code, message: result.detail }],
      ),
    };
  }

  /**
   * Forgets peers (the operator's "drop"). NOTE: a dropped peer that is still running may come
   * back, by introducing itself or through peer exchange, as it could before it was first known.
   */
  forget(texts: readonly string[]): { removed: string[]; unknown: string[] } {
    const removed: string[] = [];
    const unknown: string[] = [];
    for (const text of texts) {
      const url = normalizePeerUrl(text);
      if (url && this.peers.get(url)) {
        this.peers.remove(url);
        removed.push(url);
      } else unknown.push(text);
    }
    return { removed, unknown };
  }

  /** The tutorial's /nodes/resolve: sync from every peer now; whether our chain changed. */
  async resolve(): Promise<{ replaced: boolean; peers: PeerReport[] }> {
    const before = this.options.chain.tip;
    const peers = await Promise.all(
      this.peers.usable().map(async (peer): Promise<PeerReport> => {
        const tipBefore = this.options.chain.tip.header.height;
        const result = await this.sync(peer.url);
        return result.ok
          ? { url: peer.url, ok: true, blocks: result.value.blocks }
          : {
              url: peer.url,
              ok: false,
              blocks: Math.max(0, this.options.chain.tip.header.height - tipBefore),
              code: result.code,
              message: result.detail,
            };
      }),
    );
    return { replaced: this.options.chain.tip !== before, peers };
  }

  /** Syncs from one peer; one sync per peer at a time (a request during one runs once more after it). */
  sync(url: string): Promise<Result<SyncOutcome>> {
    // Checked here, not only by the callers: a sync asked for while another ran (`again`) starts
    // after that one, which may have just banned the peer.
    if (this.peers.isBanned(url))
      return Promise.resolve(fail('P2P_BANNED', `${url} sent invalid data and is banned for now`));
    const running = this.syncs.get(url);
    if (running) {
      this.again.add(url);
      return running;
    }
    const run = this.runSync(url).finally(() => {
      this.syncs.delete(url);
      if (this.again.delete(url) && !this.closing.signal.aborted) void this.sync(url);
    });
    this.syncs.set(url, run);
    return run;
  }

  syncAll(): Promise<unknown> {
    return Promise.all(this.peers.usable().map((peer) => this.sync(peer.url)));
  }

  /** Handles a peer's announcement: transactions go to the mempool, unknown headers start a sync. */
  async receive(message: Announce, remoteAddress: string | undefined): Promise<Result<number>> {
    const url = message.port === undefined ? undefined : peerUrlOf(remoteAddress, message.port);
    const peer = url ? this.peers.get(url) : undefined;
    if (url && this.peers.isBanned(url)) return fail('P2P_BANNED', `${url} is banned`);
    let accepted = 0;
    const txs: Tx[] = [];
    for (const hex of message.txs ?? []) {
      const decoded = decodeTx(fromHex(hex));
      if (!decoded.ok) return this.blame(url, decoded);
      txs.push(decoded.value);
    }
    if (txs.length > 0) {
      const results = await this.options.mempool.addBatch(txs);
      for (const result of results) {
        if (result.ok) {
          accepted++;
          if (url) this.gossip.receivedFrom(result.value.idHex, url);
        } else if (url && result.code !== 'TX_ALREADY_KNOWN') {
          this.peers.penalize(url, result.code, result.detail);
        }
      }
    }
    for (const hex of message.headers ?? []) {
      const header = decodeHeader(fromHex(hex));
      if (!header.ok) return this.blame(url, header);
      const hash = checkHeader(header.value, this.options.chain.params);
      if (!hash.ok) return this.blame(url, hash, true);
      const hashHex = toHex(hash.value);
      if (this.options.chain.index.get(hashHex)) continue;
      accepted++;
      // Only a peer we know is synced from: anyone else must introduce itself first.
      if (url && peer) {
        this.gossip.receivedFrom(hashHex, url);
        void this.sync(url);
      }
    }
    return ok(accepted);
  }

  /** Asks each peer for the peers it knows, and introduces this node to new ones, up to the limit. */
  async exchangePeers(): Promise<void> {
    for (const peer of this.peers.usable()) {
      if (this.peers.list().length >= MAX_PEERS) return;
      const answer = await callPeer(peer.url, '/api/p2p/peers', PeerList, {
        timeoutMs: this.timeoutMs,
      });
      if (!answer.ok) {
        this.peers.penalize(peer.url, answer.code, answer.detail);
        continue;
      }
      for (const text of answer.value.peers) {
        const url = normalizePeerUrl(text);
        if (!url || this.peers.get(url) || this.peers.list().length >= MAX_PEERS) continue;
        await this.introduce(url);
      }
    }
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? 5_000;
  }

  private async runSync(url: string): Promise<Result<SyncOutcome>> {
    const { chain, now, logger } = this.options;
    const result = await syncFromPeer(
      {
        chain,
        now,
        timeoutMs: this.timeoutMs,
        signal: this.closing.signal,
        onDownloadFailed: () => this.moveDownload(url),
        onProgress: (progress) => {
          this.progress = progress;
        },
      },
      url,
    );
    this.progress = undefined;
    if (result.ok) {
      this.peers.seen(url, {});
      if (result.value.blocks > 0)
        logger.info(
          { peer: url, blocks: result.value.blocks, height: chain.tip.header.height },
          'synced from peer',
        );
    } else if (!this.closing.signal.aborted) {
      this.blame(url, result, !result.code.startsWith('P2P_'));
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

  /** Scores a failure against the peer at `url` (a block-level one as a block's); returns it. */
  private blame<T>(
    url: string | undefined,
    failure: Result<T> & { ok: false },
    block = false,
  ): Result<T> {
    if (url) {
      if (block) this.peers.penalizeBlock(url, failure.code, failure.detail);
      else this.peers.penalize(url, failure.code, failure.detail);
    }
    return failure;
  }

  private checkHello(hello: Hello): Result {
    const { chain, nodeKey } = this.options;
    if (
      hello.genesis_hash !== chain.index.main[0]!.hashHex ||
      hello.chain_id !== chain.params.chainId
    ) {
      return fail(
        'P2P_WRONG_NETWORK',
        `the peer is on ${hello.network} (genesis ${hello.genesis_hash.slice(0, 16)}…), this node on ${chain.params.name}`,
      );
    }
    if (hello.node_address === nodeKey.address)
      return fail('P2P_SELF', 'that address is this node itself');
    return ok();
  }

  private describe(hello: Hello, latencyMs?: number) {
    return {
      tipHeight: hello.height,
      tipHash: hello.tip_hash,
      chainWork: hello.chain_work,
      nodeAddress: hello.node_address,
      ...(latencyMs === undefined ? {} : { latencyMs: Math.round(latencyMs) }),
    };
  }
}
