/**
 * The shapes the HTTP API speaks, as TypeBox schemas: what src/api/contract.ts puts together
 * into routes. Amounts, nonces and block nonces are decimal strings of base units (a JSON number
 * cannot hold every u64); the tutorials' routes add `amount`/`fee` in coins beside them.
 */
import { Kind, type Static, type TSchema, Type, TypeRegistry } from '@sinclair/typebox';

export const Hex64 = Type.String({ pattern: '^[0-9a-f]{64}$', examples: ['0'.repeat(64)] });
export const Units = Type.String({
  pattern: '^[0-9]{1,20}$',
  description: 'base units, as a string',
});
const Address = Type.String({ maxLength: 100, examples: ['tut1…'] });
/** A u64 as a JSON number when it is a safe integer, else as a decimal string. */
const U64Json = Type.Union([Type.Integer(), Type.String()]);
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

TypeRegistry.Set<{ enum: readonly string[] }>(
  'StringEnum',
  (schema, value) => typeof value === 'string' && schema.enum.includes(value),
);
/**
 * One of `values`, as JSON Schema's `{type: "string", enum}` (TypeBox checks it through the
 * registry above). PERF: a union of literals is an anyOf, which fast-json-stringify serializes
 * by running ajv on each choice: the first answer of a route compiled an ajv validator for it,
 * ≈ 20–40 ms of a fresh node's first register + resolve (node --cpu-prof, bench/adopt.ts).
 */
const StringEnum = <const T extends readonly string[]>(values: T) =>
  Type.Unsafe<T[number]>({ [Kind]: 'StringEnum', type: 'string', enum: values });
const object = <P extends Record<string, TSchema>>(properties: P) =>
  Type.Object(properties, { additionalProperties: false });

export const ErrorBody = object({
  error: object({
    code: Type.String({ description: 'stable; listed at /api/errors and in docs/errors.md' }),
    message: Type.String({ description: 'for a person: what went wrong and what to do' }),
  }),
});

// The API's own view (src/core/json.ts): exact base units, hashed over the binary encoding.
const transferFields = {
  type: Type.Literal('transfer'),
  id: Hex64,
  chain_id: Type.Integer(),
  from: Address,
  to: Address,
  amount: Units,
  fee: Units,
  nonce: Units,
  signature: Type.String({ pattern: '^[0-9a-f]{128}$' }),
};
export const TransferJson = object(transferFields);
export const CoinbaseJson = object({
  type: Type.Literal('coinbase'),
  id: Hex64,
  chain_id: Type.Integer(),
  height: Type.Integer(),
  to: Address,
  amount: Units,
});
export const TxJson = Type.Union([TransferJson, CoinbaseJson]);
export type TxJson = Static<typeof TxJson>;

// ---- the reorganisation story (src/mempool/reorgLog.ts, written by src/api/reorgSchemas.ts) ----
export const BlockRefJson = object({ hash: Hex64, height: Type.Integer() });

export const StaleJson = object({
  replaced_by: Nullable(BlockRefJson),
  reorg: Nullable(
    object({ seq: Type.Integer(), at_ms: Type.Integer(), depth: Type.Integer(), new_tip: Hex64 }),
  ),
});

/** One step of a transaction's life, oldest first; the last is where it is now. */
export const LifeStep = object({
  step: Type.Union([
    Type.Literal('pending'),
    Type.Literal('confirmed'),
    Type.Literal('returned'),
    Type.Literal('dropped'),
  ]),
  at_ms: Nullable(Type.Integer()),
  block: Nullable(BlockRefJson),
  reorg: Nullable(Type.Integer({ description: 'the seq of the reorganisation that did it' })),
  code: Nullable(Type.String()),
  message: Nullable(Type.String()),
  conflicts_with: Nullable(Hex64),
});
export type LifeStep = Static<typeof LifeStep>;
const Life = Type.Array(LifeStep, {
  description: 'what happened to it on this node, oldest first (reorganisations included)',
});

