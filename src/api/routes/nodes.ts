/**
 * The tutorials' peer routes. Unlike the tutorials, registering a node introduces this one to
 * it (so registration works both ways), and resolving syncs headers first from every peer at
 * once, each call bounded in time: a peer that is down is reported, never waited on for long.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ApiError, unwrap } from '../apiError.js';
import type { ApiDeps } from '../deps.js';
import { peerView } from '../peerView.js';

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
  const list = (nodes: string[] | string) =>
    (Array.isArray(nodes) ? nodes : nodes.split(',')).map((n) => n.trim()).filter(Boolean);

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
      const urls = list((request.body as { nodes: string[] | string }).nodes);
      if (urls.length === 0)
        throw new ApiError('API_BAD_REQUEST', 'Please supply a valid list of nodes');
      const nodes = unwrap(await network.register(urls));
      // Kept: connected, retrying, or banned (shown with the reason and how to lift it).
      const kept = nodes.filter((n) => n.status !== 'refused');
      const refused = nodes.filter((n) => n.status !== 'connected' && n.status !== 'retrying');
      // Every URL refused for what it is (this node itself, another network): nothing was added.
      if (kept.length === 0 && refused[0]?.error)
        throw new ApiError(
          refused[0].error.code,
          refused.map((n) => `${n.url}: ${n.error?.message ?? n.state}`).join('; '),
        );
      reply.code(201);
      return {
        message: 'New nodes have been added',
        total_nodes: network.peers.list().map((p) => p.url),
        nodes,
        added: kept.filter((n) => n.status !== 'banned').map((n) => n.url),
        failed: refused.map((n) => ({
          url: n.url,
          code: n.error?.code ?? 'P2P_BANNED',
          message: n.error?.message ?? n.state,
        })),
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
      const { removed, unknown } = network.forget(
        list((request.body as { nodes: string[] | string }).nodes),
      );
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

  app.post(
    '/nodes/unban',
    {
      config: { operator: true },
      schema: {
        tags,
        summary: 'Lift the ban on peers: {nodes: ["host:port", ...]} (operator)',
        body: Register,
      },
    },
    async (request) => {
      const { unbanned, unknown } = network.unban(
        list((request.body as { nodes: string[] | string }).nodes),
      );
      if (unbanned.length === 0)
        throw new ApiError('API_NOT_FOUND', `not a peer of this node: ${unknown.join(', ')}`);
      return { message: 'Bans lifted', unbanned, unknown };
    },
  );

  app.get(
    '/nodes/get',
    { schema: { tags, summary: 'The peers, with their state, tip, latency, score and any ban' } },
    async () => ({
      nodes: network.peers.list().map((p) => p.url),
      peers: network.peers.list().map((p) => peerView(network, p)),
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
