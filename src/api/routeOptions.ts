/**
 * How a route file registers a handler against the contract: `app.route({...routeOptions(
 * contract.info), handler})`. fastify's TypeBox type provider then types the handler's params,
 * query, body and answer from the contract's schemas.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { type Contract, NoBody, type RouteName } from './contract.js';

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** `curl -X POST …/api/miner/start` sends no body at all: validate it as the empty object. */
async function noBodyIsEmpty(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

const stringify = () => (data: unknown) => JSON.stringify(data);

export function routeOptions<R extends Contract[RouteName]>(route: R) {
  return {
    method: route.method,
    url: route.url,
    schema: route.schema as R['schema'],
    config: { operator: route.operator },
    ...(route.schema.body === NoBody ? { preValidation: noBodyIsEmpty } : {}),
    // PERF: see `large` and `rare` in route.ts.
    ...(route.large || route.rare ? { serializerCompiler: stringify } : {}),
  };
}

/**
 * Sends JSON written by hand (cached block views, src/api/blockViews.ts: its parts, or a stream
 * for a long answer) as a route's answer. NOTE: fastify neither serializes nor checks it: the
 * contract's schema documents and types it, and test/integration/contract.test.ts checks one such
 * answer against it.
 */
export function sendJsonStream(
  reply: FastifyReply,
  body: NodeJS.ReadableStream | readonly Buffer[],
): FastifyReply {
  reply.type('application/json; charset=utf-8');
  if (!Array.isArray(body)) return reply.send(body);
  if (body.length === 1) return reply.send(body[0]);
  // PERF: every part written at once, with its length: fastify writes one Buffer, or pipes a
  // stream, which waits for the socket to drain after each chunk. GET /chain of 200 blocks × 50
  // transfers (4.7 MB, its kept segments and a last chunk), node CPU a call 5.1 -> 3.9 ms
  // (bench/lib/chainReadsAlternate.ts 40, alternated call by call, medians, load 24-30; lower in
  // 35 of 40). Taken over from fastify (its headers so far kept), as it allows; node:http
  // ignores a HEAD request's body.
  let bytes = 0;
  for (const part of body) bytes += part.length;
  reply.hijack();
  const headers = { ...reply.getHeaders(), 'content-length': bytes } as OutgoingHttpHeaders;
  reply.raw.writeHead(reply.statusCode, headers);
  for (const part of body) reply.raw.write(part);
  reply.raw.end();
  return reply;
}
