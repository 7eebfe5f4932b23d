/**
 * The tutorials' peer routes. Unlike the tutorials, registering a node introduces this one to
 * it (so registration works both ways), and resolving syncs headers first from every peer at
 * once, each call bounded in time: a peer that is down is reported, never waited on for long.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../apiError.js';
import type { ApiDeps } from '../deps.js';

const Register = Type.Object(
  {
    // JSON: a list; the tutorial's HTML form: one comma-separated string.
    nodes: Type.Union([
      Type.Array(Type.String({ maxLength: 200 }), { minItems: 1, maxItems: 64 }),
      Type.String({ minLength: 1, maxLength: 4_000 }),
    ]),
  },
  { additionalProperties: false },
);

export function registerNodeRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { chain, network, views } = deps;
  const tags = ['tutorial'];
  const peerView = () =>
    network.peers.list().map((p) => ({
      url: p.url,
      last_seen_ms: p.lastSeenMs,
      tip_height: p.tipHeight ?? null,
      tip_hash: p.tipHash ?? null,
      latency_ms: p.latencyMs ?? null,
      score: p.score,
      banned: network.peers.isBanned(p.url),
      last_error: p.lastError || null,
    }));

  app.post(
    '/nodes/register',
    {
      config: { operator: true },
      schema: {
        tags,
        summary: 'Add peers: {nodes: ["host:port", ...]} or the form field nodes=a,b (operator)',
        body: Register,
      },
    },
    async (request, reply) => {
      const { nodes } = request.body as { nodes: string[] | string };
      const list = (Array.isArray(nodes) ? nodes : nodes.split(','))
        .map((n) => n.trim())
        .filter(Boolean);
      if (list.length === 0)
        throw new ApiError('API_BAD_REQUEST', 'Please supply a valid list of nodes');
      const { added, failed } = await network.register(list);
      if (added.length === 0 && failed[0])
        throw new ApiError(failed[0].code, failed.map((f) => `${f.url}: ${f.message}`).join('; '));
      reply.code(201);
      return {
        message: 'New nodes have been added',
        total_nodes: network.peers.list().map((p) => p.url),
        added,
        failed,
      };
    },
  );

  app.post(
    '/nodes/remove',
    {
      config: { operator: true },
      schema: {
        tags,
        summary: 'Forget peers: {nodes: ["host:port", ...]} or the form field nodes=a,b (operator)',
        body: Register,
      },
    },
    async (request) => {
      const { nodes } = request.body as { nodes: string[] | string };
      const list = (Array.isArray(nodes) ? nodes : nodes.split(','))
        .map((n) => n.trim())
        .filter(Boolean);
      const { removed, unknown } = network.forget(list);
      if (removed.length === 0)
        throw new ApiError('API_NOT_FOUND', `not a peer of this node: ${unknown.join(', ')}`);
      return {
        message: 'Nodes have been removed',
        removed,
        unknown,
        total_nodes: network.peers.list().map((p) => p.url),
      };
    },
  );

  app.get(
    '/nodes/get',
    { schema: { tags, summary: 'The peers, with their tip, latency and score' } },
    async () => ({
      nodes: network.peers.list().map((p) => p.url),
      peers: peerView(),
    }),
  );

  app.get(
    '/nodes/resolve',
    {
      config: { operator: true },
      schema: { tags, summary: 'Sync from every peer now (operator)' },
    },
    async (_request, reply) => {
      const { replaced, peers } = await network.resolve();
      const entries = chain.index.main.slice();
      const reports = peers.map((p) => ({
        url: p.url,
        ok: p.ok,
        blocks: p.blocks,
        ...(p.code ? { error: { code: p.code, message: p.message } } : {}),
      }));
      // {message, new_chain | chain, length, peers}, the chain streamed as GET /chain's is.
      const head = replaced
        ? '{"message":"Our chain was replaced","new_chain":['
        : '{"message":"Our chain is authoritative","chain":[';
      const tail = `],"length":${entries.length},"peers":${JSON.stringify(reports)}}`;
      reply.type('application/json; charset=utf-8');
      return reply.send(views.stream(entries, head, tail));
    },
  );
}
