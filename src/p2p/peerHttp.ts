/**
 * One HTTP request to a peer, on node:http with kept-alive connections, under the bounds every
 * peer call has (peerClient.ts): a deadline for the whole call, one for the answer to start, a
 * stall timeout between its bytes, and a cap on the bytes read.
 *
 * PERF: node:http, not fetch (undici): fetch's streams, AbortSignals and Response objects were
 * the largest part of a peer call's CPU (callPeer 239 ms of a running node's 1,500 over 8
 * register + resolve rounds onto 20 blocks, inspector profile). Measured side by side, 3,000
 * sequential calls for a 20-header page to a node:http server in the same process (load
 * average 11): 1,972 and 2,104 µs of CPU a call with fetch, 804 and 661 µs with this; a
 * running node's CPU for one register + resolve onto 20 blocks, median of 8: 69.6 → 63.0 ms.
 */
import {
  type Agent,
  type ClientRequest,
  Agent as HttpAgent,
  type IncomingMessage,
  request,
} from 'node:http';
import { Agent as HttpsAgent, request as requestTls } from 'node:https';
import { fail, ok, type Result } from '../core/index.js';

export interface PeerRequest {
  readonly method: 'GET' | 'POST';
  readonly body?: string;
  readonly timeoutMs: number;
  readonly firstByteMs?: number;
  readonly stallMs?: number;
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  /** Extra request headers (the lab's links mark their calls). */
  readonly headers?: Record<string, string>;
  /** Connections of its own, not the peers' kept-alive ones (the node's warm-up, src/node/warmUp.ts). */
  readonly agent?: Agent;
  /**
   * Takes a 2xx answer's body chunk by chunk as it comes (blocksAnswer.ts), instead of its text:
   * the answer's `text` is then empty. A failure it returns ends the call with that failure.
   */
  readonly reader?: AnswerReader;
}

/** What reads an answer's body as it comes (PeerRequest.reader). */
export interface AnswerReader {
  push(chunk: Uint8Array): Result;
}

/** How far a call came: a steadily delivering peer is told from one that stopped (sync.ts). */
export interface CallProgress {
  bytes: number;
  timedOut?: 'first byte' | 'stall' | 'deadline';
}

export interface PeerAnswer {
  readonly status: number;
  readonly text: string;
}

/**
 * Kept-alive connections, as fetch kept them. NOTE: Node's agent closes an idle connection a
 * second before the server's `Keep-Alive: timeout` hint; a request that still meets a connection
 * the peer has just closed is sent once more on a new one (reusedSocket, as Node's docs advise).
 */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 8 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 8 }),
} as const;

/** How late a timer may fire before it counts as this node's own event loop having been busy. */
const LATE_MS = 100;

/**
 * Calls `expire` once `ms` have passed in which this node could have received the peer's bytes
 * (the call's deadline bounds it); returns a function that cancels it. NOTE: a node busy on its
 * own thread (connecting a batch of big blocks) reads nothing meanwhile, and its timers run
 * before the bytes that came, so a plain timer would blame the peer for the node's own pause: a
 * timer that fires late gives the peer `ms` more, and one that fires on time still lets pending
 * input be read (setImmediate runs after the poll phase) before it expires.
 */
export function patientTimer(ms: number, expire: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = () => {
    const due = performance.now() + ms;
    timer = setTimeout(() => {
      // NOTE: as often as the node is late: the call's own deadline (a plain timer) still ends
      // it, so a peer on a machine that is always busy times out all the same.
      if (performance.now() - due > LATE_MS) arm();
      else
        setImmediate(() => {
          if (!cancelled) expire();
        });
    }, ms);
  };
  arm();
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
}

/** What each signal's one 'abort' listener calls: the calls under way with that signal. */
const onAbort = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `stop` when `signal` aborts; returns a function that forgets it. PERF: one 'abort'
 * listener a signal (a sync's, a node's), not an add and a remove on the signal's EventTarget for
 * every call: node:internal/event_target's share of a fresh node's busy samples for a register +
 * resolve onto 20 blocks fell from 3.0 to 0.7 % (bench/lib/freshAdoptProfile.ts, 8 rounds, load
 * 6-10). Its CPU, 10 rounds alternated with the build before: medians 36.8 → 29.4 ms (load 7.5,
 * tests running beside) and 29.0 → 29.1 ms (load 6): within the noise.
 */
export function whenAborted(signal: AbortSignal, stop: () => void): () => void {
  let stops = onAbort.get(signal);
  if (!stops) {
    const registered = new Set<() => void>();
    stops = registered;
    onAbort.set(signal, registered);
    signal.addEventListener(
      'abort',
      () => {
        for (const each of [...registered]) each();
        registered.clear();
      },
      { once: true },
    );
  }
  const own = stops;
  // A function of its own, so that one call registered twice is also forgotten once each.
  const entry = () => stop();
  own.add(entry);
  return () => own.delete(entry);
}

