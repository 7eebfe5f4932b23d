/**
 * How a route file registers a handler against the contract: `app.route({...routeOptions(
 * contract.info), handler})`. fastify's TypeBox type provider then types the handler's params,
 * query, body and answer from the contract's schemas.
 */
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
 * Sends JSON written by hand (cached block views, src/api/blockViews.ts: one Buffer, or a stream
 * for a long answer) as a route's answer. NOTE: fastify neither serializes nor checks it: the contract's schema documents and
 * types it, and test/integration/contract.test.ts checks one such answer against it.
 */
export function sendJsonStream(
  reply: FastifyReply,
  body: NodeJS.ReadableStream | Buffer,
): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}
