/**
 * The routes nodes call on each other (docs/protocol.md §Network). Public: any node may ask for
 * headers and blocks, introduce itself, or announce; what it sends is checked like anything else.
 */
import type { FastifyInstance } from 'fastify';
import { encodeHeader, toHex } from '../../core/index.js';
import { forkHeight } from '../../p2p/locator.js';
import {
  Announce,
  BlocksQuery,
  HeadersQuery,
  Hello,
  MAX_HEADERS_PER_PAGE,
  MAX_PEERS_SHARED,
} from '../../p2p/messages.js';
import { ApiError, unwrap } from '../apiError.js';
import type { ApiDeps } from '../deps.js';

export function registerP2pRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { chain, network } = deps;
  const tags = ['peer-to-peer'];

  app.post(
    '/api/p2p/hello',
    {
      schema: {
        tags,
        summary: 'A node introduces itself; the answer introduces this one',
        body: Hello,
      },
    },
    async (request) =>
      unwrap(network.acceptHello(request.body as Hello, request.socket.remoteAddress)),
  );

  app.get(
    '/api/p2p/hello',
    {
      schema: {
        tags,
        summary: "This node's hello, changing nothing: a peer's ping, and how a hello is verified",
      },
    },
    async () => network.hello(),
  );

  app.get(
    '/api/p2p/peers',
    {
      schema: {
        tags,
        summary: 'Peers whose own URL answered this node, and still does (peer exchange)',
      },
    },
    // SECURITY: only peers verified by calling them, so nobody can pass on an address through us.
    async () => ({
      peers: network.peers
        .verified()
        .map((p) => p.url)
        .slice(0, MAX_PEERS_SHARED),
    }),
  );

  app.get(
    '/api/p2p/headers',
    {
      schema: {
        tags,
        summary: 'Main-chain headers after the newest locator hash this node has',
        querystring: HeadersQuery,
      },
    },
    async (request) => {
      const query = request.query as { locator: string; limit?: string };
      const limit = Math.min(
        MAX_HEADERS_PER_PAGE,
        Math.max(1, Number(query.limit ?? MAX_HEADERS_PER_PAGE)),
      );
      const from = forkHeight(chain.index, query.locator.split(','));
      const headers: string[] = [];
      for (let h = from; h <= chain.tip.header.height && headers.length < limit; h++) {
        headers.push(toHex(encodeHeader(chain.index.main[h]!.header)));
      }
      return { headers };
    },
  );

  app.get(
    '/api/p2p/blocks',
    {
      schema: {
        tags,
        summary: 'Whole blocks by hash, on any branch, in the order asked',
        querystring: BlocksQuery,
      },
    },
    async (request) => {
      const hashes = (request.query as { hashes: string }).hashes.split(',');
      // PERF: the stored bytes as they are (they are the canonical encoding), hex-encoded by
      // Buffer: decoding, re-encoding and noble's JavaScript hex took a serving node's share of
      // the cores a sync runs on. bench p2p (c): fetching full blocks 10.9 → 36.5 MB/s; (b): a
      // sync 58% → 65% of the verify rate.
      const blocks = hashes.map((hash) => {
        const entry = chain.index.get(hash);
        if (!entry) throw new ApiError('API_NOT_FOUND', `no block ${hash}`);
        const bytes = chain.store.getBlockBytes(entry.hash);
        if (!bytes) throw new Error(`block ${entry.hashHex} is indexed but not stored`);
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
      });
      return { blocks };
    },
  );

  app.post(
    '/api/p2p/announce',
    { schema: { tags, summary: 'New headers and transactions from a peer', body: Announce } },
    async (request, reply) => {
      const accepted = unwrap(
        await network.receive(request.body as Announce, request.socket.remoteAddress),
      );
      reply.code(202);
      return { accepted };
    },
  );
}
