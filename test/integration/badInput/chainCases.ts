/**
 * Bad input on the routes that read and take blocks: by height or hash, the tree, the next block,
 * proofs, statistics and reorganisations.
 */
import { encodeBlock, type Tx, toHex } from '../../../src/core/index.js';
import { unsolve } from '../../support/chainBuilder.js';
import {
  blockHex,
  blockOnTip,
  bodies,
  bodyCases,
  type Case,
  type Ctx,
  getPath,
  methodCases,
  pageQueries,
  queries,
  rows,
  TWO_TO_70,
  txBlockJson,
  unknownHash,
  withMerkleRoot,
} from './cases.js';

export const chainCases: Case[] = [
  // ---- blocks
  ...methodCases('GET /api/blocks', ['PUT', 'DELETE']),
  ...queries('GET /api/blocks', '/api/blocks', pageQueries),
  ...rows(
    'GET /api/blocks/:id',
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
    ],
    (id) => getPath(`/api/blocks/${id}`),
  ),
  ...methodCases('GET /api/blocks/:id', ['POST', 'DELETE']),
  ...bodyCases('POST /api/blocks'),
  ...bodies('POST /api/blocks', [
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
  ]),
  ...methodCases('GET /api/tree', ['POST', 'DELETE']),
  ...queries('GET /api/tree', '/api/tree', [
    ['depth 0', 'depth=0'],
    ['depth 201 (the most is 200)', 'depth=201'],
    ['depth of 7 digits', 'depth=1000000'],
    ['depth not a number', 'depth=abc'],
    ['negative depth', 'depth=-1'],
    ['fractional depth', 'depth=2.5'],
    ['empty depth', 'depth='],
    ['a repeated depth', 'depth=1&depth=2'],
    ['an unknown parameter', 'limit=5'],
  ]),
  ...methodCases('GET /api/next-block', ['POST', 'DELETE']),
  ...methodCases('GET /api/tx/:id/proof', ['POST', 'DELETE']),
  ...rows(
    'GET /api/tx/:id/proof',
    [
      ['an id of 63 hex digits', 'a'.repeat(63), 400, 'API_BAD_REQUEST'],
      ['an id that is not hex', 'g'.repeat(64), 400, 'API_BAD_REQUEST'],
      ['an unknown id', 'ab'.repeat(32), 404, 'API_NOT_FOUND'],
    ],
    (id) => getPath(`/api/tx/${id}/proof`),
  ),
  ...methodCases('GET /api/stats', ['POST', 'DELETE']),
  ...queries('GET /api/stats', '/api/stats', [
    ['blocks not a number', 'blocks=many'],
    ['negative blocks', 'blocks=-1'],
    ['blocks of 5 digits', 'blocks=10000'],
    ['a repeated blocks', 'blocks=1&blocks=2'],
    ['an unknown parameter', 'limit=5'],
  ]),
  ...methodCases('GET /api/reorgs', ['POST', 'DELETE']),
  ...queries('GET /api/reorgs', '/api/reorgs', [
    ['limit not a number', 'limit=many'],
    ['negative limit', 'limit=-1'],
    ['limit of 4 digits', 'limit=1000'],
    ['fractional limit', 'limit=2.5'],
    ['a repeated limit', 'limit=1&limit=2'],
    ['an unknown parameter', 'depth=5'],
  ]),
];
