/**
 * The HTTP API: fastify over the routes of contract.ts, OpenAPI at /docs (lazyDocs.ts), one error shape.
 * Public routes answer any origin (CORS `*`); operator routes (config `operator: true`) answer
 * only the operator (security.ts) and never carry CORS headers.
 */
import type { IncomingMessage } from 'node:http';
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { TSchema } from '@sinclair/typebox';
import Fastify, { type FastifyError, type FastifyReply, LogController } from 'fastify';
import type { Logger } from 'pino';
import { SERVER_AJV_OPTIONS } from './ajvOptions.js';
import { ApiError, errorBody } from './apiError.js';
import { NODE_ADDRESS_EXAMPLE } from './contract.js';
import type { ApiDeps } from './deps.js';
import { lazySchemaController } from './lazyCompilers.js';
import { registerLazyDocs } from './lazyDocs.js';
import type { Api } from './routeOptions.js';
import { registerBlockRoutes } from './routes/blocks.js';
import { registerEventRoutes } from './routes/events.js';
import { registerExplorerRoutes } from './routes/explorer.js';
import { registerHomeRoute } from './routes/home.js';
import { registerInfoRoutes } from './routes/info.js';
import { registerJoinRoutes } from './routes/join.js';
import { registerLabRoutes } from './routes/lab.js';
import { registerNodeRoutes } from './routes/nodes.js';
import { registerP2pRoutes } from './routes/p2p.js';
import { registerReorgRoutes } from './routes/reorgs.js';
import { registerSearchRoutes } from './routes/search.js';
import { registerTreeRoutes } from './routes/tree.js';
import { registerTutorialRoutes } from './routes/tutorial.js';
import { registerTxRoutes } from './routes/txs.js';
import { isOperator } from './security.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    operator?: boolean;
  }
}

/** Big enough for a full block as hex (2 MB) and a batch of transactions; 10 MB is refused. */
export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export interface ApiOptions {
  readonly logger?: Logger;
  /**
   * Check every answer against its schema in the contract before it is sent, and fail with a
   * 500 when it does not match: the tests run with it (BLOCKYARD_CHECK_RESPONSES=1, set in
   * vitest.config.ts), so the contract cannot drift from what the handlers answer.
   */
  readonly checkResponses?: boolean;
}

export async function buildApi(deps: ApiDeps, options: ApiOptions = {}): Promise<Api> {
  const { logger } = options;
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Requests are not logged one by one: a node's log tells of blocks, peers and errors.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: SERVER_AJV_OPTIONS },
    // PERF: each route's validator and serializer compiled on its first call (lazyCompilers.ts).
    schemaController: lazySchemaController(),
    // Errors fastify meets before routing (a malformed URL such as /api/blocks/%) get the same
    // {error: {code, message}} shape as every other error.
    frameworkErrors: (error, _request, reply) => {
      const [status, body] = answerFor(error);
      (reply as FastifyReply).code(status).send(body);
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as Api;
  // The methods each public route path answers, for CORS preflight. NOTE: recorded by path, not
  // by handler: findRoute() returns fastify's shared internal handler, never the route's own.
  const publicMethods = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    if (route.config?.operator) return;
    const methods = publicMethods.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) if (method !== 'OPTIONS') methods.add(method);
    publicMethods.set(route.url, methods);
  });
  // Bodies are JSON, or form-encoded for the tutorials' HTML forms; text/plain is refused (415).
  app.removeContentTypeParser('text/plain');
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
  registerLazyDocs(app, {
    openapi: {
      info: {
        title: 'blockyard node API',
        version: deps.version,
        description:
          'Errors answer `{error: {code, message}}`: every code, with its status and meaning, is listed at [/api/errors](/api/errors) (and in docs/errors.md).',
      },
    },
    // The examples that need this node's own address (POST /transactions/new) get it here.
    transformObject: (documentObject) => {
      const spec = 'openapiObject' in documentObject ? documentObject.openapiObject : {};
      return JSON.parse(
        JSON.stringify(spec).replaceAll(NODE_ADDRESS_EXAMPLE, deps.nodeWallet.address),
      );
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.operator) {
      if (!isOperator(request, deps.apiToken)) {
        throw new ApiError(
          'API_UNAUTHORIZED',
          `${request.method} ${request.routeOptions.url} is an operator action: call it from this machine, or send Authorization: Bearer <token> (the token is in the node's data directory, file api-token)`,
        );
      }
    } else {
      reply.header('access-control-allow-origin', '*');
    }
  });

  if (options.checkResponses) {
    // PERF: TypeBox's Value, which only this check uses, loaded only for it: 0.3 MB of a started
    // node's live heap (after a full GC, importing it after TypeBox's compiler, as a node does).
    const { Value } = await import('@sinclair/typebox/value');
    app.addHook('preSerialization', async (request, reply, payload) => {
      const responses = request.routeOptions.schema?.response as
        | Record<number, TSchema>
        | undefined;
      if (!responses) return; // the dashboard's files and /docs
      const schema = responses[reply.statusCode];
      if (!schema)
        throw new Error(
          `${request.routeOptions.url} answered ${reply.statusCode}, which the contract does not declare`,
        );
      const first = Value.Errors(schema, payload).First();
      if (first)
        throw new Error(
          `${request.routeOptions.url} answered ${reply.statusCode} off its contract: ${first.path} ${first.message}`,
        );
    });
  }

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const [status, body] = answerFor(error);
    if (status === 413) discardRestOfBody(request.raw);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(
        errorBody(
          'API_NOT_FOUND',
          `no route ${request.method} ${request.url.split('?')[0]}; the routes are listed at /docs`,
        ),
      );
  });

  registerHomeRoute(app, deps);
  registerTutorialRoutes(app, deps);
  registerInfoRoutes(app, deps);
  registerJoinRoutes(app, deps);
  registerBlockRoutes(app, deps);
  registerTreeRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerTxRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerReorgRoutes(app, deps);
  registerExplorerRoutes(app, deps);
  registerNodeRoutes(app, deps);
  registerP2pRoutes(app, deps);
  // Lab routes exist only on lab nodes: an ordinary node answers 404 for them.
  if (deps.lab) registerLabRoutes(app, deps, deps.lab);
  registerPreflights(app, publicMethods);
  return app;
}

