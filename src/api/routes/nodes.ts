/**
 * The tutorials' peer routes. Unlike the tutorials, registering a node introduces this one to
 * it (so registration works both ways), and resolving syncs headers first from every peer at
 * once, each call bounded in time: a peer that is down is reported, never waited on for long.
 */
import { ApiError } from '../apiError.js';
import { contract } from '../contract.js';
import type { ApiDeps } from '../deps.js';
import { type Api, routeOptions } from '../routeOptions.js';
import { tutorialBlock } from '../views.js';

export function registerNodeRoutes(app: Api, deps: ApiDeps): void {
  const { chain, network, params } = deps;
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

  app.route({
    ...routeOptions(contract.registerNodes),
    handler: async (request, reply) => {
      const { nodes } = request.body;
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
  });

  app.route({
    ...routeOptions(contract.removeNodes),
    handler: async (request) => {
      const { nodes } = request.body;
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
  });

  app.route({
    ...routeOptions(contract.peers),
    handler: async () => ({
      nodes: network.peers.list().map((p) => p.url),
      peers: peerView(),
    }),
  });

  app.route({
    ...routeOptions(contract.resolve),
    handler: async () => {
      const { replaced, peers } = await network.resolve();
      const chainView = chain.index.main.map((entry) =>
        tutorialBlock(chain.getBlock(entry), params),
      );
      const reports = peers.map((p) => ({
        url: p.url,
        ok: p.ok,
        blocks: p.blocks,
        ...(p.code ? { error: { code: p.code, message: p.message ?? p.code } } : {}),
      }));
      return replaced
        ? {
            message: 'Our chain was replaced',
            new_chain: chainView,
            length: chainView.length,
            peers: reports,
          }
        : {
            message: 'Our chain is authoritative',
            chain: chainView,
            length: chainView.length,
            peers: reports,
          };
    },
  });
}