const headerFields = {
  hash: Hex64,
  version: Type.Integer(),
  height: Type.Integer(),
  prev_hash: Hex64,
  merkle_root: Hex64,
  timestamp_ms: Type.Integer(),
  bits: Type.Integer(),
  nonce: Units,
};
export const HeaderJson = object(headerFields);
export const BlockRow = object({
  ...headerFields,
  tx_count: Type.Integer(),
  mined_by: Type.Optional(Address),
  fees: Type.Optional(Units),
});
export const BlockView = object({
  ...headerFields,
  transactions: Type.Array(TxJson),
  target: Hex64,
  confirmations: Type.Integer({ description: '0 off the main chain' }),
  main_chain: Type.Boolean(),
  chain_work: Type.String({ pattern: '^[0-9]+$' }),
  /** Off the main chain: the block at its height now, and the reorganisation that left it. */
  stale: Type.Optional(StaleJson),
});
export type BlockView = Static<typeof BlockView>;

const where = { height: Type.Integer(), index: Type.Integer(), confirmations: Type.Integer() };
/** A transaction in an address's history: where it was confirmed, and how deep. */
export const ConfirmedTxJson = Type.Union([
  object({ ...transferFields, ...where }),
  object({ ...CoinbaseJson.properties, ...where }),
]);
export type ConfirmedTxJson = Static<typeof ConfirmedTxJson>;

const Reason = object({ code: Type.String(), message: Type.String() });
export const TxView = Type.Union([
  object({ status: Type.Literal('pending'), transaction: TxJson, life: Type.Optional(Life) }),
  object({
    status: Type.Literal('dropped'),
    transaction: TxJson,
    reason: Reason,
    dropped_at_ms: Type.Integer(),
    life: Type.Optional(Life),
  }),
  object({
    status: Type.Literal('confirmed'),
    transaction: TxJson,
    block_hash: Hex64,
    height: Type.Integer(),
    index: Type.Integer(),
    confirmations: Type.Integer(),
    life: Type.Optional(Life),
  }),
]);
export type TxView = Static<typeof TxView>;

export const AccountView = object({
  address: Address,
  balance: Units,
  spendable: Units,
  immature: Units,
  nonce: Units,
  next_nonce: Units,
  pending: Type.Integer({ description: 'transfers from this address in the mempool' }),
  // One set of numbers for the wallet page and `blockyard wallet balance` (issue 15, point 6).
  pending_out: Type.String({
    pattern: '^[0-9]{1,20}$',
    description: 'base units its pending transfers pay out (amounts and fees)',
  }),
  pending_in: Type.String({
    pattern: '^[0-9]{1,20}$',
    description: "base units others' pending transfers will pay it",
  }),
  available: Type.String({
    pattern: '^[0-9]{1,20}$',
    description: 'base units a new transfer can spend now: spendable less pending_out',
  }),
});

export const NodeInfo = object({
  network: Type.String(),
  chain_id: Type.Integer(),
  address_prefix: Type.String(),
  coin_decimals: Type.Integer(),
  coinbase_maturity: Type.Integer(),
  height: Type.Integer(),
  tip_hash: Hex64,
  tip_timestamp_ms: Type.Integer(),
  chain_work: Type.String(),
  bits: Type.Integer(),
  target: Hex64,
  hash_rate: Type.Number(),
  mempool_size: Type.Integer(),
  mempool_bytes: Type.Integer(),
  peer_count: Type.Integer(),
  sync: Type.Union([
    object({
      syncing: Type.Literal(false),
      stalled: Type.Optional(
        object({
          peer: Type.String(),
          code: Type.String(),
          message: Type.String({ description: 'why, for a person' }),
          target_height: Type.Integer({ description: 'the tip of the branch it did not deliver' }),
          at_ms: Type.Integer(),
        }),
      ),
    }),
    object({
      syncing: Type.Literal(true),
      peer: Type.String(),
      height: Type.Integer(),
      target_height: Type.Integer(),
    }),
  ]),
  node_address: Address,
  genesis_hash: Hex64,
  version: Type.String(),
});
export type NodeInfo = Static<typeof NodeInfo>;

export const MinerStatus = object({
  running: Type.Boolean(),
  kernel: Type.String(),
  threads: Type.Integer(),
  hash_rate: Type.Number({ description: 'hashes a second while searching' }),
  blocks_mined: Type.Integer(),
});

