/**
 * Who may do what (DESIGN.md, security model): operator actions work from this machine, but not
 * when a web page sent them (a foreign Origin, Sec-Fetch-Site: cross-site, or a Host that is not
 * this machine's: DNS rebinding) unless the API token comes with them. CORS is open on public
 * routes and closed on operator routes.
 */
import { request as httpRequest } from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { createInlineNonceSearch } from '../../src/miner/inlineNonceSearch.js';
import type { BlockyardNode } from '../../src/node/createNode.js';
import { alice } from '../support/chainBuilder.js';
import {
  type Answer,
  addressOf,
  call,
  closeNodesAfterEach,
  expectError,
  get,
  mine,
  postJson,
  startNode,
} from '../support/http.js';

closeNodesAfterEach();

const EVIL = 'http://evil.example';

let node: BlockyardNode;
beforeEach(async () => {
  // A fresh node per test; mining is not what is tested here, so no worker threads to start.
  node = await startNode({ search: createInlineNonceSearch() });
  await mine(node); // coins to spend for the unsigned transfers below
});

/** Every operator action, as a request with extra headers. */
const operatorActions: Array<[string, (headers: Record<string, string>) => Promise<Answer>]> = [
  ['GET /mine', (headers) => get(`${node.url}/mine`, headers)],
  ['POST /mine', (headers) => call(`${node.url}/mine`, { method: 'POST', headers })],
  [
    'POST /api/miner/start',
    (headers) => call(`${node.url}/api/miner/start`, { method: 'POST', headers }),
  ],
  [
    'POST /api/miner/stop',
    (headers) => call(`${node.url}/api/miner/stop`, { method: 'POST', headers }),
  ],
  ['GET /nodes/resolve', (headers) => get(`${node.url}/nodes/resolve`, headers)],
  [
    'unsigned POST /transactions/new from the node',
    (headers) =>
      postJson(
        `${node.url}/transactions/new`,
        { sender: node.nodeKey.address, recipient: addressOf(alice.key), amount: 1 },
        headers,
      ),
  ],
];

const okStatus = (action: string) => (action.includes('transactions/new') ? 201 : 200);
/**
 * CORS on an operator action's answer: none, except on /transactions/new, a public route whose
 * unsigned form is an operator action (a signed transfer from any origin is welcome there).
 */
const corsOf = (action: string) => (action.includes('transactions/new') ? '*' : null);

