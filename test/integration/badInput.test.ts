/**
 * Bad input against every route of a real node: each case answers its 4xx status and stable
 * error code in the one shape {error: {code, message}}, never a 500; a sweep of junk bodies and
 * methods over every route finds no 500 either; and afterwards the node still answers and mines.
 * The table must cover every route the node documents (checked against its OpenAPI at /docs/json).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatus } from '../../src/api/httpStatus.js';
import {
  type Block,
  buildBlockTemplate,
  COIN,
  type ErrorCode,
  encodeAddress,
  encodeBlock,
  encodeTx,
  hashHeader,
  hashTx,
  merkleRoot,
  signTransfer,
  solveBlock,
  type Transfer,
  type Tx,
  toHex,
  txToJson,
} from '../../src/core/index.js';
import type { BlockyardNode } from '../../src/node/createNode.js';
import { alice, bob, easyParams, miner, unsolve } from '../support/chainBuilder.js';
import {
  addressOf,
  type Body,
  call,
  expectError,
  get,
  postJson,
  startNode,
  stopNode,
} from '../support/http.js';

const params = easyParams;
const TEN_MB = 10 * 1024 * 1024;
const TWO_TO_70 = 2n ** 70n;

interface Ctx {
  readonly node: BlockyardNode;
  readonly nodeAddress: string;
  /** Alice has 10 coins and has used nonce 0: her next nonce is 1. */
  readonly aliceTx: (fields?: Partial<Transfer>) => Transfer;
  readonly tipBlock: () => Block;
}

interface Request {
  readonly path: string;
  readonly init?: RequestInit;
}

interface Case {
  /** The route as the node declares it, e.g. `GET /api/blocks/:id`. */
  readonly route: string;
  readonly name: string;
  readonly request: (ctx: Ctx) => Request;
  readonly status: number;
  readonly code: ErrorCode;
}

// ---- request builders ------------------------------------------------------------------------

const jsonText = (method: string, path: string, text: string, type = 'application/json') => ({
  path,
  init: { method, headers: { 'content-type': type }, body: text },
});
const json = (path: string, body: unknown, method = 'POST'): Request =>
  jsonText(method, path, JSON.stringify(body));
const form = (path: string, text: string): Request =>
  jsonText('POST', path, text, 'application/x-www-form-urlencoded');
const bare = (method: string, path: string): Request => ({ path, init: { method } });
const getPath = (path: string): Request => ({ path });

const tenMegabytes = `{"a":"${'x'.repeat(TEN_MB)}"}`;
const txJson = (tx: Tx) => txToJson(tx, params) as unknown as Record<string, unknown>;
const withBadSignature = (tx: Transfer): Transfer => {
  const signature = Uint8Array.from(tx.signature);
  signature[0]! ^= 0x01;
  return { ...tx, signature };
};

/** The same address with its last character changed: the bech32m checksum no longer holds. */
function mistyped(address: string): string {
  const last = address.at(-1)!;
  return `${address.slice(0, -1)}${last === 'q' ? 'p' : 'q'}`;
}
const aliceAddress = addressOf(alice.key);
const badChecksum = mistyped(aliceAddress);
const otherNetwork = encodeAddress(alice.key, 'dev');
/** The address with its first letter after `tut1` in capitals. */
const mixedCase = aliceAddress.replace(
  /^(tut1[^a-z]*)([a-z])/,
  (_, head: string, letter: string) => `${head}${letter.toUpperCase()}`,
);
const unknownHash = 'ab'.repeat(32);

/** A block on the node's tip paying the test miner, changed by `change` and then solved. */
function blockOnTip(ctx: Ctx, change: (block: Block) => Block = (b) => b): Block {
  const parent = ctx.tipBlock();
  const template = buildBlockTemplate({
    params,
    parentHash: hashHeader(parent.header),
    height: parent.header.height + 1,
    bits: params.genesisBits,
    timestampMs: Math.max(Date.now(), parent.header.timestampMs + 1),
    minerKey: miner.key,
    selection: { txs: [], fees: 0n },
  });
  return solveBlock(change(template))!;
}
const blockHex = (block: Block) => ({ hex: toHex(encodeBlock(block)) });
const withMerkleRoot = (block: Block): Block => ({
  header: { ...block.header, merkleRoot: merkleRoot(block.txs.map(hashTx)) },
  txs: block.txs,
});

// ---- the table -------------------------------------------------------------------------------

