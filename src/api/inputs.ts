/**
 * What the routes of contract.ts take: bodies, queries and path parameters. The schemas check the
 * shape (names, JSON types: API_BAD_REQUEST); the core checks the forms of values.
 */
import { Type } from '@sinclair/typebox';
import { object } from './schemas.js';

/** Replaced by the node's own address in the OpenAPI, so *Try it out* works as it is. */
export const NODE_ADDRESS_EXAMPLE = '{NODE_ADDRESS}';
export const U64In = Type.Union([Type.String({ maxLength: 30 }), Type.Integer()]);
export const transferIn = {
  type: Type.String({ maxLength: 20 }),
  id: Type.Optional(Type.String({ maxLength: 64 })),
  chain_id: Type.Integer(),
  from: Type.String({ maxLength: 100 }),
  to: Type.String({ maxLength: 100 }),
  amount: U64In,
  fee: U64In,
  nonce: U64In,
  signature: Type.String({ maxLength: 128 }),
};
export const HexBody = (maxLength: number) =>
  object({ hex: Type.String({ maxLength, pattern: '^[0-9a-fA-F]*$' }) });
/** One signed transfer: the JSON view (src/core/json.ts) or {hex} of its canonical bytes. */
export const TxBody = Type.Union([HexBody(400), object(transferIn)]);
export const coinbaseIn = {
  type: Type.String({ maxLength: 20 }),
  id: Type.Optional(Type.String({ maxLength: 64 })),
  chain_id: Type.Integer(),
  height: Type.Integer(),
  to: Type.String({ maxLength: 100 }),
  amount: U64In,
};
/**
 * A block's JSON view. As for a transfer, the schema checks the shape (names, JSON types:
 * API_BAD_REQUEST) and the core the forms of the values (JSON_INVALID_FIELD, ADDRESS_*).
 */
export const BlockJsonIn = object({
  hash: Type.Optional(Type.String({ maxLength: 64 })),
  version: Type.Integer(),
  height: Type.Integer(),
  prev_hash: Type.String({ maxLength: 64 }),
  merkle_root: Type.String({ maxLength: 64 }),
  timestamp_ms: Type.Integer(),
  bits: Type.Integer(),
  nonce: U64In,
  transactions: Type.Array(Type.Union([object(transferIn), object(coinbaseIn)]), {
    maxItems: 10_000,
  }),
});
export const SubmitBlock = Type.Union([HexBody(2_100_000), BlockJsonIn]);
export const Coins = Type.Union([Type.String({ maxLength: 40 }), Type.Number()]);
export const NewTransaction = Type.Object(
  {
    // A signed transfer in the API's JSON view (amount and fee in base units)…
    ...Type.Partial(object(transferIn)).properties,
    // …or the tutorials' unsigned form, for the node's own address (amount and fee in coins).
    sender: Type.Optional(Type.String({ maxLength: 100 })),
    recipient: Type.Optional(Type.String({ maxLength: 100 })),
    amount: Type.Optional(Coins),
    fee: Type.Optional(Coins),
  },
  {
    additionalProperties: false,
    examples: [{ sender: NODE_ADDRESS_EXAMPLE, recipient: NODE_ADDRESS_EXAMPLE, amount: 1 }],
  },
);
export const NodeList = Type.Object(
  {
    // JSON: a list; the tutorial's HTML form: one comma-separated string.
    nodes: Type.Union([
      Type.Array(Type.String({ maxLength: 200 }), { minItems: 1, maxItems: 64 }),
      Type.String({ minLength: 1, maxLength: 4_000 }),
    ]),
  },
  { additionalProperties: false, examples: [{ nodes: ['http://127.0.0.1:5001'] }] },
);
/** `curl -X POST …/mine` sends no body at all: the server reads it as {}. */
export const NoBody = Type.Object({}, { additionalProperties: false });
/** The most blocks one `/mine?count=N` mines (issue 15, point 7). */
export const MAX_MINE_COUNT = 1_000;
export const MineQuery = object({
  count: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,4}$',
      description: `blocks to mine, 1 to ${MAX_MINE_COUNT} (default 1)`,
      examples: ['10'],
    }),
  ),
});
export const Page = object({
  before_height: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', examples: ['20'] })),
});
export const AddressParam = object({
  address: Type.String({ maxLength: 100, examples: [NODE_ADDRESS_EXAMPLE] }),
});
export const TxIdParam = object({ id: Type.String({ pattern: '^[0-9a-fA-F]{64}$' }) });
