/**
 * Node's own HTTP code, warmed once the node listens: one GET /api/p2p/hello to itself over
 * loopback, through the client every call to a peer takes (src/p2p/peerHttp.ts), answered by its
 * own API. Nothing is decided on the answer; a warm-up that fails changes nothing.
 *
 * PERF: the code cache (src/cli/loadBundle.ts) holds our code, not Node's: a fresh node's first
 * exchanges ran Node's http client and server cold (their inner functions compiled on first
 * call, no type feedback yet). A plain script's first http.request to a warm server takes
 * 3.6–4.4 ms of CPU, the next ones 0.6–1.4. A fresh bundled node's CPU for its first register +
 * resolve onto a chain 20 blocks longer (bench/adopt.ts's node, 12 rounds alternated without and
 * with the warm-up, load 8.5–10.9): median 37.9 → 28.8 ms, wall 46.2 → 40.0 ms. NOTE: the cost
 * is moved, not removed: its CPU from spawn to listening went 295 → 310 ms (same rounds), spent
 * before anybody asks anything, in a start that takes 0.5–1.2 s.
 */
import { requestPeer } from '../p2p/peerHttp.js';

/** How the node is reached from itself: loopback for an address that listens on every interface. */
export function selfUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** A node that does not answer itself within this is not waited for longer. */
const WARM_UP_MS = 1_000;

/**
 * The warm-up call; whether it was answered. `Connection: close`: the node keeps no connection
 * to itself once it is over.
 */
export async function warmHttp(url: string): Promise<boolean> {
  const answer = await requestPeer(`${url}/api/p2p/hello`, {
    method: 'GET',
    timeoutMs: WARM_UP_MS,
    maxBytes: 64 * 1024,
    headers: { connection: 'close' },
  });
  return answer.ok && answer.value.status === 200;
}
