/**
 * Introductions both ways (hello) and the peers' lifecycle: each peer is called on its own
 * schedule (peerSchedule.ts), pinged every few seconds while it answers, so what the node shows
 * about it is never older than one ping; retried with backoff while it does not, and at once when
 * it calls us. Peers the operator names are kept until removed; peers learned from others are
 * forgotten after a long silence.
 */
import { type ErrorCode, fail, ok, type Result } from '../core/index.js';
import { Hello } from './messages.js';
import type { Network } from './network.js';
import type { PeerState } from './peerBook.js';
import { callPeer, peerUrlOf } from './peerClient.js';
import { nextRetryMs, RETRY_CAP_MS } from './peerSchedule.js';
import { prefetchHeaders } from './sync.js';

/** Answers that say the address is not a peer of ours at all: retrying would not change them. */
const REFUSALS: readonly ErrorCode[] = ['P2P_SELF', 'P2P_SAME_KEY', 'P2P_WRONG_NETWORK'];

export class PeerContact {
  private readonly greetings = new Map<string, Promise<Result<PeerState>>>();

  constructor(private readonly network: Network) {}

  /** See Network.greet. */
  greet(url: string, prefetch = false): Promise<Result<PeerState>> {
    const running = this.greetings.get(url);
    if (running) return running;
    const call = this.call(url, 'POST', prefetch).finally(() => this.greetings.delete(url));
    this.greetings.set(url, call);
    return call;
  }

  /** See Network.acceptHello. */
  acceptHello(hello: Hello, remoteAddress: string | undefined): Result<Hello> {
    const { network } = this;
    const checked = network.checkHello(hello);
    if (!checked.ok) return checked;
    const url = peerUrlOf(remoteAddress, hello.port);
    if (!url)
      return fail('P2P_BAD_URL', `cannot make a URL from ${remoteAddress} and port ${hello.port}`);
    if (network.peers.isBanned(url))
      return fail('P2P_BANNED', `${url} sent invalid data and is banned for now`);
    const known = network.peers.get(url);
    if (known) network.syncDriver.greeted(url);
    if (known?.answering && known.nodeAddress === hello.node_address) {
      network.peers.seen(url, describe(hello));
      network.syncDriver.syncIfBetter(url, hello);
    } else if (known) {
      network.schedule.now(url); // it is back: call it now rather than at the end of its backoff
      network.options.logger.info({ peer: url, why: 'it said hello' }, 'calling a peer away early');
    } else {
      void this.verifyCaller(url, hello);
    }
    return ok(network.hello());
  }

  /** One scheduled call to a peer; answers when to call it next. */
  async contact(url: string): Promise<number | undefined> {
    const { network } = this;
    const peer = network.peers.get(url);
    if (!peer || network.closed) return undefined;
    const now = network.options.now();
    if (network.peers.isBanned(url)) return peer.bannedUntilMs - now;
    const forgetAfterMs = network.options.forgetAfterMs ?? 60 * 60 * 1000;
    if (
      !peer.named &&
      !peer.answering &&
      now - Math.max(peer.lastSeenMs, peer.addedMs) > forgetAfterMs
    ) {
      network.options.logger.info({ peer: url }, 'forgetting a learned peer silent for long');
      network.peers.remove(url);
      return undefined;
    }
    // While it answers, a ping (GET hello: no side effects on the peer); otherwise a greeting,
    // which also tells a peer that restarted or forgot us who we are.
    const result =
      peer.answering && peer.nodeAddress ? await this.call(url, 'GET') : await this.greet(url);
    if (result.ok) return network.pingMs;
    if (REFUSALS.includes(result.code)) {
      if (!peer.named) network.peers.remove(url);
      return peer.named ? RETRY_CAP_MS : undefined;
    }
    return nextRetryMs(peer.named, network.peers.get(url)?.failures ?? 1);
  }

  /**
   * A peer's request came from `remoteAddress` (any route of /api/p2p/): the peers there that
   * are not answering are called now rather than at the end of their backoff (a laptop whose
   * cable is back, or that woke, is heard from before its next retry), and, if no peer was
   * answering, every peer (our own link is back). At most once every EARLY_CALL_GAP_MS a peer
   * (PeerSchedule.soon): a host whose other nodes call us all the time does not make us call a
   * dead one there more often.
   */
  heardFrom(remoteAddress: string | undefined): void {
    const host = (remoteAddress ?? '').replace(/^::ffff:/, '');
    const peers = this.network.peers.usable();
    if (peers.every((p) => p.answering)) return;
    const cutOff = !peers.some((p) => p.answering);
    for (const peer of peers)
      if (!peer.answering && (cutOff || hostOf(peer.url) === host))
        this.callSoon(peer.url, cutOff ? 'our link is back' : 'it contacted us');
  }

  /** A call answered after none did: our own link is back, so every peer away is called now. */
  private linkBack(answered: string): void {
    const others = this.network.peers.usable().filter((p) => p.url !== answered);
    if (others.some((p) => p.answering)) return;
    for (const peer of others) if (!peer.answering) this.callSoon(peer.url, 'our link is back');
  }