/** A request with a Host header of our choosing (fetch does not let a caller set Host). */
function withHost(path: string, host: string, headers: Record<string, string> = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(`${node.url}${path}`, { headers: { ...headers, host } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: new Headers(res.headers as Record<string, string>),
          body: JSON.parse(text),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('peer management', () => {
  // Not in operatorActions: with no peer running, register keeps it to retry (201) and remove
  // does not know it (404): either way after the check.
  it.each(['/nodes/register', '/nodes/remove'])(
    'POST %s is refused from a foreign page, and passes the check from this machine',
    async (path) => {
      const body = { nodes: ['127.0.0.1:1'] };
      expectError(
        await postJson(`${node.url}${path}`, body, { origin: EVIL }),
        401,
        'API_UNAUTHORIZED',
      );
      const own = await postJson(`${node.url}${path}`, body);
      expect(own.status).not.toBe(401);
      if (path === '/nodes/register') expect(own.status).toBe(201);
      else expect(own.body.error.code).toBe('API_NOT_FOUND');
    },
  );
});

describe('operator actions', () => {
  it.each(operatorActions)('%s works from this machine', async (action, send) => {
    const answer = await send({});
    expect(answer.status).toBe(okStatus(action));
    expect(answer.headers.get('access-control-allow-origin')).toBe(corsOf(action));
    await node.miner.stop();
  });

  it.each(operatorActions)(
    '%s works from the node’s own page (same origin)',
    async (action, send) => {
      const answer = await send({ origin: node.url, 'sec-fetch-site': 'same-origin' });
      expect(answer.status).toBe(okStatus(action));
      await node.miner.stop();
    },
  );

  const foreign: Array<[string, Record<string, string>]> = [
    ['a foreign Origin', { origin: EVIL }],
    ['Origin: null (a sandboxed page or a file)', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    [
      'a foreign Origin and Sec-Fetch-Site: cross-site',
      { origin: EVIL, 'sec-fetch-site': 'cross-site' },
    ],
  ];
  for (const [what, headers] of foreign) {
    it.each(operatorActions)(`%s is refused with ${what}`, async (action, send) => {
      const heightBefore = node.chain.tip.header.height;
      const answer = await send(headers);
      expectError(answer, 401, 'API_UNAUTHORIZED');
      expect(answer.headers.get('access-control-allow-origin')).toBe(corsOf(action));
      expect(node.chain.tip.header.height).toBe(heightBefore);
      expect(node.miner.status().running).toBe(false);
      expect(node.mempool.size).toBe(0);
    });

    it.each(operatorActions)(`%s works with ${what} and the API token`, async (action, send) => {
      const answer = await send({ ...headers, authorization: `Bearer ${node.apiToken}` });
      expect(answer.status).toBe(okStatus(action));
      await node.miner.stop();
    });
  }

  it.each(operatorActions)(
    '%s is refused with a wrong token, even from this machine',
    async (_a, send) => {
      for (const authorization of [
        `Bearer ${node.apiToken}x`,
        `Bearer ${node.apiToken.slice(1)}`,
        'Bearer ',
        `Basic ${node.apiToken}`,
        node.apiToken,
      ]) {
        expectError(await send({ authorization }), 401, 'API_UNAUTHORIZED');
        expectError(await send({ authorization, origin: EVIL }), 401, 'API_UNAUTHORIZED');
      }
      expect(node.miner.status().running).toBe(false);
      expect(node.mempool.size).toBe(0);
    },
  );

  it('refuses a request whose Host is not this machine (DNS rebinding), unless it has the token', async () => {
    const port = new URL(node.url).port;
    const heightBefore = node.chain.tip.header.height;
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`]) {
      // The rebound page is same-origin to itself: its Origin matches its Host.
      expectError(await withHost('/mine', host), 401, 'API_UNAUTHORIZED');
      expectError(
        await withHost('/mine', host, { origin: `http://${host}` }),
        401,
        'API_UNAUTHORIZED',
      );
    }
    expect(node.chain.tip.header.height).toBe(heightBefore);
    const withToken = await withHost('/mine', `evil.example:${port}`, {
      authorization: `Bearer ${node.apiToken}`,
    });
    expect(withToken.status).toBe(200);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, '127.1.2.3']) {
      expect((await withHost('/mine', host)).status).toBe(200);
    }
  });

  it('lets anyone send a signed transfer or read the chain, whatever the origin', async () => {
    const headers = { origin: EVIL, 'sec-fetch-site': 'cross-site' };
    for (const path of [
      '/chain',
      '/api/info',
      '/transactions/get',
      '/api/miner',
      '/api/blocks/0',
    ]) {
      const answer = await get(`${node.url}${path}`, headers);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    }
  });

  it("refuses a foreign page spending the node's coins even when it names another sender", async () => {
    const answer = await postJson(
      `${node.url}/transactions/new`,
      { sender: addressOf(alice.key), recipient: node.nodeKey.address, amount: 1 },
      { origin: EVIL },
    );
    expectError(answer, 422, 'API_UNSIGNED_TRANSACTION');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('CORS', () => {
  it('is open on public routes, on errors too, and closed on operator routes', async () => {
    const headers = { origin: EVIL };
    const publicAnswers = [
      await get(`${node.url}/chain`, headers),
      await get(`${node.url}/api/blocks/99999`, headers),
      await get(`${node.url}/nowhere`, headers),
      await postJson(`${node.url}/api/tx`, { hex: '' }, headers),
    ];
    for (const answer of publicAnswers) {
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    }
    const operatorAnswers = [
      await get(`${node.url}/mine`),
      await get(`${node.url}/mine`, headers),
      await call(`${node.url}/api/miner/stop`, { method: 'POST' }),
      await call(`${node.url}/api/miner/start`, { method: 'POST', headers }),
    ];
    expect(operatorAnswers.map((a) => a.status)).toEqual([200, 401, 200, 401]);
    for (const answer of operatorAnswers) {
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  const preflight = (path: string, method: string) =>
    call(`${node.url}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin: EVIL,
        'access-control-request-method': method,
        'access-control-request-headers': 'content-type',
      },
    });

  it.each([
    ['/api/tx', 'POST'],
    ['/api/tx/batch', 'POST'],
    ['/api/blocks', 'POST'],
    ['/api/blocks', 'GET'],
    ['/api/blocks/7', 'GET'],
    [`/api/address/${addressOf(alice.key)}/history`, 'GET'],
    ['/transactions/new', 'POST'],
    ['/chain', 'GET'],
    ['/api/events', 'GET'],
  ])('answers the preflight of public %s %s with 204', async (path, method) => {
    const answer = await preflight(path, method);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-allow-methods')).toContain(method);
    expect(answer.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it.each([
    ['/mine', 'GET'],
    ['/mine', 'POST'],
    ['/api/miner/start', 'POST'],
    ['/api/miner/stop', 'POST'],
    ['/chain', 'POST'],
    ['/api/info', 'DELETE'],
    ['/nowhere', 'GET'],
  ])('answers the preflight of %s %s with 404', async (path, method) => {
    const answer = await preflight(path, method);
    expectError(answer, 404, 'API_NOT_FOUND');
    expect(answer.headers.get('access-control-allow-methods')).toBeNull();
  });
});
