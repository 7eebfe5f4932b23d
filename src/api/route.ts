/**
 * How contract.ts writes a route: its success answers, plus an error answer per status for the
 * codes it may answer (its own, and what its inputs and the server can fail with).
 */
import type { TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { type ErrorCode, errorMeanings } from '../core/errors.js';
import { httpStatus } from './httpStatus.js';
import { ErrorBody } from './schemas.js';

/** Every code of the table that starts with one of these prefixes. */
export const codesWith = (...prefixes: string[]) =>
  (Object.keys(errorMeanings) as ErrorCode[]).filter((code) =>
    prefixes.some((prefix) => code.startsWith(prefix)),
  );
/** What a transaction offered on its own may fail with. */
export const TX_CODES = codesWith('ENCODING_', 'JSON_', 'ADDRESS_', 'TX_', 'MEMPOOL_');
/** What a block may fail with, its transactions included. */
export const BLOCK_CODES = codesWith(
  'ENCODING_',
  'JSON_',
  'ADDRESS_',
  'TX_',
  'BLOCK_',
  'POW_',
  'CHAIN_',
  'POLICY_',
);

export interface Spec {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly tags: readonly string[];
  readonly summary: string;
  /** Only from this machine, or with the API token (security.ts). */
  readonly operator?: boolean;
  /** Only on nodes started with --lab (labContract.ts); others answer 404. */
  readonly lab?: boolean;
  readonly params?: TSchema;
  readonly querystring?: TSchema;
  readonly body?: TSchema;
  /** The success answer(s), by status. */
  readonly ok: Record<number, TSchema>;
  /** The codes the handler itself answers with; input and server failures are added below. */
  readonly errors?: readonly ErrorCode[];
  /**
   * NOTE: answers too big for fast-json-stringify to help (whole chains, block hex) are written
   * with JSON.stringify; the schema still documents and types them, and tests check them.
   */
  readonly large?: boolean;
  /**
   * An answer given too rarely for fast-json-stringify's compile to pay (an operator's action),
   * also written with JSON.stringify. PERF: POST /nodes/register's serializer was compiled at a
   * fresh node's first registration, ≈ 5–7 ms of its first register + resolve (node --cpu-prof).
   */
  readonly rare?: boolean;
}

/** Every code a route may answer: its own, plus what its inputs and the server can fail with. */
export function codesOf(spec: Spec): ErrorCode[] {
  const codes = new Set<ErrorCode>(spec.errors ?? []);
  if (spec.params || spec.querystring || spec.body) codes.add('API_BAD_REQUEST');
  if (spec.method === 'POST') {
    for (const code of [
      'API_BAD_JSON',
      'API_BODY_TOO_LARGE',
      'API_UNSUPPORTED_MEDIA_TYPE',
    ] as const)
      codes.add(code);
  }
  if (spec.operator) codes.add('API_UNAUTHORIZED');
  codes.add('API_INTERNAL');
  return [...codes];
}

export function errorAnswers(codes: readonly ErrorCode[]): Record<number, TSchema> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = httpStatus[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      status,
      Type.Object(ErrorBody.properties, {
        additionalProperties: false,
        description: list.join(', '),
      }),
    ]),
  );
}

type Input<S, K extends string> = S extends Record<K, infer T extends TSchema> ? T : undefined;

export function route<const S extends Spec>(spec: S) {
  const codes = codesOf(spec);
  const inputs = { params: spec.params, querystring: spec.querystring, body: spec.body };
  const schema = {
    tags: spec.tags,
    summary: spec.operator ? `${spec.summary} (operator)` : spec.summary,
    ...Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== undefined)),
    response: { ...errorAnswers(codes), ...spec.ok },
  };
  return {
    method: spec.method,
    url: spec.url,
    operator: spec.operator ?? false,
    lab: spec.lab ?? false,
    large: spec.large ?? false,
    rare: spec.rare ?? false,
    codes,
    ok: spec.ok as S['ok'],
    schema: schema as {
      tags: readonly string[];
      summary: string;
      params: Input<S, 'params'>;
      querystring: Input<S, 'querystring'>;
      body: Input<S, 'body'>;
      /** Typed as the success answers: errors are answered by server.ts, not by handlers. */
      response: S['ok'];
    },
  };
}