/** Cases every route with a JSON body shares: bad JSON, a wrong media type, a body too large. */
function bodyCases(route: string): Case[] {
  const path = route.split(' ')[1]!;
  return [
    {
      route,
      name: 'malformed JSON',
      request: () => jsonText('POST', path, '{"sender": "tut1'),
      status: 400,
      code: 'API_BAD_JSON',
    },
    {
      route,
      name: 'JSON with a __proto__ key',
      request: () => jsonText('POST', path, '{"__proto__": {"admin": true}}'),
      status: 400,
      code: 'API_BAD_JSON',
    },
    {
      route,
      name: 'text/plain',
      request: () => jsonText('POST', path, '{}', 'text/plain'),
      status: 415,
      code: 'API_UNSUPPORTED_MEDIA_TYPE',
    },
    {
      route,
      name: 'application/xml',
      request: () => jsonText('POST', path, '<tx/>', 'application/xml'),
      status: 415,
      code: 'API_UNSUPPORTED_MEDIA_TYPE',
    },
    {
      route,
      name: 'a JSON array',
      request: () => json(path, []),
      status: 400,
      code: 'API_BAD_REQUEST',
    },
    {
      route,
      name: 'a 10 MB body',
      request: () => jsonText('POST', path, tenMegabytes),
      status: 413,
      code: 'API_BODY_TOO_LARGE',
    },
  ];
}

/** Wrong methods on a route: fastify answers an unknown method on a known path with 404. */
function methodCases(route: string, methods: readonly string[]): Case[] {
  const path = route.split(' ')[1]!.replace(':id', '0').replace(':address', aliceAddress);
  return methods.map((method) => ({
    route,
    name: `${method} instead`,
    request: () => bare(method, path),
    status: 404,
    code: 'API_NOT_FOUND' as const,
  }));
}

function addressCases(route: string, suffix = ''): Case[] {
  const at = (address: string) => `/api/address/${address}${suffix}`;
  return [
    ['a mistyped character', badChecksum, 400, 'ADDRESS_BAD_CHECKSUM'],
    ['an address of another network', otherNetwork, 400, 'ADDRESS_WRONG_NETWORK'],
    ['garbage', 'hello', 400, 'ADDRESS_MALFORMED'],
    ['mixed case', mixedCase, 400, 'ADDRESS_MALFORMED'],
    ['non-ASCII', encodeURIComponent('tut1€€€€€€€€'), 400, 'ADDRESS_MALFORMED'],
    ['200 characters', `tut1${'q'.repeat(196)}`, 400, 'API_BAD_REQUEST'],
    ['a malformed percent escape', '%zz', 400, 'API_BAD_REQUEST'],
  ].map(([name, address, status, code]) => ({
    route,
    name: name as string,
    request: () => getPath(at(address as string)),
    status: status as number,
    code: code as ErrorCode,
  }));
}

function queryCases(route: string, path: (ctx: Ctx) => string): Case[] {
  return [
    ['limit not a number', 'limit=abc'],
    ['negative limit', 'limit=-1'],
    ['limit of 4 digits', 'limit=1000'],
    ['fractional before_height', 'before_height=1.5'],
    ['negative before_height', 'before_height=-1'],
    ['before_height of 2^70', `before_height=${TWO_TO_70}`],
    ['an unknown parameter', 'foo=1'],
    ['a repeated parameter', 'limit=1&limit=2'],
  ].map(([name, query]) => ({
    route,
    name: `query: ${name}`,
    request: (ctx: Ctx) => getPath(`${path(ctx)}?${query}`),
    status: 400,
    code: 'API_BAD_REQUEST' as const,
  }));
}

/** Transfers of Alice in the JSON view, with one field replaced (after signing: unsigned data). */
const aliceJson = (ctx: Ctx, fields: Record<string, unknown>, tx = ctx.aliceTx()) => ({
  ...txJson(tx),
  ...fields,
});

