/**
 * Bad input on the tutorials' routes, the node's and the miner's, the event stream and the docs.
 */
import { bob } from '../../support/chainBuilder.js';
import { addressOf } from '../../support/http.js';
import {
  aliceAddress,
  aliceJson,
  badChecksum,
  bodyCases,
  type Case,
  form,
  getPath,
  json,
  methodCases,
  mistyped,
  otherNetwork,
  params,
  requests,
  signedCases,
  TEN_MB,
  TWO_TO_70,
  txJson,
} from './cases.js';

export const tutorialCases: Case[] = [
  // ---- the tutorials' routes
  ...methodCases('GET /', ['POST', 'DELETE']),
  ...methodCases('GET /chain', ['POST', 'PUT', 'DELETE']),
  ...methodCases('GET /mine', ['PUT', 'DELETE', 'PATCH']),
  ...bodyCases('POST /mine'),
  ...requests('POST /mine', [
    ['an unknown field', () => json('/mine', { difficulty: 1 }), 400, 'API_BAD_REQUEST'],
  ]),
  ...bodyCases('POST /transactions/new'),
  ...methodCases('POST /transactions/new', ['GET', 'PUT']),
  ...(
    [
      ['an empty object', {}, 400, 'API_BAD_REQUEST'],
      ['a JSON string', 'send 5 to bob', 400, 'API_BAD_REQUEST'],
      ['null', null, 400, 'API_BAD_REQUEST'],
      ['no amount', { recipient: aliceAddress }, 400, 'API_BAD_REQUEST'],
      [
        'an unknown field',
        { amount: 1, recipient: aliceAddress, memo: 'hi' },
        400,
        'API_BAD_REQUEST',
      ],
      [
        'a nonce on the unsigned form',
        { amount: 1, recipient: aliceAddress, nonce: 3 },
        400,
        'API_BAD_REQUEST',
      ],
      [
        'amount an object',
        { amount: { coins: 1 }, recipient: aliceAddress },
        400,
        'API_BAD_REQUEST',
      ],
      ['amount a boolean', { amount: true, recipient: aliceAddress }, 400, 'API_BAD_REQUEST'],
      ['amount an array', { amount: [1], recipient: aliceAddress }, 400, 'API_BAD_REQUEST'],
      ['recipient a number', { amount: 1, recipient: 42 }, 400, 'API_BAD_REQUEST'],
      ['amount -5', { amount: -5, recipient: aliceAddress }, 400, 'JSON_INVALID_FIELD'],
      ['amount "-5"', { amount: '-5', recipient: aliceAddress }, 400, 'JSON_INVALID_FIELD'],
      [
        'amount with 9 decimals',
        { amount: 0.123456789, recipient: aliceAddress },
        400,
        'JSON_INVALID_FIELD',
      ],
      [
        'amount 0.1 + 0.2',
        { amount: 0.1 + 0.2, recipient: aliceAddress },
        400,
        'JSON_INVALID_FIELD',
      ],
      ['amount "abc"', { amount: 'abc', recipient: aliceAddress }, 400, 'JSON_INVALID_FIELD'],
      ['amount "1e3"', { amount: '1e3', recipient: aliceAddress }, 400, 'JSON_INVALID_FIELD'],
      [
        'amount 2^70',
        { amount: Number(TWO_TO_70), recipient: aliceAddress },
        400,
        'JSON_INVALID_FIELD',
      ],
      [
        'amount "2^70"',
        { amount: `${TWO_TO_70}`, recipient: aliceAddress },
        400,
        'JSON_INVALID_FIELD',
      ],
      ['amount 0', { amount: 0, recipient: aliceAddress }, 422, 'TX_AMOUNT_NOT_POSITIVE'],
      [
        'amount above the balance',
        { amount: 1_000_000, recipient: aliceAddress },
        422,
        'TX_INSUFFICIENT_FUNDS',
      ],
      ['fee "abc"', { amount: 1, fee: 'abc', recipient: aliceAddress }, 400, 'JSON_INVALID_FIELD'],
      ['fee 0', { amount: 1, fee: 0, recipient: aliceAddress }, 422, 'TX_FEE_NOT_POSITIVE'],
      ['recipient mistyped', { amount: 1, recipient: badChecksum }, 400, 'ADDRESS_BAD_CHECKSUM'],
      [
        'recipient of another network',
        { amount: 1, recipient: otherNetwork },
        400,
        'ADDRESS_WRONG_NETWORK',
      ],
      ['recipient garbage', { amount: 1, recipient: 'bob' }, 400, 'ADDRESS_MALFORMED'],
      [
        'recipient of 200 characters',
        { amount: 1, recipient: 'x'.repeat(200) },
        400,
        'API_BAD_REQUEST',
      ],
    ] as const
  ).map(
    ([name, fields, status, code]): Case => ({
      route: 'POST /transactions/new',
      name: `unsigned: ${name}`,
      // The node's own address as sender, unless the body is not an object at all.
      request: (ctx) =>
        json(
          '/transactions/new',
          typeof fields === 'object' && fields !== null && Object.keys(fields).length > 0
            ? { sender: ctx.nodeAddress, ...fields }
            : fields,
        ),
      status,
      code,
    }),
  ),
  ...requests('POST /transactions/new', [
    [
      'unsigned: a sender that is not the node',
      () =>
        json('/transactions/new', {
          sender: aliceAddress,
          recipient: addressOf(bob.key),
          amount: 1,
        }),
      422,
      'API_UNSIGNED_TRANSACTION',
    ],
    [
      "unsigned: the node's address mistyped",
      (ctx) =>
        json('/transactions/new', {
          sender: mistyped(ctx.nodeAddress),
          recipient: aliceAddress,
          amount: 1,
        }),
      422,
      'API_UNSIGNED_TRANSACTION',
    ],
    [
      'form: no recipient',
      (ctx) => form('/transactions/new', `sender=${ctx.nodeAddress}&amount=1`),
      400,
      'API_BAD_REQUEST',
    ],
    [
      'form: amount twice',
      (ctx) =>
        form(
          '/transactions/new',
          `sender=${ctx.nodeAddress}&recipient=${aliceAddress}&amount=1&amount=2`,
        ),
      400,
      'API_BAD_REQUEST',
    ],
    [
      'form: amount garbage',
      (ctx) =>
        form(
          '/transactions/new',
          `sender=${ctx.nodeAddress}&recipient=${aliceAddress}&amount=lots`,
        ),
      400,
      'JSON_INVALID_FIELD',
    ],
    [
      'form: a signed transfer (numbers arrive as strings)',
      (ctx) =>
        form(
          '/transactions/new',
          new URLSearchParams(txJson(ctx.aliceTx()) as Record<string, string>).toString(),
        ),
      400,
      'API_BAD_REQUEST',
    ],
    [
      'form: a 10 MB body',
      () => form('/transactions/new', `sender=${'x'.repeat(TEN_MB)}`),
      413,
      'API_BODY_TOO_LARGE',
    ],
    [
      'signed: the tutorial fields beside a signature',
      (ctx) => json('/transactions/new', aliceJson(ctx, { sender: aliceAddress })),
      400,
      'JSON_INVALID_FIELD',
    ],
    [
      'signed: a coinbase',
      (ctx) =>
        json('/transactions/new', {
          type: 'coinbase',
          chain_id: params.chainId,
          to: ctx.nodeAddress,
          amount: '1',
          signature: 'ab'.repeat(64),
        }),
      400,
      'JSON_INVALID_FIELD',
    ],
  ]),
  ...signedCases('POST /transactions/new'),
  ...methodCases('GET /transactions/get', ['POST', 'DELETE']),

  // ---- node and miner
  ...methodCases('GET /api/info', ['POST', 'PUT']),
  ...methodCases('GET /api/errors', ['POST', 'DELETE']),
  ...methodCases('GET /api/miner', ['PUT', 'DELETE']),
  ...(['POST /api/miner/start', 'POST /api/miner/stop'] as const).flatMap((route) => [
    ...bodyCases(route),
    ...methodCases(route, ['GET', 'DELETE']),
    {
      route,
      name: 'an unknown field',
      request: () => json(route.split(' ')[1]!, { threads: 64 }),
      status: 400,
      code: 'API_BAD_REQUEST' as const,
    },
    {
      route,
      name: 'a JSON number',
      request: () => json(route.split(' ')[1]!, 1),
      status: 400,
      code: 'API_BAD_REQUEST' as const,
    },
  ]),

  // ---- events and docs
  ...methodCases('GET /api/events', ['POST', 'PUT']),
  ...requests('GET /docs', [
    ['a page that does not exist', () => getPath('/docs/nothing-here'), 404, 'API_NOT_FOUND'],
    [
      'a path out of the static folder',
      () => getPath('/docs/static/..%2f..%2f..%2fpackage.json'),
      404,
      'API_NOT_FOUND',
    ],
  ]),
  ...methodCases('GET /docs', ['POST']),
  ...requests('GET /nowhere', [
    ['an unknown route', () => getPath('/nodes/nowhere'), 404, 'API_NOT_FOUND'],
  ]),
];
