/**
 * Calls to one peer's HTTP API. SECURITY: every call has a timeout and a cap on the bytes it
 * reads (a peer that answers slowly or endlessly costs at most that), and every answer is checked
 * against a schema before anything uses it. Failures are Results with P2P_* codes, whose
 * penalties (src/core/errors.ts) score the peer.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { type ErrorCode, fail, ok, type Result } from '../core/index.js';

export interface CallOptions {
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  /** The whole call, answer read to its end. */
  readonly timeoutMs?: number;
  /** The answer's status line and headers must come within this (default: timeoutMs). */
  readonly firstByteMs?: number;
  /** Once the answer started, a gap this long with no byte is a stall (default: none). */
  readonly stallMs?: number;
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
  /** Filled in as the call goes: the bytes of the answer read, and which deadline ended it. */
  readonly progress?: CallProgress;
  /**
   * Error codes the peer may answer with that are passed on as they are (e.g. a hello refused
   * with P2P_SELF). SECURITY: only where the caller asks, so that elsewhere a peer cannot swap
   * the penalty of a bad answer for a cheaper code of its choosing.
   */
  readonly passCodes?: readonly ErrorCode[];
  /** The lab's links (src/p2p/links.ts, --lab only): a delay before the call, or a cut. */
  readonly links?: LinkGate | undefined;
}

/** What a call asks of the lab's links before it leaves (src/p2p/links.ts). */
export interface LinkGate {
  pass(url: string, signal?: AbortSignal): Promise<Result>;
  headers(): Record<string, string>;
}

/**
 * PERF: Node loads fetch's implementation (undici) the first time it is used: 30 ms of a fresh
 * node's first call to a peer, inside its register + resolve (node --cpu-prof, bench/adopt.ts).
 * Taken here, it loads with this module, while the node starts.
 */
const fetchPeer = globalThis.fetch;

/** How far a call came: a steadily delivering peer is told from one that stopped (sync.ts). */
export interface CallProgress {
  bytes: number;
  timedOut?: 'first byte' | 'stall' | 'deadline';
}

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;

const compiled = new WeakMap<TSchema, ReturnType<typeof TypeCompiler.Compile>>();
function checker(schema: TSchema) {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check;
}

/**
 * Reads at most `maxBytes` of a body; more is P2P_TOO_LARGE (and the rest is not read). A gap
 * of `stallMs` with no byte is P2P_TIMEOUT: the peer stopped sending.
 */