/** Signed-transfer cases shared by POST /api/tx and the signed form of POST /transactions/new. */
function signedCases(route: string): Case[] {
  const path = route.split(' ')[1]!;
  const c = (name: string, body: (ctx: Ctx) => unknown, status: number, code: ErrorCode): Case => ({
    route,
    name,
    request: (ctx) => json(path, body(ctx)),
    status,
    code,
  });
  return [
    c('nonce too high', (ctx) => txJson(ctx.aliceTx({ nonce: 5n })), 409, 'TX_NONCE_TOO_HIGH'),
    c('nonce already used', (ctx) => txJson(ctx.aliceTx({ nonce: 0n })), 409, 'TX_NONCE_TOO_LOW'),
    c('bad signature', (ctx) => txJson(withBadSignature(ctx.aliceTx())), 422, 'TX_BAD_SIGNATURE'),
    c(
      'amount changed after signing',
      (ctx) => aliceJson(ctx, { amount: '2', id: undefined }),
      422,
      'TX_BAD_SIGNATURE',
    ),
    c('amount of 0', (ctx) => txJson(ctx.aliceTx({ amount: 0n })), 422, 'TX_AMOUNT_NOT_POSITIVE'),
    c('fee of 0', (ctx) => txJson(ctx.aliceTx({ fee: 0n })), 422, 'TX_FEE_NOT_POSITIVE'),
    c(
      'amount of 2^64 - 1',
      (ctx) => txJson(ctx.aliceTx({ amount: 2n ** 64n - 1n })),
      422,
      'TX_AMOUNT_TOO_LARGE',
    ),
    c(
      'more than the balance',
      (ctx) => txJson(ctx.aliceTx({ amount: 1_000n * COIN })),
      422,
      'TX_INSUFFICIENT_FUNDS',
    ),
    c('another chain id', (ctx) => txJson(ctx.aliceTx({ chainId: 99 })), 422, 'TX_WRONG_CHAIN'),
    c('negative amount', (ctx) => aliceJson(ctx, { amount: -5 }), 400, 'JSON_INVALID_FIELD'),
    c(
      'negative amount string',
      (ctx) => aliceJson(ctx, { amount: '-5' }),
      400,
      'JSON_INVALID_FIELD',
    ),
    c(
      'fractional amount string',
      (ctx) => aliceJson(ctx, { amount: '1.5' }),
      400,
      'JSON_INVALID_FIELD',
    ),
    c(
      'amount with an exponent',
      (ctx) => aliceJson(ctx, { amount: '1e3' }),
      400,
      'JSON_INVALID_FIELD',
    ),
    c('amount garbage', (ctx) => aliceJson(ctx, { amount: 'five' }), 400, 'JSON_INVALID_FIELD'),
    c(
      'amount 2^70 as a number',
      (ctx) => aliceJson(ctx, { amount: Number(TWO_TO_70) }),
      400,
      'JSON_INVALID_FIELD',
    ),
    c(
      'amount 2^64 as a string',
      (ctx) => aliceJson(ctx, { amount: `${2n ** 64n}` }),
      400,
      'JSON_INVALID_FIELD',
    ),
    c('nonce garbage', (ctx) => aliceJson(ctx, { nonce: 'next' }), 400, 'JSON_INVALID_FIELD'),
    c('negative chain id', (ctx) => aliceJson(ctx, { chain_id: -1 }), 400, 'JSON_INVALID_FIELD'),
    c(
      'id of another transaction',
      (ctx) => aliceJson(ctx, { id: unknownHash }),
      400,
      'JSON_INVALID_FIELD',
    ),
    c('short signature', (ctx) => aliceJson(ctx, { signature: 'abcd' }), 400, 'JSON_INVALID_FIELD'),
    c('unknown type', (ctx) => aliceJson(ctx, { type: 'gift' }), 400, 'JSON_INVALID_FIELD'),
    c(
      'from with a mistyped character',
      (ctx) => aliceJson(ctx, { from: badChecksum }),
      400,
      'ADDRESS_BAD_CHECKSUM',
    ),
    c(
      'to of another network',
      (ctx) => aliceJson(ctx, { to: otherNetwork }),
      400,
      'ADDRESS_WRONG_NETWORK',
    ),
    c('to garbage', (ctx) => aliceJson(ctx, { to: 'bob' }), 400, 'ADDRESS_MALFORMED'),
  ];
}