/** GET or POST `url`; the status and the body as text, or P2P_TIMEOUT / P2P_TOO_LARGE / P2P_UNREACHABLE. */
export async function requestPeer(
  url: string,
  options: PeerRequest,
  progress: CallProgress = { bytes: 0 },
): Promise<Result<PeerAnswer>> {
  const first = await requestOnce(url, options, progress);
  if (first.ok || !first.retry) return first.result;
  return (await requestOnce(url, options, progress)).result;
}

type Attempt =
  | { ok: true; result: Result<PeerAnswer> }
  | { ok: false; result: Result<PeerAnswer>; retry: boolean };

function requestOnce(url: string, options: PeerRequest, progress: CallProgress): Promise<Attempt> {
  return new Promise<Attempt>((resolve) => {
    const target = new URL(url);
    const tls = target.protocol === 'https:';
    const cancels: (() => void)[] = [];
    let settled = false;
    let req: ClientRequest | undefined;
    let res: IncomingMessage | undefined;
    const finish = (attempt: Attempt) => {
      if (settled) return;
      settled = true;
      for (const cancel of cancels) cancel();
      resolve(attempt);
    };
    /** Ends the call with `result`, dropping its connection (it may be mid-answer). */
    const abort = (result: Result<PeerAnswer>) => {
      finish({ ok: false, result, retry: false });
      res?.destroy();
      req?.destroy();
    };
    const timedOut = (kind: NonNullable<CallProgress['timedOut']>, detail: string) => {
      progress.timedOut = kind;
      abort(fail('P2P_TIMEOUT', detail));
    };
    if (options.signal?.aborted) {
      finish({
        ok: false,
        result: fail('P2P_UNREACHABLE', `${url}: the call was stopped`),
        retry: false,
      });
      return;
    }
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(options.body);
    }
    const send = tls ? requestTls : request;
    req = send(target, {
      method: options.method,
      headers,
      agent: options.agent ?? (agents[tls ? 'https:' : 'http:'] as Agent),
    });
    // The whole call's deadline is a plain one: it bounds the call whatever the node's load.
    const deadline = setTimeout(
      () => timedOut('deadline', `${url} did not answer within ${options.timeoutMs} ms`),
      options.timeoutMs,
    );
    cancels.push(() => clearTimeout(deadline));
    let stopFirstByte = () => {};
    if (options.firstByteMs !== undefined) {
      const firstByteMs = options.firstByteMs;
      stopFirstByte = patientTimer(firstByteMs, () =>
        timedOut('first byte', `${url} did not start answering within ${firstByteMs} ms`),
      );
      cancels.push(stopFirstByte);
    }
    if (options.signal)
      cancels.push(
        whenAborted(options.signal, () =>
          abort(fail('P2P_UNREACHABLE', `${url}: the call was stopped`)),
        ),
      );
    req.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? error.message;
      // A kept-alive connection the peer closed just as this request went out: once more.
      const retry =
        req?.reusedSocket === true && (code === 'ECONNRESET' || code === 'EPIPE') && !res;
      finish({ ok: false, result: fail('P2P_UNREACHABLE', `${url}: ${code}`), retry });
    });
    req.on('response', (answer) => {
      res = answer;
      stopFirstByte();
      const declared = Number(answer.headers['content-length'] ?? 0);
      if (declared > options.maxBytes) {
        abort(
          fail(
            'P2P_TOO_LARGE',
            `the answer declares ${declared} bytes; at most ${options.maxBytes} are read`,
          ),
        );
        return;
      }
      const chunks: Buffer[] = [];
      const status = answer.statusCode ?? 0;
      const reader = status >= 200 && status <= 299 ? options.reader : undefined;
      let total = 0;
      let stopStall = () => {};
      const armStall = () => {
        if (options.stallMs === undefined) return;
        const stallMs = options.stallMs;
        stopStall();
        stopStall = patientTimer(stallMs, () =>
          timedOut(
            'stall',
            `the peer stalled: no byte for ${stallMs} ms after ${total} bytes of the answer`,
          ),
        );
      };
      cancels.push(() => stopStall());
      armStall();
      answer.on('data', (chunk: Buffer) => {
        if (settled) return;
        total += chunk.length;
        progress.bytes = total;
        if (total > options.maxBytes) {
          abort(fail('P2P_TOO_LARGE', `the answer passed ${options.maxBytes} bytes`));
          return;
        }
        if (reader) {
          const read = reader.push(chunk);
          if (!read.ok) {
            abort(read);
            return;
          }
        } else chunks.push(chunk);
        armStall();
      });
      answer.on('end', () =>
        finish({
          ok: true,
          result: ok({
            status,
            text: reader ? '' : Buffer.concat(chunks, total).toString('utf8'),
          }),
        }),
      );
      answer.on('error', (error: NodeJS.ErrnoException) =>
        finish({
          ok: false,
          result: fail('P2P_UNREACHABLE', `${url}: ${error.code ?? error.message}`),
          retry: false,
        }),
      );
      answer.on('close', () => {
        if (!answer.complete)
          finish({
            ok: false,
            result: fail('P2P_UNREACHABLE', `${url}: the peer closed the connection mid-answer`),
            retry: false,
          });
      });
    });
    req.end(options.body);
  });
}