  private callSoon(url: string, why: string): void {
    if (this.network.schedule.soon(url))
      this.network.options.logger.info({ peer: url, why }, 'calling a peer away early');
  }

  /** Calls the peer's hello (POST: a greeting; GET: a ping) and records what it says. */
  private async call(
    url: string,
    method: 'GET' | 'POST',
    prefetch = false,
  ): Promise<Result<PeerState>> {
    const { network } = this;
    const started = performance.now();
    // NOTE: asked for before the peer is verified, and used only once it is (a greeting that
    // fails drops it unread: nothing a wrong address answers is checked, used or scored).
    const firstPage = prefetch ? prefetchHeaders(network.syncDriver.context(), url) : undefined;
    const answer = await callPeer(url, '/api/p2p/hello', Hello, {
      method,
      ...(method === 'POST' ? { body: network.hello() } : {}),
      timeoutMs: network.timeoutMs,
      signal: network.closingSignal,
      links: network.options.links,
      // The peer's own reasons for refusing us are worth reporting as they are.
      passCodes: ['P2P_SELF', 'P2P_SAME_KEY', 'P2P_WRONG_NETWORK', 'P2P_BANNED', 'P2P_PEER_LIMIT'],
    });
    if (network.closed || !network.peers.get(url)) return fail('P2P_UNREACHABLE', 'closing');
    const checked = answer.ok ? network.checkHello(answer.value) : answer;
    if (!checked.ok) {
      if (checked.code === 'P2P_BANNED' || checked.code === 'P2P_PEER_LIMIT')
        network.peers.unavailable(url, checked.code, checked.detail);
      else network.recordFailure(url, checked);
      network.options.logger.debug({ peer: url, code: checked.code }, checked.detail);
      return checked;
    }
    const hello = (answer as { value: Hello }).value;
    const wasAnswering = network.peers.get(url)?.answering;
    network.peers.seen(url, {
      ...describe(hello),
      latencyMs: Math.round(performance.now() - started),
    });
    if (!wasAnswering) {
      network.options.logger.info({ peer: url }, 'peer answering');
      this.linkBack(url);
    }
    this.reportSameKey(url, hello.node_address);
    // After a greeting, a sync whatever the peer says (what it says of its own chain decides
    // nothing); a ping syncs only when the peer shows a tip we lack with more work.
    // A greeting with a prefetch is the operator's (register): a sync even from a peer found slow.
    if (method === 'POST') void network.sync(url, firstPage ? { firstPage, asked: true } : {});
    else network.syncDriver.syncIfBetter(url, hello);
    return ok(network.peers.get(url)!);
  }

  /** A stranger's hello: its URL is called back, and it is added only if it answers as itself. */
  private async verifyCaller(url: string, hello: Hello): Promise<void> {
    const { network } = this;
    const started = performance.now();
    const answer = await callPeer(url, '/api/p2p/hello', Hello, {
      timeoutMs: network.timeoutMs,
      signal: network.closingSignal,
      links: network.options.links,
    });
    if (network.closed) return;
    if (!answer.ok || answer.value.node_address !== hello.node_address) {
      network.options.logger.info(
        { peer: url, code: answer.ok ? 'P2P_BAD_RESPONSE' : answer.code },
        'a node introduced itself from an address that does not answer as that node; not added',
      );
      return;
    }
    if (!network.checkHello(answer.value).ok || !network.peers.add(url).ok) return;
    network.peers.seen(url, {
      ...describe(answer.value),
      latencyMs: Math.round(performance.now() - started),
    });
    this.reportSameKey(url, answer.value.node_address);
    // PERF: a sync only if it shows a better tip, as a ping's: a node that registered us to adopt
    // our longer chain had its answers slowed by our sync from it (bench/adopt.ts: a 1-block batch
    // took 5 ms instead of 1–2). A peer that hides a better chain gets no less: what it announces,
    // or the timer's sync, is fetched anyway.
    network.syncDriver.syncIfBetter(url, answer.value);
    network.schedule.after(url, network.pingMs);
  }

  /** NOTE: one node at two URLs (a LAN and a loopback address) is fine, a copied key is not. */
  private reportSameKey(url: string, nodeAddress: string): void {
    const { peers, options } = this.network;
    const other = peers.list().find((p) => p.url !== url && p.nodeAddress === nodeAddress);
    if (other)
      options.logger.warn(
        { peer: url, other: other.url },
        'two peer URLs answer with one node key: the same node at two addresses, or two nodes sharing a key',
      );
  }
}

/** The host of a peer's URL, as a request's remote address gives it (no brackets). */
const hostOf = (url: string): string => new URL(url).hostname.replace(/^\[|\]$/g, '');

/** What a peer's hello says of it, as the peer book keeps it. */
function describe(hello: Hello) {
  return {
    tipHeight: hello.height,
    tipHash: hello.tip_hash,
    chainWork: hello.chain_work,
    nodeAddress: hello.node_address,
    version: hello.version,
  };
}
