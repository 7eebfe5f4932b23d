/**
 * Bad input on the routes that take and read transactions, the mempool, search and addresses.
 */
import { encodeTx, toHex } from '../../../src/core/index.js';
import {
  addressCases,
  aliceAddress,
  aliceJson,
  bodies,
  bodyCases,
  type Case,
  type Ctx,
  form,
  getPath,
  json,
  methodCases,
  pageQueries,
  queries,
  requests,
  rows,
  signedCases,
  txJson,
  unknownHash,
  withBadSignature,
} from './cases.js';

export const txCases: Case[] = [
  // ---- transactions
  ...bodyCases('POST /api/tx'),
  ...methodCases('POST /api/tx', ['GET', 'PUT']),
  ...bodies('POST /api/tx', [
    ['an empty object', () => ({}), 400, 'API_BAD_REQUEST'],
    ['null', () => null, 400, 'API_BAD_REQUEST'],
    [
      'no signature',
      (ctx: Ctx) => aliceJson(ctx, { signature: undefined }),
      400,
      'API_BAD_REQUEST',
    ],
    ['an unknown field', (ctx: Ctx) => aliceJson(ctx, { memo: 'hi' }), 400, 'API_BAD_REQUEST'],
    [
      'the tutorial form',
      (ctx: Ctx) => ({ sender: ctx.nodeAddress, recipient: aliceAddress, amount: 1 }),
      400,
      'API_BAD_REQUEST',
    ],
    [
      'fractional amount number',
      (ctx: Ctx) => aliceJson(ctx, { amount: 1.5 }),
      400,
      'API_BAD_REQUEST',
    ],
    ['amount a boolean', (ctx: Ctx) => aliceJson(ctx, { amount: false }), 400, 'API_BAD_REQUEST'],
    ['chain id a string', (ctx: Ctx) => aliceJson(ctx, { chain_id: '1' }), 400, 'API_BAD_REQUEST'],
    ['hex with non-hex characters', () => ({ hex: 'xyz' }), 400, 'API_BAD_REQUEST'],
    [
      'hex beside JSON fields',
      (ctx: Ctx) => ({ hex: '00', from: ctx.nodeAddress }),
      400,
      'API_BAD_REQUEST',
    ],
    ['empty hex', () => ({ hex: '' }), 400, 'ENCODING_TRUNCATED'],
    ['odd-length hex', () => ({ hex: 'abc' }), 400, 'ENCODING_TRUNCATED'],
    [
      'hex with trailing bytes',
      (ctx: Ctx) => ({ hex: `${toHex(encodeTx(ctx.aliceTx()))}00` }),
      400,
      'ENCODING_TRAILING_BYTES',
    ],
    [
      'hex of an unknown type',
      (ctx: Ctx) => ({ hex: `07${toHex(encodeTx(ctx.aliceTx())).slice(2)}` }),
      400,
      'ENCODING_UNKNOWN_TX_TYPE',
    ],
    [
      'hex of a bad signature',
      (ctx: Ctx) => ({ hex: toHex(encodeTx(withBadSignature(ctx.aliceTx()))) }),
      422,
      'TX_BAD_SIGNATURE',
    ],
    [
      'hex of a coinbase',
      (ctx: Ctx) => ({ hex: toHex(encodeTx(ctx.tipBlock().txs[0]!)) }),
      422,
      'TX_COINBASE_NOT_ALLOWED',
    ],
    ['a coinbase in JSON', (ctx: Ctx) => txJson(ctx.tipBlock().txs[0]!), 400, 'API_BAD_REQUEST'],
  ]),
  ...requests('POST /api/tx', [
    [
      'form-encoded',
      (ctx) =>
        form(
          '/api/tx',
          new URLSearchParams(txJson(ctx.aliceTx()) as Record<string, string>).toString(),
        ),
      400,
      'API_BAD_REQUEST',
    ],
  ]),
  ...signedCases('POST /api/tx'),
  ...bodyCases('POST /api/tx/batch'),
  ...(
    [
      ['no transactions field', () => ({}), 400],
      ['transactions not an array', () => ({ transactions: 'all of them' }), 400],
      ['an unknown field', () => ({ transactions: [], atomic: true }), 400],
      ['an item not an object', () => ({ transactions: [42] }), 400],
      [
        '1001 transactions',
        (ctx: Ctx) => ({ transactions: Array(1001).fill(txJson(ctx.aliceTx())) }),
        400,
      ],
    ] as const
  ).map(
    ([name, body, status]): Case => ({
      route: 'POST /api/tx/batch',
      name,
      request: (ctx) => json('/api/tx/batch', body(ctx)),
      status,
      code: 'API_BAD_REQUEST',
    }),
  ),
  ...requests('POST /api/tx/batch', [
    [
      'GET instead (read as GET /api/tx/:id with id "batch")',
      () => getPath('/api/tx/batch'),
      400,
      'API_BAD_REQUEST',
    ],
  ]),
  ...methodCases('POST /api/tx/batch', ['PUT']),
  ...rows(
    'GET /api/tx/:id',
    [
      ['letters', 'xyz', 400, 'API_BAD_REQUEST'],
      ['63 hex digits', 'a'.repeat(63), 400, 'API_BAD_REQUEST'],
      ['65 hex digits', 'a'.repeat(65), 400, 'API_BAD_REQUEST'],
      ['a malformed percent escape', '%', 400, 'API_BAD_REQUEST'],
      ['an unknown id', unknownHash, 404, 'API_NOT_FOUND'],
      ['an unknown id in capitals', unknownHash.toUpperCase(), 404, 'API_NOT_FOUND'],
    ],
    (id) => getPath(`/api/tx/${id}`),
  ),
  ...methodCases('GET /api/tx/:id', ['DELETE']),
  ...methodCases('GET /api/mempool', ['POST', 'DELETE']),
  ...methodCases('GET /api/search', ['POST', 'DELETE']),
  ...(
    [
      ['no q', ''],
      ['an empty q', '?q='],
      ['a q of 101 characters', `?q=${'a'.repeat(101)}`],
      ['an unknown parameter', '?q=1&foo=1'],
      ['a repeated q', '?q=1&q=2'],
    ] as const
  ).map(([name, query]) => ({
    route: 'GET /api/search',
    name: `query: ${name}`,
    request: () => getPath(`/api/search${query}`),
    status: 400,
    code: 'API_BAD_REQUEST' as const,
  })),

  // ---- addresses
  ...addressCases('GET /api/address/:address'),
  ...methodCases('GET /api/address/:address', ['POST']),
  ...addressCases('GET /api/address/:address/history', '/history'),
  ...queries(
    'GET /api/address/:address/history',
    `/api/address/${aliceAddress}/history`,
    pageQueries,
  ),
];