/** What the node reads and throws away of a body over the limit, and for how long at most. */
export const DISCARD_MAX_BYTES = 4 * BODY_LIMIT_BYTES;
export const DISCARD_MAX_MS = 10_000;

/**
 * After a 413, reads and drops the rest of the body, so that a client still sending (Node's
 * fetch does not read the answer until it has sent everything) gets the JSON error rather than a
 * reset. SECURITY: bounded: past DISCARD_MAX_BYTES or DISCARD_MAX_MS the connection is cut, so an
 * endless body costs the node at most that (Node's own drain would read it all).
 */
function discardRestOfBody(raw: IncomingMessage): void {
  if (raw.complete) return;
  let discarded = 0;
  const cut = () => raw.socket?.destroy();
  const timer = setTimeout(cut, DISCARD_MAX_MS);
  timer.unref();
  raw.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    // Reading stops (the sender is held by TCP flow control, it can still read the answer), and
    // the connection goes at the deadline.
    if (discarded > DISCARD_MAX_BYTES) raw.pause();
  });
  raw.once('end', () => clearTimeout(timer));
  raw.once('close', () => clearTimeout(timer));
  raw.resume();
}

/**
 * CORS preflight for public routes only: a wallet page on another origin may submit
 * transactions. Operator paths get no OPTIONS route, so their preflight is a 404 and a browser
 * never sends the cross-origin request itself.
 */
function registerPreflights(app: Api, publicMethods: Map<string, Set<string>>): void {
  for (const [url, methods] of publicMethods) {
    if (methods.size === 0) continue;
    app.options(url, { schema: { hide: true } }, async (request, reply) => {
      const method = String(request.headers['access-control-request-method'] ?? 'GET');
      if (!methods.has(method.toUpperCase()))
        throw new ApiError('API_NOT_FOUND', `no public route ${method} ${url}`);
      reply
        .header('access-control-allow-methods', [...methods].join(', '))
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '600')
        .code(204)
        .send();
    });
  }
}

function answerFor(error: FastifyError | ApiError): [number, ReturnType<typeof errorBody>] {
  if (error instanceof ApiError) return [error.status, errorBody(error.code, error.message)];
  if (error.validation) return [400, errorBody('API_BAD_REQUEST', error.message)];
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return [
        413,
        errorBody('API_BODY_TOO_LARGE', `the body is larger than ${BODY_LIMIT_BYTES} bytes`),
      ];
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return [415, errorBody('API_UNSUPPORTED_MEDIA_TYPE', error.message)];
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return [400, errorBody('API_BAD_JSON', error.message)];
  }
  const status = error.statusCode ?? 500;
  if (status === 400 && error instanceof SyntaxError)
    return [400, errorBody('API_BAD_JSON', error.message)];
  // One code, one status: fastify's other 4xx (e.g. 414 for a path parameter over 100
  // characters) answer as the table says API_BAD_REQUEST does.
  if (status >= 400 && status < 500) return [400, errorBody('API_BAD_REQUEST', error.message)];
  return [500, errorBody('API_INTERNAL', 'the node failed unexpectedly; its log has the details')];
}