const cases: Case[] = [
  // ---- the tutorials' routes
  ...methodCases('GET /', ['POST', 'DELETE']),
  ...methodCases('GET /chain', ['POST', 'PUT', 'DELETE']),
  ...methodCases('GET /mine', ['PUT', 'DELETE', 'PATCH']),
  ...bodyCases('POST /mine'),
  {
    route: 'POST /mine',
    name: 'an unknown field',
    request: () => json('/mine', { difficulty: 1 }),
    status: 400,
    code: 'API_BAD_REQUEST',
  },
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
  {
    route: 'POST /transactions/new',
    name: 'unsigned: a sender that is not the node',
    request: () =>
      json('/transactions/new', { sender: aliceAddress, recipient: addressOf(bob.key), amount: 1 }),
    status: 422,
    code: 'API_UNSIGNED_TRANSACTION',
  },
  {
    route: 'POST /transactions/new',
    name: "unsigned: the node's address mistyped",
    request: (ctx) =>
      json('/transactions/new', {
        sender: mistyped(ctx.nodeAddress),
        recipient: aliceAddress,
        amount: 1,
      }),
    status: 422,
    code: 'API_UNSIGNED_TRANSACTION',
  },
  {
    route: 'POST /transactions/new',
    name: 'form: no recipient',
    request: (ctx) => form('/transactions/new', `sender=${ctx.nodeAddress}&amount=1`),
    status: 400,
    code: 'API_BAD_REQUEST',
  },
  {
    route: 'POST /transactions/new',
    name: 'form: amount twice',
    request: (ctx) =>
      form(
        '/transactions/new',
        `sender=${ctx.nodeAddress}&recipient=${aliceAddress}&amount=1&amount=2`,
      ),
    status: 400,
    code: 'API_BAD_REQUEST',
  },
  {
    route: 'POST /transactions/new',
    name: 'form: amount garbage',
    request: (ctx) =>
      form('/transactions/new', `sender=${ctx.nodeAddress}&recipient=${aliceAddress}&amount=lots`),
    status: 400,
    code: 'JSON_INVALID_FIELD',
  },
  {
    route: 'POST /transactions/new',
    name: 'form: a signed transfer (numbers arrive as strings)',
    request: (ctx) =>
      form(
        '/transactions/new',
        new URLSearchParams(txJson(ctx.aliceTx()) as Record<string, string>).toString(),
      ),
    status: 400,
    code: 'API_BAD_REQUEST',
  },
  {
    route: 'POST /transactions/new',
    name: 'form: a 10 MB body',
    request: () => form('/transactions/new', `sender=${'x'.repeat(TEN_MB)}`),
    status: 413,
    code: 'API_BODY_TOO_LARGE',
  },
  {
    route: 'POST /transactions/new',
    name: 'signed: the tutorial fields beside a signature',
    request: (ctx) => json('/transactions/new', aliceJson(ctx, { sender: aliceAddress })),
    status: 400,
    code: 'JSON_INVALID_FIELD',
  },
  {
    route: 'POST /transactions/new',
    name: 'signed: a coinbase',
    request: (ctx) =>
      json('/transactions/new', {
        type: 'coinbase',
        chain_id: params.chainId,
        to: ctx.nodeAddress,
        amount: '1',
        signature: 'ab'.repeat(64),
      }),
    status: 400,
    code: 'JSON_INVALID_FIELD',
  },
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

  // ---- blocks
  ...methodCases('GET /api/blocks', ['PUT', 'DELETE']),
  ...queryCases('GET /api/blocks', () => '/api/blocks'),
  ...(
    [
      ['letters', 'abc', 400, 'API_BAD_REQUEST'],
      ['a negative height', '-1', 400, 'API_BAD_REQUEST'],
      ['a fractional height', '1.5', 400, 'API_BAD_REQUEST'],
      ['a height of 2^70', `${TWO_TO_70}`, 400, 'API_BAD_REQUEST'],
      ['a hash of 63 hex digits', 'a'.repeat(63), 400, 'API_BAD_REQUEST'],
      ['a hash of 65 hex digits', 'a'.repeat(65), 400, 'API_BAD_REQUEST'],
      ['a malformed percent escape', '%zz', 400, 'API_BAD_REQUEST'],
      ['a height above the tip', '99999', 404, 'API_NOT_FOUND'],
      ['the largest 10-digit height', '9999999999', 404, 'API_NOT_FOUND'],
      ['an unknown hash', unknownHash, 404, 'API_NOT_FOUND'],
    ] as const
  ).map(
    ([name, id, status, code]): Case => ({
      route: 'GET /api/blocks/:id',
      name,
      request: () => getPath(`/api/blocks/${id}`),
      status,
      code,
    }),
  ),
  ...methodCases('GET /api/blocks/:id', ['POST', 'DELETE']),
  ...bodyCases('POST /api/blocks'),
  ...(
    [
      ['hex with non-hex characters', () => ({ hex: 'zz' }), 400, 'API_BAD_REQUEST'],
      ['hex too long for a block', () => ({ hex: '00'.repeat(1_050_001) }), 400, 'API_BAD_REQUEST'],
      ['empty hex', () => ({ hex: '' }), 400, 'ENCODING_TRUNCATED'],
      ['odd-length hex', () => ({ hex: 'abc' }), 400, 'ENCODING_TRUNCATED'],
      [
        'hex of a header only',
        (ctx: Ctx) => ({ hex: toHex(encodeBlock(blockOnTip(ctx))).slice(0, 184) }),
        400,
        'ENCODING_TRUNCATED',
      ],
      [
        'a block with trailing bytes',
        (ctx: Ctx) => ({ hex: `${blockHex(blockOnTip(ctx)).hex}00` }),
        400,
        'ENCODING_TRAILING_BYTES',
      ],
      [
        // The shape is the route's to check, as for a transfer (docs/api.md): not the core's.
        'a JSON view with an unknown field',
        () => ({ hash: unknownHash, miner: 'me' }),
        400,
        'API_BAD_REQUEST',
      ],
      ['a JSON view without fields', () => ({}), 400, 'API_BAD_REQUEST'],
      [
        'a JSON view with a nonce of 2^70',
        (ctx: Ctx) => {
          const view = txBlockJson(blockOnTip(ctx));
          return { ...view, hash: undefined, nonce: `${TWO_TO_70}` };
        },
        400,
        'JSON_INVALID_FIELD',
      ],
      [
        'a JSON view whose hash is not its hash',
        (ctx: Ctx) => ({ ...txBlockJson(blockOnTip(ctx)), hash: unknownHash }),
        400,
        'JSON_INVALID_FIELD',
      ],
      [
        'a block without proof of work',
        (ctx: Ctx) => blockHex(unsolve(blockOnTip(ctx))),
        422,
        'POW_INSUFFICIENT_WORK',
      ],
      [
        'a wrong merkle root',
        (ctx: Ctx) =>
          blockHex(
            blockOnTip(ctx, (b) => ({
              ...b,
              header: { ...b.header, merkleRoot: new Uint8Array(32) },
            })),
          ),
        422,
        'BLOCK_BAD_MERKLE_ROOT',
      ],
      [
        'a coinbase paying too much',
        (ctx: Ctx) =>
          blockHex(
            blockOnTip(ctx, (b) => {
              const [coinbase, ...rest] = b.txs;
              return withMerkleRoot({
                header: b.header,
                txs: [{ ...coinbase!, amount: coinbase!.amount + 1n } as Tx, ...rest],
              });
            }),
          ),
        422,
        'BLOCK_COINBASE_TOO_LARGE',
      ],
      [
        'a timestamp a day ahead',
        (ctx: Ctx) =>
          blockHex(
            blockOnTip(ctx, (b) => ({
              ...b,
              header: { ...b.header, timestampMs: Date.now() + 24 * 3600_000 },
            })),
          ),
        422,
        'BLOCK_TIME_TOO_NEW',
      ],
      [
        'an easier target than the network requires',
        (ctx: Ctx) =>
          blockHex(blockOnTip(ctx, (b) => ({ ...b, header: { ...b.header, bits: 0x2100ffff } }))),
        422,
        'POW_BAD_BITS',
      ],
    ] as const
  ).map(
    ([name, body, status, code]): Case => ({
      route: 'POST /api/blocks',
      name,
      request: (ctx) => json('/api/blocks', body(ctx)),
      status,
      code,
    }),
  ),
  ...methodCases('GET /api/tree', ['POST', 'DELETE']),
  ...[
    ['depth 0', 'depth=0'],
    ['depth 201 (the most is 200)', 'depth=201'],
    ['depth of 7 digits', 'depth=1000000'],
    ['depth not a number', 'depth=abc'],
    ['negative depth', 'depth=-1'],
    ['fractional depth', 'depth=2.5'],
    ['empty depth', 'depth='],
    ['a repeated depth', 'depth=1&depth=2'],
    ['an unknown parameter', 'limit=5'],
  ].map(
    ([name, query]): Case => ({
      route: 'GET /api/tree',
      name: `query: ${name}`,
      request: () => getPath(`/api/tree?${query}`),
      status: 400,
      code: 'API_BAD_REQUEST',
    }),
  ),
  ...methodCases('GET /api/next-block', ['POST', 'DELETE']),
  ...methodCases('GET /api/tx/:id/proof', ['POST', 'DELETE']),
  ...(
    [
      ['an id of 63 hex digits', 'a'.repeat(63), 400, 'API_BAD_REQUEST'],
      ['an id that is not hex', 'g'.repeat(64), 400, 'API_BAD_REQUEST'],
      ['an unknown id', 'ab'.repeat(32), 404, 'API_NOT_FOUND'],
    ] as const
  ).map(
    ([name, id, status, code]): Case => ({
      route: 'GET /api/tx/:id/proof',
      name,
      request: () => getPath(`/api/tx/${id}/proof`),
      status,
      code,
    }),
  ),
  ...methodCases('GET /api/stats', ['POST', 'DELETE']),
  ...[
    ['blocks not a number', 'blocks=many'],
    ['negative blocks', 'blocks=-1'],
    ['blocks of 5 digits', 'blocks=10000'],
    ['a repeated blocks', 'blocks=1&blocks=2'],
    ['an unknown parameter', 'limit=5'],
  ].map(
    ([name, query]): Case => ({
      route: 'GET /api/stats',
      name: `query: ${name}`,
      request: () => getPath(`/api/stats?${query}`),
      status: 400,
      code: 'API_BAD_REQUEST',
    }),
  ),
  ...methodCases('GET /api/reorgs', ['POST', 'DELETE']),
  ...[
    ['limit not a number', 'limit=many'],
    ['negative limit', 'limit=-1'],
    ['limit of 4 digits', 'limit=1000'],
    ['fractional limit', 'limit=2.5'],
    ['a repeated limit', 'limit=1&limit=2'],
    ['an unknown parameter', 'depth=5'],
  ].map(
    ([name, query]): Case => ({
      route: 'GET /api/reorgs',
      name: `query: ${name}`,
      request: () => getPath(`/api/reorgs?${query}`),
      status: 400,
      code: 'API_BAD_REQUEST',
    }),
  ),

  // ---- transactions
  ...bodyCases('POST /api/tx'),
  ...methodCases('POST /api/tx', ['GET', 'PUT']),
  ...(
    [
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
      [
        'chain id a string',
        (ctx: Ctx) => aliceJson(ctx, { chain_id: '1' }),
        400,
        'API_BAD_REQUEST',
      ],
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
    ] as const
  ).map(
    ([name, body, status, code]): Case => ({
      route: 'POST /api/tx',
      name,
      request: (ctx) => json('/api/tx', body(ctx)),
      status,
      code,
    }),
  ),
  {
    route: 'POST /api/tx',
    name: 'form-encoded',
    request: (ctx) =>
      form(
        '/api/tx',
        new URLSearchParams(txJson(ctx.aliceTx()) as Record<string, string>).toString(),
      ),
    status: 400,
    code: 'API_BAD_REQUEST',
  },
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
  {
    route: 'POST /api/tx/batch',
    name: 'GET instead (read as GET /api/tx/:id with id "batch")',
    request: () => getPath('/api/tx/batch'),
    status: 400,
    code: 'API_BAD_REQUEST',
  },
  ...methodCases('POST /api/tx/batch', ['PUT']),
  ...(
    [
      ['letters', 'xyz', 400, 'API_BAD_REQUEST'],
      ['63 hex digits', 'a'.repeat(63), 400, 'API_BAD_REQUEST'],
      ['65 hex digits', 'a'.repeat(65), 400, 'API_BAD_REQUEST'],
      ['a malformed percent escape', '%', 400, 'API_BAD_REQUEST'],
      ['an unknown id', unknownHash, 404, 'API_NOT_FOUND'],
      ['an unknown id in capitals', unknownHash.toUpperCase(), 404, 'API_NOT_FOUND'],
    ] as const
  ).map(
    ([name, id, status, code]): Case => ({
      route: 'GET /api/tx/:id',
      name,
      request: () => getPath(`/api/tx/${id}`),
      status,
      code,
    }),
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
  ...queryCases('GET /api/address/:address/history', () => `/api/address/${aliceAddress}/history`),

  // ---- peers: the tutorials' routes and the node-to-node ones
  ...bodyCases('POST /nodes/register'),
  ...methodCases('POST /nodes/register', ['GET', 'PUT']),
  ...(
    [
      ['no nodes field', {}, 400, 'API_BAD_REQUEST'],
      ['an empty list', { nodes: [] }, 400, 'API_BAD_REQUEST'],
      ['a number', { nodes: 5 }, 400, 'API_BAD_REQUEST'],
      ['an unknown field', { nodes: ['127.0.0.1:1'], note: 1 }, 400, 'API_BAD_REQUEST'],
      ['a path, not a node', { nodes: ['http://127.0.0.1:1/chain'] }, 400, 'P2P_BAD_URL'],
      ['a user:password URL', { nodes: ['http://me:pw@127.0.0.1:1'] }, 400, 'P2P_BAD_URL'],
      ['an ftp URL', { nodes: ['ftp://127.0.0.1:1'] }, 400, 'P2P_BAD_URL'],
      ['commas only', { nodes: ' , ,' }, 400, 'API_BAD_REQUEST'],
    ] as const
  ).map(([name, body, status, code]) => ({
    route: 'POST /nodes/register',
    name,
    request: () => json('/nodes/register', body),
    status,
    code,
  })),
  ...bodyCases('POST /nodes/remove'),
  ...methodCases('POST /nodes/remove', ['GET', 'DELETE']),
  ...(
    [
      ['no nodes field', {}, 400, 'API_BAD_REQUEST'],
      ['an empty list', { nodes: [] }, 400, 'API_BAD_REQUEST'],
      ['an unknown field', { nodes: ['127.0.0.1:1'], note: 1 }, 400, 'API_BAD_REQUEST'],
      ['a node that is not a peer', { nodes: ['127.0.0.1:1'] }, 404, 'API_NOT_FOUND'],
      ['not a URL at all', { nodes: ['http://me:pw@x'] }, 404, 'API_NOT_FOUND'],
    ] as const
  ).map(([name, body, status, code]) => ({
    route: 'POST /nodes/remove',
    name,
    request: () => json('/nodes/remove', body),
    status,
    code,
  })),
  ...bodyCases('POST /nodes/unban'),
  ...methodCases('POST /nodes/unban', ['GET', 'DELETE']),
  ...(
    [
      ['no nodes field', {}, 400, 'API_BAD_REQUEST'],
      ['a node that is not a peer', { nodes: ['127.0.0.1:1'] }, 404, 'API_NOT_FOUND'],
    ] as const
  ).map(([name, body, status, code]) => ({
    route: 'POST /nodes/unban',
    name,
    request: () => json('/nodes/unban', body),
    status,
    code,
  })),
  ...methodCases('GET /api/p2p/hello', ['PUT', 'DELETE']),
  ...methodCases('GET /api/join', ['POST', 'DELETE']),
  ...methodCases('GET /api/faucet', ['PUT', 'DELETE']),
  ...bodyCases('POST /api/faucet'),
  ...(
    [
      ['no address', {}, 400, 'API_BAD_REQUEST'],
      ['an unknown field', { address: aliceAddress, note: 1 }, 400, 'API_BAD_REQUEST'],
      ['a node without a faucet', { address: aliceAddress }, 403, 'FAUCET_OFF'],
    ] as const
  ).map(([name, body, status, code]) => ({
    route: 'POST /api/faucet',
    name,
    request: () => json('/api/faucet', body),
    status,
    code,
  })),
  ...bodyCases('POST /api/faucet/config'),
  ...(
    [
      ['enabled not a boolean', { enabled: 'no' }, 400, 'API_BAD_REQUEST'],
      ['a node without a faucet', { enabled: false }, 403, 'FAUCET_OFF'],
    ] as const
  ).map(([name, body, status, code]) => ({
    route: 'POST /api/faucet/config',
    name,
    request: () => json('/api/faucet/config', body),
    status,
    code,
  })),
  ...methodCases('GET /nodes/get', ['POST', 'DELETE']),
  ...methodCases('GET /nodes/resolve', ['POST', 'DELETE']),
  ...bodyCases('POST /api/p2p/hello'),
  ...(
    [
      ['an empty hello', {}, 400, 'API_BAD_REQUEST'],
      [
        'another network',
        {
          version: '0',
          network: 'x',
          chain_id: 99,
          genesis_hash: unknownHash,
          node_address: 'x',
          port: 1,
          height: 0,
          tip_hash: unknownHash,
          chain_work: '1',
        },
        422,
        'P2P_WRONG_NETWORK',
      ],
      [
        'an instance that is not 16 hex digits',
        {
          version: '0',
          network: 'x',
          chain_id: 99,
          genesis_hash: unknownHash,
          node_address: 'x',
          port: 1,
          height: 0,
          tip_hash: unknownHash,
          chain_work: '1',
          instance: 'me',
        },
        400,
        'API_BAD_REQUEST',
      ],
      [
        'port 0',
        {
          version: '0',
          network: 'x',
          chain_id: 99,
          genesis_hash: unknownHash,
          node_address: 'x',
          port: 0,
          height: 0,
          tip_hash: unknownHash,
          chain_work: '1',
        },
        400,
        'API_BAD_REQUEST',
      ],
    ] as const
  ).map(([name, body, status, code]) => ({
    route: 'POST /api/p2p/hello',
    name,
    request: () => json('/api/p2p/hello', body),
    status,
    code,
  })),
  ...methodCases('GET /api/p2p/peers', ['POST']),
  ...(
    [
      ['no locator', '/api/p2p/headers', 400, 'API_BAD_REQUEST'],
      ['a short hash', '/api/p2p/headers?locator=abcd', 400, 'API_BAD_REQUEST'],
      ['upper-case hex', `/api/p2p/headers?locator=${'AB'.repeat(32)}`, 400, 'API_BAD_REQUEST'],
      [
        '65 hashes',
        `/api/p2p/headers?locator=${Array(65).fill(unknownHash).join(',')}`,
        400,
        'API_BAD_REQUEST',
      ],
      [
        'a huge limit',
        `/api/p2p/headers?locator=${unknownHash}&limit=99999`,
        400,
        'API_BAD_REQUEST',
      ],
      [
        'an unknown parameter',
        `/api/p2p/headers?locator=${unknownHash}&from=1`,
        400,
        'API_BAD_REQUEST',
      ],
    ] as const
  ).map(([name, path, status, code]) => ({
    route: 'GET /api/p2p/headers',
    name,
    request: () => getPath(path),
    status,
    code,
  })),
  ...(
    [
      ['no hashes', '/api/p2p/blocks', 400, 'API_BAD_REQUEST'],
      [
        '17 hashes',
        `/api/p2p/blocks?hashes=${Array(17).fill(unknownHash).join(',')}`,
        400,
        'API_BAD_REQUEST',
      ],
      ['an unknown block', `/api/p2p/blocks?hashes=${unknownHash}`, 404, 'API_NOT_FOUND'],
    ] as const
  ).map(([name, path, status, code]) => ({
    route: 'GET /api/p2p/blocks',
    name,
    request: () => getPath(path),
    status,
    code,
  })),
  ...bodyCases('POST /api/p2p/announce'),
  ...(
    [
      ['a short header', { headers: ['00'] }, 400, 'API_BAD_REQUEST'],
      ['a transaction of the wrong size', { txs: ['01'.repeat(100)] }, 400, 'API_BAD_REQUEST'],
      ['an unknown field', { blocks: [] }, 400, 'API_BAD_REQUEST'],
      ['a header without proof of work', { headers: ['00'.repeat(92)] }, 422, 'BLOCK_BAD_VERSION'],
      [
        'a transaction of an unknown type',
        { txs: ['07'.repeat(157)] },
        400,
        'ENCODING_UNKNOWN_TX_TYPE',
      ],
    ] as const
  ).map(([name, body, status, code]) => ({
    route: 'POST /api/p2p/announce',
    name,
    request: () => json('/api/p2p/announce', body),
    status,
    code,
  })),

  // ---- events and docs
  ...methodCases('GET /api/events', ['POST', 'PUT']),
  {
    route: 'GET /docs',
    name: 'a page that does not exist',
    request: () => getPath('/docs/nothing-here'),
    status: 404,
    code: 'API_NOT_FOUND',
  },
  {
    route: 'GET /docs',
    name: 'a path out of the static folder',
    request: () => getPath('/docs/static/..%2f..%2f..%2fpackage.json'),
    status: 404,
    code: 'API_NOT_FOUND',
  },
  ...methodCases('GET /docs', ['POST']),
  {
    route: 'GET /nowhere',
    name: 'an unknown route',
    request: () => getPath('/nodes/nowhere'),
    status: 404,
    code: 'API_NOT_FOUND',
  },
];

function txBlockJson(block: Block): Record<string, unknown> {
  return {
    hash: toHex(hashHeader(block.header)),
    version: block.header.version,
    height: block.header.height,
    prev_hash: toHex(block.header.prevHash),
    merkle_root: toHex(block.header.merkleRoot),
    timestamp_ms: block.header.timestampMs,
    bits: block.header.bits,
    nonce: `${block.header.nonce}`,
    transactions: block.txs.map(txJson),
  };
}

// ---- the tests -------------------------------------------------------------------------------

let ctx: Ctx;
let heightBefore: number;

beforeAll(async () => {
  const node = await startNode({ params });
  const mine = async () => expect((await get(`${node.url}/mine`)).status).toBe(200);
  await mine();
  const funded = await postJson(`${node.url}/transactions/new`, {
    sender: node.nodeKey.address,
    recipient: aliceAddress,
    amount: 10,
  });
  expect(funded.status).toBe(201);
  await mine();
  const aliceTx = (fields: Partial<Transfer> = {}): Transfer => {
    const { signature: _ignored, ...unsigned } = {
      type: 'transfer' as const,
      chainId: params.chainId,
      from: alice.key,
      to: bob.key,
      amount: COIN,
      fee: 1_000n,
      nonce: 1n,
      ...fields,
    };
    return signTransfer(unsigned, alice.secret);
  };
  const first = await postJson(`${node.url}/api/tx`, txJson(aliceTx({ nonce: 0n })));
  expect(first.status).toBe(201);
  await mine();
  ctx = {
    node,
    nodeAddress: node.nodeKey.address,
    aliceTx,
    tipBlock: () => node.chain.getBlock(node.chain.tip),
  };
  heightBefore = node.chain.tip.header.height;
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
  });
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
