/**
 * Node's own HTTP code, warmed once the node listens: two GET /api/p2p/hello to itself over
 * loopback, through the client every call to a peer takes (src/p2p/peerHttp.ts), answered by its
 * own API. Nothing is decided on the answers; a warm-up that fails changes nothing.
 *
 * PERF: the code cache (src/cli/loadBundle.ts) holds our code, not Node's: a fresh node's first
 * exchanges ran Node's http client and server cold (their inner functions compiled on first
 * call, no type feedback yet). A plain script's first http.request to a warm server takes
 * 3.6–4.4 ms of CPU, the next ones 0.6–1.4. A fresh bundled node's CPU for its first register +
 * resolve onto a chain 20 blocks longer (bench/adopt.ts's node; rounds alternated without and
 * with the warm-up): one call, 12 rounds at load 8.5–10.9, median 37.9 → 28.8 ms (wall 46.2 →
 * 40.0). Then node --log-function-events showed what that fresh node still compiled during the
 * request: V8 compiled only 3 functions of ours (the code cache), but ≈ 70 of Node's, among them
 * the kept-alive connection's reuse (responseKeepAlive, keepSocketAlive, reuseSocket) and the
 * AbortSignal listener a peer call registers (event_target, abort_controller: 31). Two calls on
 * one connection, with the node's closing signal: 10 rounds alternated at load 11.3–11.6,
 * without / one call / two: median 29.7 / 26.1 / 20.4 ms (wall 46.3 / 42.6 / 34.6).
 * NOTE: the cost is moved, not removed: CPU from spawn to listening, same rounds, median
 * 281 / 273 / 291 ms (within the noise of a start), spent before anybody asks anything.
 */
import { Agent } from 'node:http';
import { parseHex, toHex } from '../core/index.js';
import { collectGarbage } from '../p2p/collectGarbage.js';
import { requestPeer } from '../p2p/peerHttp.js';

/** How the node is reached from itself: loopback for an address that listens on every interface. */
export function selfUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** A node that does not answer itself within this is not waited for longer. */
const WARM_UP_MS = 1_000;

/**
 * The warm-up: two calls, the second on the connection the first left open, as calls to a peer
 * go (kept-alive), stopped if `signal` aborts (the node closes), which they register with as a
 * peer call does. Whether both were answered. The connection is closed once they are over: the
 * node keeps none to itself.
 */
export async function warmHttp(url: string, signal?: AbortSignal): Promise<boolean> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let call = 0; call < 2; call++) {
      const answer = await requestPeer(`${url}/api/p2p/hello`, {
        method: 'GET',
        timeoutMs: WARM_UP_MS,
        maxBytes: 64 * 1024,
        agent,
        ...(signal ? { signal } : {}),
      });
      if (!answer.ok || answer.value.status !== 200) return false;
    }
    return true;
  } finally {
    agent.destroy();
  }
}

/** Calls of each that V8 needs to see before it optimizes them (≈ 90 for 32 bytes: --trace-opt). */
const HEX_CALLS = 200;

/**
 * The hex of ids and hashes, run hot once at start (createNode, with the warm-up), so that V8
 * optimizes toHex and parseHex before the node's first sync does, on the inputs a sync gives
 * them: 32-byte hashes as Uint8Array (noble's), as a view into a block's bytes and as a Buffer
 * (node:crypto's), and the 64 characters of a hash's hex.
 *
 * PERF: they were the only functions V8 optimized inside a fresh node's first register +
 * resolve onto a chain 20 blocks longer (--trace-opt on bench/adopt.ts's node: toHex and
 * parseHex, 3.5 + 3.7 ms of TurboFan each, load 16), a running node's long since. Instructions
 * in that request (bench/lib/freshAdoptCallgrind.ts: valgrind, which load does not move), 2
 * rounds each: all threads 81.7, 92.2 → 53.8, 53.1 M; the main thread 62.0, 72.6 → 53.8,
 * 53.1 M (it ran the hex unoptimized until TurboFan was done). CPU
 * (bench/lib/freshAdoptProfile.ts, OLD_RUNNER alternated, 12 rounds, three times; load 23–31,
 * 23–31, 9.5): median 33.8 → 25.4, 40.4 → 28.5 and 41.8 → 31.7 ms, lower in 33 of 36 pairs.
 * NOTE: the TurboFan compile is moved to the start, not removed (≈ 20 M instructions, a few ms
 * on V8's thread, with ≈ 1 ms of calls): CPU to start 613 → 569 and 606 → 653 ms, within the
 * noise of a start (518–701 ms in one run).
 */
export function warmHex(): void {
  const inputs = [new Uint8Array(32), new Uint8Array(64).subarray(16, 48), Buffer.alloc(32)];
  for (let call = 0; call < HEX_CALLS; call++) {
    const bytes = inputs[call % inputs.length]!;
    bytes[0] = call;
    parseHex(toHex(bytes), 32);
  }
}

/**
 * The start's garbage collected once the node is up (createNode, with the warm-up): a full
 * collection, so that V8 sizes its old generation's limit from what the started node keeps, and
 * its first sync does not pay for what the start left. Figures: createNode.ts.
 */
export function collectStartGarbage(): void {
  collectGarbage();
}
