/**
 * Fake peers for tests: a plain node:http server on 127.0.0.1:0 that introduces itself as a
 * node of the right network (a real node's hello with its own address and port), answers
 * announcements, and serves whatever the test gives it for the other routes — good data, bad
 * data, too much data, or nothing at all.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Block, encodeBlock, encodeHeader, hashHeader, toHex } from '../../src/core/index.js';
import { publicKeyFromSecret } from '../../src/core/nobleEd25519.js';
import type { BlockyardNode } from '../../src/node/createNode.js';
import type { Hello } from '../../src/p2p/messages.js';
import { addressOf } from './http.js';

export type Handler = (
  request: IncomingMessage,
  response: ServerResponse,
  query: URLSearchParams,
) => void;

export interface FakePeer {
  readonly url: string;
  readonly port: number;
  /** Every request, as `METHOD /path`, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export interface FakePeerOptions {
  /** Handlers by `METHOD /path` (no query); hello and announce have defaults. */
  readonly routes?: Record<string, Handler>;
  /** Changes to the hello the fake answers (its height, chain work…). */
  readonly hello?: Partial<Hello>;
}

let fakes = 0;

export function sendJson(response: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Reads a request body whole (fake peers only ever get small ones). */
async function drain(request: IncomingMessage): Promise<void> {
  for await (const _chunk of request);
}

/** Starts a fake peer of `like`'s network. */
export async function startFakePeer(
  like: BlockyardNode,
  options: FakePeerOptions = {},
): Promise<FakePeer> {
  const requests: string[] = [];
  const nodeAddress = addressOf(publicKeyFromSecret(new Uint8Array(32).fill(0x10 + ++fakes)));
  let port = 0;
  // NOTE: a fake introduces itself as 0.1.0, the protocol its routes speak (no max_bytes on
  // blocks: src/p2p/capabilities.ts); a test of a newer peer gives its version in `hello`.
  const version = '0.1.0';
  const defaults: Record<string, Handler> = {
    'POST /api/p2p/hello': (_req, res) =>
      sendJson(res, {
        ...like.network.hello(),
        node_address: nodeAddress,
        port,
        version,
        instance: undefined,
        ...options.hello,
      }),
    'GET /api/p2p/hello': (_req, res) =>
      sendJson(res, {
        ...like.network.hello(),
        node_address: nodeAddress,
        port,
        version,
        instance: undefined,
        ...options.hello,
      }),
    'POST /api/p2p/announce': (_req, res) => sendJson(res, { accepted: 0 }, 202),
    'GET /api/p2p/peers': (_req, res) => sendJson(res, { peers: [] }),
  };
  const routes = { ...defaults, ...options.routes };
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const key = `${request.method} ${url.pathname}`;
    requests.push(key);
    await drain(request);
    const handler = routes[key];
    if (handler) handler(request, response, url.searchParams);
    else sendJson(response, { error: { code: 'API_NOT_FOUND', message: key } }, 404);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Sockets a test holds open (a peer that never answers) must not keep close() waiting.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The routes of an honest peer whose main chain is `blocks` (genesis first): headers after the
 * newest locator hash it has, and blocks by hash.
 */
export function chainRoutes(blocks: readonly Block[]): Record<string, Handler> {
  const hashes = blocks.map((b) => toHex(hashHeader(b.header)));
  const byHash = new Map(hashes.map((hash, i) => [hash, blocks[i]!]));
  return {
    'GET /api/p2p/headers': (_req, res, query) => {
      const locator = (query.get('locator') ?? '').split(',');
      const from = locator.map((h) => hashes.indexOf(h)).find((i) => i >= 0) ?? 0;
      const headers = blocks.slice(from + 1, from + 1 + 2_000);
      sendJson(res, { headers: headers.map((b) => toHex(encodeHeader(b.header))) });
    },
    'GET /api/p2p/blocks': (_req, res, query) => {
      const wanted = (query.get('hashes') ?? '').split(',');
      const found = wanted.map((h) => byHash.get(h));
      if (found.some((b) => !b)) return sendJson(res, { error: { code: 'API_NOT_FOUND' } }, 404);
      sendJson(res, { blocks: found.map((b) => toHex(encodeBlock(b!))) });
    },
  };
}

/** A headers route that serves `headers` whatever the locator. */
export function headersRoute(headers: readonly Block['header'][]): Record<string, Handler> {
  return {
    'GET /api/p2p/headers': (_req, res) =>
      sendJson(res, { headers: headers.map((h) => toHex(encodeHeader(h))) }),
  };
}