async function readCapped(
  response: Response,
  maxBytes: number,
  stallMs: number | undefined,
  progress: CallProgress,
): Promise<Result<string>> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return fail(
      'P2P_TOO_LARGE',
      `the answer declares ${declared} bytes; at most ${maxBytes} are read`,
    );
  }
  const reader = response.body?.getReader();
  if (!reader) return ok('');
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const next = await readWithin(reader, stallMs);
    if (next === 'stalled') {
      progress.timedOut = 'stall';
      void reader.cancel().catch(() => undefined);
      return fail(
        'P2P_TIMEOUT',
        `the peer stalled: no byte for ${stallMs} ms after ${total} bytes of the answer`,
      );
    }
    const { done, value } = next;
    if (done) break;
    total += value.byteLength;
    progress.bytes = total;
    if (total > maxBytes) {
      await reader.cancel();
      return fail('P2P_TOO_LARGE', `the answer passed ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return ok(Buffer.concat(chunks).toString('utf8'));
}

/** The next chunk, or 'stalled' if none comes within `stallMs`. */
async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  stallMs: number | undefined,
): Promise<Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>> | 'stalled'> {
  if (stallMs === undefined) return reader.read();
  let cancel = () => {};
  const stalled = new Promise<'stalled'>((resolve) => {
    cancel = patientTimer(stallMs, () => resolve('stalled'));
  });
  try {
    return await Promise.race([reader.read(), stalled]);
  } finally {
    cancel();
  }
}

/** How late a timer may fire before it counts as this node's own event loop having been busy. */
const LATE_MS = 100;

/**
 * Calls `expire` once `ms` have passed in which this node could have received the peer's bytes
 * (the call's deadline bounds it); returns a function that cancels it. NOTE: a node busy on its own thread (connecting a batch of
 * big blocks) reads nothing meanwhile, and its timers run before the bytes that came, so a plain
 * timer would blame the peer for the node's own pause: a timer that fires late gives the peer
 * `ms` more, and one that fires on time still lets pending input be read (setImmediate runs after
 * the poll phase) before it expires.
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

/** One JSON call to `baseUrl + path`, answered as a Result of the schema's type. */
export async function callPeer<S extends TSchema>(
  baseUrl: string,
  path: string,
  schema: S,
  options: CallOptions = {},
): Promise<Result<Static<S>>> {
  if (options.links) {
    const passed = await options.links.pass(baseUrl, options.signal);
    if (!passed.ok) return passed;
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const progress = options.progress ?? { bytes: 0 };
  const firstByte = new AbortController();
  // The whole call's deadline is a plain one: it bounds the call whatever the node's load.
  const signals = [AbortSignal.timeout(timeoutMs), firstByte.signal];
  if (options.signal) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  const firstByteMs = options.firstByteMs ?? timeoutMs;
  const cancelFirstByte =
    options.firstByteMs === undefined
      ? () => {}
      : patientTimer(firstByteMs, () => firstByte.abort());
  try {
    const response = await fetchPeer(`${baseUrl}${path}`, {
      method: options.method ?? 'GET',
      signal,
      headers: {
        ...options.links?.headers(),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    cancelFirstByte();
    const text = await readCapped(
      response,
      options.maxBytes ?? DEFAULT_MAX_BYTES,
      options.stallMs,
      progress,
    );
    if (!text.ok) return text;
    // A node that is closing answers 503 to what was under way: it is going away, not lying.
    if (response.status === 503)
      return fail('P2P_UNREACHABLE', `${baseUrl}${path}: the peer is unavailable (503)`);
    if (!response.ok) {
      const refused = peerErrorCode(text.value, options.passCodes);
      if (refused) return fail(refused.code, refused.message);
      return fail(
        'P2P_BAD_RESPONSE',
        `${path} answered ${response.status}: ${text.value.slice(0, 200)}`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text.value);
    } catch {
      return fail('P2P_BAD_RESPONSE', `${path} did not answer JSON`);
    }
    const check = checker(schema);
    if (!check.Check(json)) {
      const first = check.Errors(json).First();
      return fail(
        'P2P_BAD_RESPONSE',
        `${path} answered the wrong shape: ${first?.path ?? ''} ${first?.message ?? ''}`,
      );
    }
    return ok(json);
  } catch (error) {
    if (firstByte.signal.aborted && !options.signal?.aborted) {
      progress.timedOut = 'first byte';
      return fail(
        'P2P_TIMEOUT',
        `${baseUrl}${path} did not start answering within ${firstByteMs} ms`,
      );
    }
    if (signal.aborted && !options.signal?.aborted) {
      progress.timedOut = 'deadline';
      return fail('P2P_TIMEOUT', `${baseUrl}${path} did not answer within ${timeoutMs} ms`);
    }
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return fail('P2P_UNREACHABLE', `${baseUrl}${path}: ${cause}`);
  } finally {
    cancelFirstByte();
  }
}

/** The peer's `{error: {code, message}}`, if its code is one of `allowed`. */
function peerErrorCode(
  text: string,
  allowed: readonly ErrorCode[] = [],
): { code: ErrorCode; message: string } | undefined {
  if (allowed.length === 0) return undefined;
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    const code = allowed.find((c) => c === error?.code);
    return (
      code && { code, message: `the peer says: ${String(error?.message ?? code).slice(0, 200)}` }
    );
  } catch {
    return undefined;
  }
}

/**
 * A peer address as the tutorials accept it — `host:port`, `http://host:port`, with or without
 * a trailing slash — in one canonical form, `http://host:port`, or undefined.
 */
export function normalizePeerUrl(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 200) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password)
    return undefined;
  if (url.pathname !== '/' || url.search || url.hash || !url.hostname) return undefined;
  return `${url.protocol}//${url.host}`;
}

/** The URL of a peer that called from `remoteAddress` and says it listens on `port`. */
export function peerUrlOf(remoteAddress: string | undefined, port: number): string | undefined {
  const host = (remoteAddress ?? '').replace(/^::ffff:/, '');
  return normalizePeerUrl(host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
}
