/**
 * The tutorials' peer routes. Unlike the tutorials, registering a node introduces this one to
 * it (so registration works both ways), and resolving syncs headers first from every peer at
 * once, each call bounded in time: a peer that is down is reported, never waited on for long.
 */
import { ApiError, unwrap } from '../apiError.js';
import { contract } from '../contract.js';
import type { ApiDeps } from '../deps.js';
import { peerView } from '../peerView.js';
import { type Api, routeOptions, sendJsonStream } from '../routeOptions.js';

export function registerNodeRoutes(app: Api, deps: ApiDeps): void {
  const { chain, network, views } = deps;
  const list = (nodes: string[] | string) =>
    (Array.isArray(nodes) ? nodes : nodes.split(',')).map((n) => n.trim()).filter(Boolean);

  app.route({
    ...routeOptions(contract.registerNodes),
    handler: async (request, reply) => {
      const urls = list(request.body.nodes);
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
  });

  app.route({
    ...routeOptions(contract.removeNodes),
    handler: async (request) => {
      const { removed, unknown } = network.forget(list(request.body.nodes));
      if (removed.length === 0)
        throw new ApiError('API_NOT_FOUND', `not a peer of this node: ${unknown.join(', ')}`);
      return {
        message: 'Nodes have been removed',
        removed,
        unknown,
        total_nodes: network.peers.list().map((p) => p.url),
      };
    },
  });

  app.route({
    ...routeOptions(contract.unbanNodes),
    handler: async (request) => {
      const { unbanned, unknown } = network.unban(list(request.body.nodes));
      if (unbanned.length === 0)
        throw new ApiError('API_NOT_FOUND', `not a peer of this node: ${unknown.join(', ')}`);
      return { message: 'Bans lifted', unbanned, unknown };
    },
  });

  app.route({
    ...routeOptions(contract.peers),
    handler: async () => ({
      nodes: network.peers.list().map((p) => p.url),
      peers: network.peers.list().map((p) => peerView(network, p)),
    }),
  });

  app.route({
    ...routeOptions(contract.resolve),
    handler: async (_request, reply) => {
      const { replaced, peers } = await network.resolve();
      const entries = chain.main.slice();
      const reports = peers.map((p) => ({
        url: p.url,
        ok: p.ok,
        blocks: p.blocks,
        ...(p.code ? { error: { code: p.code, message: p.message ?? p.code } } : {}),
      }));
      // {message, new_chain | chain, length, peers}, the chain written as GET /chain's is.
      const head = replaced
        ? '{"message":"Our chain was replaced","new_chain":['
        : '{"message":"Our chain is authoritative","chain":[';
      const tail = `],"length":${entries.length},"peers":${JSON.stringify(reports)}}`;
      return sendJsonStream(reply, views.answer(entries, head, tail));
    },
  });
}
