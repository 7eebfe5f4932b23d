/**
 * Bad input against every route of a real node: each case answers its 4xx status and stable
 * error code in the one shape {error: {code, message}}, never a 500; a sweep of junk bodies and
 * methods over every route finds no 500 either; and afterwards the node still answers and mines.
 * The cases are tables, one a floor, in badInput/; they must cover every route the node documents
 * (checked against its OpenAPI at /docs/json).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatus } from '../../src/api/httpStatus.js';
import { COIN, type ErrorCode } from '../../src/core/index.js';
import { type Body, call, expectError, get, postJson, stopNode } from '../support/http.js';
import {
  aliceAddress,
  type Ctx,
  openCtx,
  txJson,
  unknownHash,
  withBadSignature,
} from './badInput/cases.js';
import { chainCases } from './badInput/chainCases.js';
import { peerCases } from './badInput/peerCases.js';
import { tutorialCases } from './badInput/tutorialCases.js';
import { txCases } from './badInput/txCases.js';

const cases = [...tutorialCases, ...chainCases, ...txCases, ...peerCases];

let ctx: Ctx;
let heightBefore: number;

beforeAll(async () => {
  ctx = await openCtx();
  heightBefore = ctx.node.chain.tip.header.height;
  // NOTE: a safety bound: three blocks and two transfers, seconds alone, more under load.
}, 60_000);

afterAll(async () => {
  if (ctx) await stopNode(ctx.node);
});

describe('bad input answers a 4xx error with a stable code', () => {
  it.each(cases)('$route: $name', async (c) => {
    const { path, init } = c.request(ctx);
    const answer = await call(`${ctx.node.url}${path}`, init);
    expect(answer.status).toBeLessThan(500);
    expectError(answer, c.status, c.code);
  });

  it('answers a batch of bad transfers one by one, admitting none', async () => {
    const good = txJson(ctx.aliceTx());
    const answer = await postJson(`${ctx.node.url}/api/tx/batch`, {
      transactions: [
        txJson(ctx.aliceTx({ nonce: 9n })),
        txJson(withBadSignature(ctx.aliceTx())),
        { ...good, amount: '-1' },
        { hex: 'abc' },
        txJson(ctx.aliceTx({ nonce: 0n })),
        txJson(ctx.aliceTx({ amount: 1_000n * COIN })),
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(0);
    expect(answer.body.results.map((r: Body) => r.error.code)).toEqual([
      'TX_NONCE_TOO_HIGH',
      'TX_BAD_SIGNATURE',
      'JSON_INVALID_FIELD',
      'ENCODING_TRUNCATED',
      'TX_NONCE_TOO_LOW',
      'TX_INSUFFICIENT_FUNDS',
    ]);
  });

  it('covers every route the node documents', async () => {
    const spec = (await get(`${ctx.node.url}/docs/json`)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map(
        (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      ),
    );
    expect(documented.length).toBeGreaterThan(15);
    const covered = new Set(cases.map((c) => c.route));
    expect(documented.filter((route) => !covered.has(route))).toEqual([]);
  });
});

describe('a sweep of junk over every route', () => {
  const paths = [
    '/',
    '/chain',
    '/mine',
    '/transactions/new',
    '/transactions/get',
    '/api/info',
    '/api/errors',
    '/api/miner',
    '/api/miner/start',
    '/api/miner/stop',
    '/api/blocks',
    '/api/blocks/0',
    `/api/blocks/${unknownHash}`,
    '/api/tree',
    '/api/search?q=1',
    '/api/tx',
    '/api/tx/batch',
    `/api/tx/${unknownHash}`,
    '/api/mempool',
    `/api/address/${aliceAddress}`,
    `/api/address/${aliceAddress}/history`,
    '/api/events',
    '/nodes/register',
    '/nodes/remove',
    '/nodes/get',
    '/nodes/resolve',
    '/api/p2p/hello',
    '/api/p2p/peers',
    '/api/p2p/headers',
    '/api/p2p/blocks',
    '/api/p2p/announce',
    '/docs',
    '/docs/json',
  ];
  const junk: Array<[string, string]> = [
    ['application/json', '{"a":'],
    ['application/json', '"just a string"'],
    ['application/json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['application/json', `${'{"a":'.repeat(50_000)}{"__proto__":1}${'}'.repeat(50_000)}`],
    ['application/json', '{"amount": 1e400, "sender": null, "hex": 5}'],
    ['application/json; charset=latin1', '{"x":1}'],
    ['application/x-www-form-urlencoded', 'a=%zz&&&=&b[c]=1'],
    ['multipart/form-data; boundary=x', '--x\r\n\r\n--x--'],
    ['text/plain', 'hello'],
  ];

  it('never answers 500, and every error has the one shape', async () => {
    const failures: string[] = [];
    for (const path of paths) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        for (const [type, body] of junk) {
          const answer = await call(`${ctx.node.url}${path}`, {
            method,
            headers: { 'content-type': type },
            body,
          });
          const code = answer.body?.error?.code as ErrorCode | undefined;
          const shaped =
            code !== undefined && httpStatus[code] === answer.status && answer.status < 500;
          if (answer.status >= 400 ? !shaped : answer.status >= 300) {
            failures.push(
              `${method} ${path} ${type}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`,
            );
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // Each request one after the other: 14-18 s alone, past vitest's 30 s once at load 11.
  }, 90_000);
});

describe('after all of it', () => {
  it('still answers, changed nothing, and mines', async () => {
    const { url } = ctx.node;
    const info = await get(`${url}/api/info`);
    expect(info.status).toBe(200);
    expect(info.body.height).toBe(heightBefore);
    expect(info.body.mempool_size).toBe(0);
    expect((await get(`${url}/api/miner`)).body.running).toBe(false);
    const mined = await get(`${url}/mine`);
    expect(mined.status).toBe(200);
    expect(mined.body.height).toBe(heightBefore + 1);
    const sent = await postJson(`${url}/api/tx`, txJson(ctx.aliceTx()));
    expect(sent.status).toBe(201);
    expect((await get(`${url}/mine`)).body.transactions.map((tx: Body) => tx.id)).toContain(
      sent.body.id,
    );
  });
});
