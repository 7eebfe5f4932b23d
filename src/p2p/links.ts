/**
 * The lab's links (nodes started with --lab only): per peer, cut or not, and a delay added to
 * every call to it. A cut link fails both ways as a dropped network would: this node's calls to
 * the peer fail as unreachable before they leave, and the peer's calls to this node are dropped
 * (the connection closed, no answer) by the server's hook (src/api/routes/lab.ts), which knows
 * the caller by the `x-blockyard-peer` header lab nodes send (their listening port).
 * Nothing here changes what is valid: a cut link only delays what the peers learn.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fail, ok, type Result } from '../core/index.js';
import { normalizePeerUrl } from './peerClient.js';

/** The header that tells a lab node which peer is calling: the caller's listening port. */
export const PEER_PORT_HEADER = 'x-blockyard-peer';

export interface LinkState {
  readonly peer: string;
  readonly cut: boolean;
  readonly delayMs: number;
}

export class Links {
  private readonly byPeer = new Map<string, LinkState>();

  constructor(private readonly ownPort: () => number) {}

  list(): LinkState[] {
    return [...this.byPeer.values()];
  }

  get(peer: string): LinkState {
    const url = normalizePeerUrl(peer) ?? peer;
    return this.byPeer.get(url) ?? { peer: url, cut: false, delayMs: 0 };
  }

  /** Changes one link; undefined keeps what it was. */
  set(
    peer: string,
    change: { cut?: boolean | undefined; delayMs?: number | undefined },
  ): Result<LinkState> {
    const url = normalizePeerUrl(peer);
    if (!url) return fail('API_BAD_REQUEST', `"${peer}" is not a peer address (host:port)`);
    const before = this.get(url);
    const next = {
      peer: url,
      cut: change.cut ?? before.cut,
      delayMs: change.delayMs ?? before.delayMs,
    };
    if (!next.cut && next.delayMs === 0) this.byPeer.delete(url);
    else this.byPeer.set(url, next);
    return ok(next);
  }

  isCut(url: string): boolean {
    return this.byPeer.get(url)?.cut === true;
  }

  /** Headers every call to a peer carries, so the peer's own links know who calls. */
  headers(): Record<string, string> {
    return { [PEER_PORT_HEADER]: String(this.ownPort()) };
  }

  /**
   * Before a call to `url` leaves: waits the link's delay, then fails if the link is cut (also
   * when it was cut during the wait).
   */
  async pass(url: string, signal?: AbortSignal): Promise<Result> {
    const delayMs = this.byPeer.get(url)?.delayMs ?? 0;
    if (delayMs > 0) await sleep(delayMs, undefined, signal ? { signal } : {}).catch(() => {});
    if (this.isCut(url)) return fail('P2P_UNREACHABLE', `${url}: the lab cut this link`);
    return ok();
  }
}
