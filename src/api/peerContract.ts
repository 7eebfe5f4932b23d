/**
 * What nodes call on each other over HTTP (docs/protocol.md §Network): the routes, with the peer
 * messages' own schemas (src/p2p/messages.ts, one definition for both sides). Spread into
 * contract.ts like the explorer's, the join and the lab's routes.
 */
import {
  Announce,
  AnnounceReply,
  BlocksPage,
  BlocksQuery,
  HeadersPage,
  HeadersQuery,
  Hello,
  PeerList,
} from '../p2p/messages.js';
import { BLOCK_CODES, codesWith, route, TX_CODES } from './route.js';

const p2p = ['peer-to-peer'];

export const p2pRoutes = {
  hello: route({
    method: 'POST',
    url: '/api/p2p/hello',
    tags: p2p,
    summary: 'A node introduces itself; the answer introduces this one',
    body: Hello,
    ok: { 200: Hello },
    errors: codesWith('P2P_'),
  }),
  ping: route({
    method: 'GET',
    url: '/api/p2p/hello',
    tags: p2p,
    summary: "This node's hello, changing nothing: a peer's ping, and how a hello is verified",
    ok: { 200: Hello },
  }),
  p2pPeers: route({
    method: 'GET',
    url: '/api/p2p/peers',
    tags: p2p,
    summary: 'Peers whose own URL answered this node, and still does (peer exchange)',
    ok: { 200: PeerList },
  }),
  p2pHeaders: route({
    method: 'GET',
    url: '/api/p2p/headers',
    tags: p2p,
    summary: 'Main-chain headers after the newest locator hash this node has',
    querystring: HeadersQuery,
    ok: { 200: HeadersPage },
    large: true,
  }),
  p2pBlocks: route({
    method: 'GET',
    url: '/api/p2p/blocks',
    tags: p2p,
    summary: 'Whole blocks by hash, on any branch, in the order asked',
    querystring: BlocksQuery,
    ok: { 200: BlocksPage },
    errors: ['API_NOT_FOUND'],
    large: true,
  }),
  announce: route({
    method: 'POST',
    url: '/api/p2p/announce',
    tags: p2p,
    summary: 'New headers and transactions from a peer',
    body: Announce,
    ok: { 202: AnnounceReply },
    errors: ['P2P_BANNED', ...BLOCK_CODES, ...TX_CODES],
  }),
} as const;
