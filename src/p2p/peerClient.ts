/**
 * Calls to one peer's HTTP API. SECURITY: every call has a timeout and a cap on the bytes it
 * reads (a peer that answers slowly or endlessly costs at most that), and every answer is checked
 * against a schema before anything uses it. Failures are Results with P2P_* codes, whose
 * penalties (penaltyOf.ts) score the peer.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { type ErrorCode, fail, ok, type Result } from '../core/index.js';
import { checkAnswer } from './answerCheck.js';
import { type AnswerReader, type CallProgress, requestPeer } from './peerHttp.js';

export type { AnswerReader, CallProgress } from './peerHttp.js';

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

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/** One JSON call to `baseUrl + path`, answered as a Result of the schema's type. */
export async function callPeer<S extends TSchema>(
  baseUrl: string,
  path: string,
  schema: S,
  options: CallOptions = {},
): Promise<Result<Static<S>>> {
  const answer = await callPeerText(baseUrl, path, options);
  if (!answer.ok) return answer;
  let json: unknown;
  try {
    json = JSON.parse(answer.value);
  } catch {
    return fail('P2P_BAD_RESPONSE', `${path} did not answer JSON`);
  }
  const checked = checkAnswer(schema, json);
  if (!checked.ok)
    return fail(
      'P2P_BAD_RESPONSE',
      `${path} answered the wrong shape: ${checked.path} ${checked.message}`,
    );
  return ok(json as Static<S>);
}

/**
 * One call to `baseUrl + path` whose answer, if 2xx, `reader` reads as it comes (its own checks:
 * blocksAnswer.ts); failures as callPeer's, and the reader's own.
 */
export async function callPeerReading(
  baseUrl: string,
  path: string,
  reader: AnswerReader,
  options: CallOptions = {},
): Promise<Result> {
  const answer = await callPeerText(baseUrl, path, options, reader);
  return answer.ok ? ok() : answer;
}

/** A call's 2xx answer as text (empty if `reader` took it), or why not. */
async function callPeerText(
  baseUrl: string,
  path: string,
  options: CallOptions,
  reader?: AnswerReader,
): Promise<Result<string>> {
  if (options.links) {
    const passed = await options.links.pass(baseUrl, options.signal);
    if (!passed.ok) return passed;
  }
  const answer = await requestPeer(
    `${baseUrl}${path}`,
    {
      method: options.method ?? 'GET',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(options.firstByteMs === undefined ? {} : { firstByteMs: options.firstByteMs }),
      ...(options.stallMs === undefined ? {} : { stallMs: options.stallMs }),
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.links ? { headers: options.links.headers() } : {}),
      ...(reader ? { reader } : {}),
    },
    options.progress,
  );
  if (!answer.ok) return answer;
  const { status, text } = answer.value;
  // A node that is closing answers 503 to what was under way: it is going away, not lying.
  if (status === 503)
    return fail('P2P_UNREACHABLE', `${baseUrl}${path}: the peer is unavailable (503)`);
  if (status < 200 || status > 299) {
    const refused = peerErrorCode(text, options.passCodes);
    if (refused) return fail(refused.code, refused.message);
    return fail('P2P_BAD_RESPONSE', `${path} answered ${status}: ${text.slice(0, 200)}`);
  }
  return ok(text);
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