// The tutorials' view (src/api/views.ts): their field names, amounts in coins beside base units.
const tutorialTxFields = {
  id: Hex64,
  recipient: Address,
  amount: Type.Number({ description: 'coins' }),
  amount_units: Units,
};
export const TutorialTx = Type.Union([
  object({ sender: Type.Literal('0'), ...tutorialTxFields, type: Type.Literal('coinbase') }),
  object({
    sender: Address,
    ...tutorialTxFields,
    type: Type.Literal('transfer'),
    fee: Type.Number({ description: 'coins' }),
    fee_units: Units,
    nonce: U64Json,
    signature: Type.String(),
  }),
]);
const tutorialBlockFields = {
  index: Type.Integer({ description: 'height + 1: the tutorials count genesis as block 1' }),
  height: Type.Integer(),
  hash: Hex64,
  timestamp: Type.Number({ description: 'seconds' }),
  timestamp_ms: Type.Integer(),
  transactions: Type.Array(TutorialTx),
  proof: U64Json,
  previous_hash: Hex64,
  merkle_root: Hex64,
  bits: Type.Integer(),
  target: Hex64,
};
export const TutorialBlock = object(tutorialBlockFields);
// ---- mining effort (issue 15, point 2): what finding a block took, beside the tutorial's fields ----
const effortFields = {
  tries: Type.Integer({ description: 'nonces hashed to find this block' }),
  elapsed_ms: Type.Number({ description: 'how long the search took' }),
  hash_rate: Type.Number({ description: 'tries a second during this search' }),
  expected_tries: Type.Number({
    description: 'what the target asks on average: 2^256 / (target + 1)',
  }),
  reward: Type.Number({ description: 'coins the coinbase pays: the subsidy plus fees' }),
  reward_units: Units,
  fees: Type.Number({ description: 'coins, the part of the reward paid by transfers' }),
  fees_units: Units,
};
export const MiningReport = object({
  height: Type.Integer(),
  hash: Hex64,
  target: Hex64,
  transactions: Type.Integer(),
  ...effortFields,
});
export const Forged = object({
  message: Type.String(),
  ...tutorialBlockFields,
  ...effortFields,
  blocks: Type.Array(MiningReport, {
    description: 'every block this call mined (one unless ?count=N), oldest first',
  }),
});

export const TreeBlock = object({
  hash: Hex64,
  prev_hash: Hex64,
  height: Type.Integer(),
  main: Type.Boolean(),
  invalid: Type.Boolean(),
  timestamp_ms: Type.Integer(),
  chain_work: Type.String(),
});
export type TreeBlock = Static<typeof TreeBlock>;

export const Found = Type.Union([
  object({
    kind: Type.Literal('block'),
    hash: Hex64,
    height: Type.Integer(),
    main_chain: Type.Boolean(),
  }),
  object({
    kind: Type.Literal('tx'),
    id: Hex64,
    status: Type.Union([
      Type.Literal('pending'),
      Type.Literal('confirmed'),
      Type.Literal('dropped'),
    ]),
  }),
  object({ kind: Type.Literal('address'), address: Address }),
]);
export type Found = Static<typeof Found>;

export const PeerView = object({
  url: Type.String(),
  named: Type.Boolean({ description: 'named by the operator: kept and retried' }),
  state: Type.Union([
    Type.Literal('answering'),
    Type.Literal('not answering'),
    Type.Literal('banned'),
  ]),
  answering: Type.Boolean(),
  failures: Type.Integer({ description: 'calls failed in a row' }),
  node_address: Nullable(Type.String()),
  version: Nullable(
    Type.String({ description: "its last hello's software version: which message forms it gets" }),
  ),
  last_seen_ms: Type.Integer(),
  tip_height: Nullable(Type.Integer()),
  tip_hash: Nullable(Hex64),
  latency_ms: Nullable(Type.Number()),
  score: Type.Number(),
  banned: Type.Boolean(),
  banned_until_ms: Nullable(Type.Integer()),
  ban_reason: Nullable(Type.String()),
  last_error: Nullable(
    object({ code: Type.String(), meaning: Type.String(), at_ms: Type.Integer() }),
  ),
});
export type PeerView = Static<typeof PeerView>;

export const PeerSyncReport = object({
  url: Type.String(),
  ok: Type.Boolean(),
  blocks: Type.Integer(),
  error: Type.Optional(Reason),
});
export type PeerSyncReport = Static<typeof PeerSyncReport>;

/** A peer the operator named, and what became of it (POST /nodes/register). */
export const RegisteredPeer = object({
  url: Type.String(),
  status: StringEnum(['connected', 'retrying', 'banned', 'refused']),
  state: Type.String({ description: 'for a person: "connected", "not answering yet: …"' }),
  error: Type.Optional(Reason),
});

export const Submitted = object({ id: Hex64, status: Type.Literal('pending') });

export { Nullable, object };
