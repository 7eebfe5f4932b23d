/**
 * The routes nodes call on each other (docs/protocol.md §Network). Public: any node may ask for
 * headers and blocks, introduce itself, or announce; what it sends is checked like anything else.
 * Each request is also a sign of life from its host (Network.heardFrom).
 */
import type { FastifyReply } from 'fastify';
import { encodeHeader, toHex } from '../../core/index.js';
import { writeBlocksAnswer } from '../../p2p/blocksAnswer.js';
import { forkHeight } from '../../p2p/locator.js';
import {
  MAX_BLOCKS_ANSWER_BYTES,
  MAX_BLOCKS_PER_CAPPED_REQUEST,
  MAX_BLOCKS_PER_REQUEST,
  MAX_HEADERS_PER_PAGE,
  MAX_PEERS_SHARED,
} from '../../p2p/messages.js';
import { ApiError, unwrap } from '../apiError.js';
import { contract } from '../contract.js';
import type { ApiDeps } from '../deps.js';
import { type Api, routeOptions } from '../routeOptions.js';

export function registerP2pRoutes(app: Api, deps: ApiDeps): void {
  const { chain, network } = deps;

  app.route({
    ...routeOptions(contract.hello),
    handler: async (request) => {
      network.heardFrom(request.socket.remoteAddress);
      return unwrap(network.acceptHello(request.body, request.socket.remoteAddress));
    },
  });

  app.route({
    ...routeOptions(contract.ping),
    handler: async (request) => {
      network.heardFrom(request.socket.remoteAddress);
      return network.hello();
    },
  });

  app.route({
    ...routeOptions(contract.p2pPeers),
    // SECURITY: only peers verified by calling them, so nobody can pass on an address through us.
    handler: async () => ({
      peers: network.peers
        .verified()
        .map((p) => p.url)
        .slice(0, MAX_PEERS_SHARED),
    }),
  });

  app.route({
    ...routeOptions(contract.p2pHeaders),
    handler: async (request) => {
      network.heardFrom(request.socket.remoteAddress);
      const query = request.query;
      const limit = Math.min(
        MAX_HEADERS_PER_PAGE,
        Math.max(1, Number(query.limit ?? MAX_HEADERS_PER_PAGE)),
      );
      const from = forkHeight(chain, query.locator.split(','));
      const headers: string[] = [];
      for (let h = from; h <= chain.tip.header.height && headers.length < limit; h++) {
        headers.push(toHex(encodeHeader(chain.main[h]!.header)));
      }
      return { headers };
    },
  });

  app.route({
    ...routeOptions(contract.p2pBlocks),
    handler: async (request, reply) => {
      network.heardFrom(request.socket.remoteAddress);
      const hashes = request.query.hashes.split(',');
      const maxBytes = request.query.max_bytes;
      if (maxBytes === undefined && hashes.length > MAX_BLOCKS_PER_REQUEST)
        throw new ApiError(
          'API_BAD_REQUEST',
          `at most ${MAX_BLOCKS_PER_REQUEST} hashes without max_bytes, ${MAX_BLOCKS_PER_CAPPED_REQUEST} with it`,
        );
      // SECURITY: never more than an answer of 16 full blocks, whatever max_bytes says. Without
      // it (the form before 0.2.0), every block asked for, as before.
      const cap =
        maxBytes === undefined
          ? Number.POSITIVE_INFINITY
          : Math.min(Number(maxBytes), MAX_BLOCKS_ANSWER_BYTES);
      const entries = hashes.map((hash) => {
        const entry = chain.get(hash);
        if (!entry) throw new ApiError('API_NOT_FOUND', `no block ${hash}`);
        return entry;
      });
      // PERF: the stored bytes as they are (they are the canonical encoding): decoding,
      // re-encoding and noble's JavaScript hex took a serving node's share of the cores a sync
      // runs on. bench p2p (c): fetching full blocks 10.9 → 36.5 MB/s; (b): a sync 58% → 65% of
      // the verify rate. Written as hex into the answer's one Buffer (writeBlocksAnswer), the
      // bytes BlocksPage's serializer wrote.
      const blocks: Uint8Array[] = [];
      let bytesSoFar = 0;
      for (const entry of entries) {
        const bytes = chain.getBlockBytes(entry);
        // The first block always comes (a block is at most 1 MB); the others while they fit.
        if (blocks.length > 0 && bytesSoFar + bytes.byteLength > cap) break;
        bytesSoFar += bytes.byteLength;
        blocks.push(bytes);
      }
      return sendJsonBytes(reply, writeBlocksAnswer(blocks));
    },
  });

  app.route({
    ...routeOptions(contract.announce),
    handler: async (request, reply) => {
      network.heardFrom(request.socket.remoteAddress);
      const accepted = unwrap(await network.receive(request.body, request.socket.remoteAddress));
      reply.code(202);
      return { accepted };
    },
  });
}

/**
 * Sends JSON already written as bytes. NOTE: fastify sends a Buffer as it is (it serializes
 * objects only); the route's reply is typed by its schema (BlocksPage, the object these bytes
 * are), so it is taken here as a plain FastifyReply, whose payload may be anything.
 */
function sendJsonBytes(reply: FastifyReply, bytes: Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(bytes);
}
