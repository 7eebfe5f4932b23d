/**
 * /docs: Swagger UI over the node's OpenAPI. The routes are noted as they are registered; at the
 * first request under /docs, @fastify/swagger builds the document from them and the UI's plugin
 * (@fastify/swagger-ui with @fastify/static and a route per file) serves it, both loaded then,
 * into a small fastify instance of its own that answers through `inject`; the node's own hooks
 * (CORS, errors) still wrap every answer.
 * PERF: registered at start, the UI was ≈ 1.3 MB of a started node's live heap (after a full GC,
 * 18.9 → 17.6 MB without it) and ≈ 2–3 MB of its idle RSS (bench/memory.ts, load 4–6), for a page
 * most nodes never show. Its first request loads the plugin: 0.32 s for the first /docs, then
 * 2 ms (load 4). @fastify/swagger itself (with yaml and its schema resolver) was 1.0 MB more of
 * that heap (node --expose-gc, a full GC 4 s after start: 16.5 → 15.5 MB without it): it now
 * loads with the UI, and builds the document from the routes noted here.
 */
import type { SwaggerOptions } from '@fastify/swagger';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RouteOptions,
} from 'fastify';
import type { Api } from './routeOptions.js';

export const DOCS_PREFIX = '/docs';

/** Headers of the inner answer that belong to its own (injected) connection. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

/** Call before the routes are registered: the document is built from those registered after. */
export function registerLazyDocs(app: Api, swaggerOptions: SwaggerOptions): void {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => void routes.push(route));
  let ui: Promise<FastifyInstance> | undefined;
  const start = async (): Promise<FastifyInstance> => {
    const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([
      import('@fastify/swagger'),
      import('@fastify/swagger-ui'),
    ]);
    // The node's routes again, as the document's source only: nothing is validated or answered
    // here (the node's own validators and handlers run in the node). HEAD routes are among the
    // routes noted, so none is added for each GET.
    const inner = Fastify({ logger: false, exposeHeadRoutes: false });
    inner.setValidatorCompiler(() => () => true);
    inner.setSerializerCompiler(() => (data) => JSON.stringify(data));
    await inner.register(swagger, swaggerOptions);
    const unused = async () => undefined;
    // The node's routes are all registered once it started (none is added after).
    for (const { method, url, schema, config } of routes) {
      if (url === DOCS_PREFIX || url.startsWith(`${DOCS_PREFIX}/`)) continue; // the UI's own
      inner.route({
        method,
        url,
        ...(schema ? { schema } : {}),
        ...(config ? { config } : {}),
        handler: unused,
      });
    }
    await inner.register(swaggerUi, { routePrefix: DOCS_PREFIX });
    await inner.ready();
    return inner;
  };
  const answer = async (request: FastifyRequest, reply: FastifyReply) => {
    ui ??= start().catch((error: unknown) => {
      ui = undefined; // the next request tries again
      throw error;
    });
    const inner = await ui;
    const got = await inner.inject({
      method: 'GET',
      url: request.url,
      headers: request.headers,
    });
    // A file the UI does not have: the node's own 404, in its one error shape.
    if (got.statusCode === 404) return reply.callNotFound();
    reply.code(got.statusCode);
    for (const [name, value] of Object.entries(got.headers)) {
      if (value !== undefined && !CONNECTION_HEADERS.has(name)) reply.header(name, value);
    }
    return reply.send(got.rawPayload);
  };
  app.get(DOCS_PREFIX, { schema: { hide: true } }, answer);
  app.get(`${DOCS_PREFIX}/*`, { schema: { hide: true } }, answer);
}
