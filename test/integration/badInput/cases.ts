/**
 * What the bad-input tables (one file a floor: tutorialCases, chainCases, txCases, peerCases)
 * share: the node they run against (Alice funded, her nonce 0 used), the case shape, request
 * builders, and the makers of the cases many routes have alike. badInput.test.ts runs them.
 */
import { expect } from 'vitest';
import {
  type Block,
  buildBlockTemplate,
  COIN,
  type ErrorCode,
  encodeAddress,
  encodeBlock,
  hashHeader,
  hashTx,
  merkleRoot,
  solveBlock,
  type Transfer,
  type Tx,
  toHex,
  txToJson,
} from '../../../src/core/index.js';
import { signTransfer } from '../../../src/core/nobleEd25519.js';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import { alice, bob, easyParams, miner } from '../../support/chainBuilder.js';
import { addressOf, postJson, startFundedNode } from '../../support/http.js';
import { mine } from '../../support/p2p.js';

export const params = easyParams;
export const TEN_MB = 10 * 1024 * 1024;
export const TWO_TO_70 = 2n ** 70n;

export interface Ctx {
  readonly node: BlockyardNode;
  readonly nodeAddress: string;
  /** Alice has 10 coins and has used nonce 0: her next nonce is 1. */
  readonly aliceTx: (fields?: Partial<Transfer>) => Transfer;
  readonly tipBlock: () => Block;
}

export interface Request {
  readonly path: string;
  readonly init?: RequestInit;
}

export interface Case {
  /** The route as the node declares it, e.g. `GET /api/blocks/:id`. */
  readonly route: string;
  readonly name: string;
  readonly request: (ctx: Ctx) => Request;
  readonly status: number;
  readonly code: ErrorCode;
}

// ---- request builders ------------------------------------------------------------------------

export const jsonText = (
  method: string,
  path: string,
  text: string,
  type = 'application/json',
) => ({
  path,
  init: { method, headers: { 'content-type': type }, body: text },
});
export const json = (path: string, body: unknown, method = 'POST'): Request =>
  jsonText(method, path, JSON.stringify(body));
export const form = (path: string, text: string): Request =>
  jsonText('POST', path, text, 'application/x-www-form-urlencoded');
export const bare = (method: string, path: string): Request => ({ path, init: { method } });
export const getPath = (path: string): Request => ({ path });

export const tenMegabytes = `{"a":"${'x'.repeat(TEN_MB)}"}`;
export const txJson = (tx: Tx) => txToJson(tx, params) as unknown as Record<string, unknown>;
export const withBadSignature = (tx: Transfer): Transfer => {
  const signature = Uint8Array.from(tx.signature);
  signature[0]! ^= 0x01;
  return { ...tx, signature };
};

/** The same address with its last character changed: the bech32m checksum no longer holds. */
export function mistyped(address: string): string {
  const last = address.at(-1)!;
  return `${address.slice(0, -1)}${last === 'q' ? 'p' : 'q'}`;
}
export const aliceAddress = addressOf(alice.key);
export const badChecksum = mistyped(aliceAddress);
export const otherNetwork = encodeAddress(alice.key, 'dev');
/** The address with its first letter after `tut1` in capitals. */
export const mixedCase = aliceAddress.replace(
  /^(tut1[^a-z]*)([a-z])/,
  (_, head: string, letter: string) => `${head}${letter.toUpperCase()}`,
);
export const unknownHash = 'ab'.repeat(32);

