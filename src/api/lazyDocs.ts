/**
 * /docs: Swagger UI over the node's OpenAPI (which @fastify/swagger collects from the routes as
 * they are registered, in server.ts). The UI's plugin, @fastify/swagger-ui with @fastify/static
 * and a route per file, is loaded at the first request under /docs, into a small fastify
 * instance of its own that answers through `inject`; the node's own hooks (CORS, errors) still
 * wrap every answer.
 * PERF: registered at start, the UI was ≈ 1.3 MB of a started node's live heap (after a full GC,
 * 18.9 → 17.6 MB without it) and ≈ 2–3 MB of its idle RSS (bench/memory.ts, load 4–6), for a page
 * most nodes never show. Its first request loads the plugin: 0.32 s for the first /docs, then
 * 2 ms (load 4).
 */
import swagger, { type StaticDocumentSpec } from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Api } from './routeOptions.js';

export const DOCS_PREFIX = '/docs';

/** Headers of the inner answer that belong to its own (injected) connection. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

export function registerLazyDocs(app: Api): void {
  let ui: Promise<FastifyInstance> | undefined;
  const start = async (): Promise<FastifyInstance> => {
    const { default: swaggerUi } = await import('@fastify/swagger-ui');
    const inner = Fastify({ logger: false });
    // The node's document, complete once it started (no route is added after).
    await inner.register(swagger, {
      mode: 'static',
      specification: { document: app.swagger() as StaticDocumentSpec['document'] },
    });
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