/** A block on the node's tip paying the test miner, changed by `change` and then solved. */
export function blockOnTip(ctx: Ctx, change: (block: Block) => Block = (b) => b): Block {
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
export const blockHex = (block: Block) => ({ hex: toHex(encodeBlock(block)) });
export const withMerkleRoot = (block: Block): Block => ({
  header: { ...block.header, merkleRoot: merkleRoot(block.txs.map(hashTx)) },
  txs: block.txs,
});

// ---- case makers ----------------------------------------------------------------------------

/** A table row: the case's name, what its request is made from, the status and code it gets. */
export type Row<T> = readonly [name: string, input: T, status: number, code: ErrorCode];

/** A case a row of `route`: `request` makes each row's request from its input. */
export function rows<T>(
  route: string,
  list: readonly Row<T>[],
  request: (input: T, ctx: Ctx) => Request,
): Case[] {
  return list.map(([name, input, status, code]) => ({
    route,
    name,
    request: (ctx) => request(input, ctx),
    status,
    code,
  }));
}

/** Rows that make their own request. */
export const requests = (route: string, list: readonly Row<(ctx: Ctx) => Request>[]) =>
  rows(route, list, (make, ctx) => make(ctx));

/** Rows of JSON bodies POSTed to `route`: a body, or a function of the context that makes one. */
export const bodies = (route: string, list: readonly Row<unknown>[]) =>
  rows(route, list, (body, ctx) =>
    json(route.split(' ')[1]!, typeof body === 'function' ? body(ctx) : body),
  );

/** Rows of GET paths. */
export const paths = (route: string, list: readonly Row<string>[]) =>
  rows(route, list, (path) => getPath(path));

/** Query strings `route` refuses with 400 API_BAD_REQUEST, each [name, query], named `query: …`. */
export const queries = (
  route: string,
  path: string,
  list: readonly (readonly [string, string])[],
) =>
  paths(
    route,
    list.map(([name, query]) => [`query: ${name}`, `${path}?${query}`, 400, 'API_BAD_REQUEST']),
  );

/** Cases every route with a JSON body shares: bad JSON, a wrong media type, a body too large. */
export function bodyCases(route: string): Case[] {
  const path = route.split(' ')[1]!;
  return requests(route, [
    ['malformed JSON', () => jsonText('POST', path, '{"sender": "tut1'), 400, 'API_BAD_JSON'],
    [
      'JSON with a __proto__ key',
      () => jsonText('POST', path, '{"__proto__": {"admin": true}}'),
      400,
      'API_BAD_JSON',
    ],
    [
      'text/plain',
      () => jsonText('POST', path, '{}', 'text/plain'),
      415,
      'API_UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'application/xml',
      () => jsonText('POST', path, '<tx/>', 'application/xml'),
      415,
      'API_UNSUPPORTED_MEDIA_TYPE',
    ],
    ['a JSON array', () => json(path, []), 400, 'API_BAD_REQUEST'],
    ['a 10 MB body', () => jsonText('POST', path, tenMegabytes), 413, 'API_BODY_TOO_LARGE'],
  ]);
}

/** Wrong methods on a route: fastify answers an unknown method on a known path with 404. */
export function methodCases(route: string, methods: readonly string[]): Case[] {
  const path = route.split(' ')[1]!.replace(':id', '0').replace(':address', aliceAddress);
  return methods.map((method) => ({
    route,
    name: `${method} instead`,
    request: () => bare(method, path),
    status: 404,
    code: 'API_NOT_FOUND' as const,
  }));
}

export function addressCases(route: string, suffix = ''): Case[] {
  return rows(
    route,
    [
      ['a mistyped character', badChecksum, 400, 'ADDRESS_BAD_CHECKSUM'],
      ['an address of another network', otherNetwork, 400, 'ADDRESS_WRONG_NETWORK'],
      ['garbage', 'hello', 400, 'ADDRESS_MALFORMED'],
      ['mixed case', mixedCase, 400, 'ADDRESS_MALFORMED'],
      ['non-ASCII', encodeURIComponent('tut1€€€€€€€€'), 400, 'ADDRESS_MALFORMED'],
      ['200 characters', `tut1${'q'.repeat(196)}`, 400, 'API_BAD_REQUEST'],
      ['a malformed percent escape', '%zz', 400, 'API_BAD_REQUEST'],
    ],
    (address) => getPath(`/api/address/${address}${suffix}`),
  );
}

/** The paging queries GET /api/blocks and an address's history refuse. */
export const pageQueries = [
  ['limit not a number', 'limit=abc'],
  ['negative limit', 'limit=-1'],
  ['limit of 4 digits', 'limit=1000'],
  ['fractional before_height', 'before_height=1.5'],
  ['negative before_height', 'before_height=-1'],
  ['before_height of 2^70', `before_height=${TWO_TO_70}`],
  ['an unknown parameter', 'foo=1'],
  ['a repeated parameter', 'limit=1&limit=2'],
] as const;

/** Transfers of Alice in the JSON view, with one field replaced (after signing: unsigned data). */
export const aliceJson = (ctx: Ctx, fields: Record<string, unknown>, tx = ctx.aliceTx()) => ({
  ...txJson(tx),
  ...fields,
});

/** Signed-transfer cases shared by POST /api/tx and the signed form of POST /transactions/new. */
export function signedCases(route: string): Case[] {
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

export function txBlockJson(block: Block): Record<string, unknown> {
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

/**
 * The node the tables run against: it mined, paid Alice 10 coins, and mined her first transfer
 * (nonce 0), so her next nonce is 1.
 */
export async function openCtx(): Promise<Ctx> {
  const node = await startFundedNode(alice.key, 10, { params });
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
  await mine(node);
  return {
    node,
    nodeAddress: node.nodeKey.address,
    aliceTx,
    tipBlock: () => node.chain.getBlock(node.chain.tip),
  };
}
