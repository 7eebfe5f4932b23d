/**
 * The HTTP API in one table: every route's method, path, inputs, answers (success and error) and
 * the error codes it may answer with. The server registers its handlers against it (fastify's
 * TypeBox type provider checks each handler's input and answer at compile time), the OpenAPI at
 * /docs is generated from it, and the typed client (client.ts) derives its calls from it, so the
 * CLI and the web read the same types. NOTE: it imports only TypeBox and pure modules, so it
 * bundles into the browser with the client. Peers' messages are src/p2p/messages.ts's schemas.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { type ErrorCode, errorTable } from '../core/errors.js';
import {
  Announce,
  AnnounceReply,
  BlocksPage,
  BlocksQuery,
  HeadersPage,
  HeadersQuery,
  Hello,
  PeerList,
} from '../p2p/messages.js';
import {
  AccountView,
  BlockRow,
  BlockView,
  ConfirmedTxJson,
  ErrorBody,
  Forged,
  Found,
  Hex64,
  MinerStatus,
  NodeInfo,
  Nullable,
  object,
  PeerSyncReport,
  PeerView,
  RegisteredPeer,
  Submitted,
  TreeBlock,
  TutorialBlock,
  TutorialTx,
  TxJson,
  TxView,
} from './schemas.js';

export const MAX_BATCH = 1_000;
export const MAX_TREE_DEPTH = 200;
export const DEFAULT_TREE_DEPTH = 30;
/** Replaced by the node's own address in the OpenAPI, so *Try it out* works as it is. */
export const NODE_ADDRESS_EXAMPLE = '{NODE_ADDRESS}';

// ---- inputs ----
const U64In = Type.Union([Type.String({ maxLength: 30 }), Type.Integer()]);
const transferIn = {
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
const HexBody = (maxLength: number) =>
  object({ hex: Type.String({ maxLength, pattern: '^[0-9a-fA-F]*$' }) });
/** One signed transfer: the JSON view (src/core/json.ts) or {hex} of its canonical bytes. */
const TxBody = Type.Union([HexBody(400), object(transferIn)]);
const coinbaseIn = {
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
const BlockJsonIn = object({
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
const SubmitBlock = Type.Union([HexBody(2_100_000), BlockJsonIn]);
const Coins = Type.Union([Type.String({ maxLength: 40 }), Type.Number()]);
const NewTransaction = Type.Object(
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
const NodeList = Type.Object(
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
const Page = object({
  before_height: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', examples: ['20'] })),
});
const AddressParam = object({
  address: Type.String({ maxLength: 100, examples: [NODE_ADDRESS_EXAMPLE] }),
});
const TxIdParam = object({ id: Type.String({ pattern: '^[0-9a-fA-F]{64}$' }) });

// ---- answers ----
const ResolveAnswer = Type.Union([
  object({
    message: Type.String({ examples: ['Our chain was replaced'] }),
    new_chain: Type.Array(TutorialBlock),
    length: Type.Integer(),
    peers: Type.Array(PeerSyncReport),
  }),
  object({
    message: Type.String({ examples: ['Our chain is authoritative'] }),
    chain: Type.Array(TutorialBlock),
    length: Type.Integer(),
    peers: Type.Array(PeerSyncReport),
  }),
]);
const ErrorList = object({
  errors: Type.Array(
    object({
      code: Type.String(),
      status: Type.Integer(),
      penalty: Type.Integer({ description: 'what a peer that sends it earns; 100 bans' }),
      meaning: Type.String(),
    }),
  ),
});

/** Every code of the table that starts with one of these prefixes. */
const codesWith = (...prefixes: string[]) =>
  (Object.keys(errorTable) as ErrorCode[]).filter((code) =>
    prefixes.some((prefix) => code.startsWith(prefix)),
  );
/** What a transaction offered on its own may fail with. */
const TX_CODES = codesWith('ENCODING_', 'JSON_', 'ADDRESS_', 'TX_', 'MEMPOOL_');
/** What a block may fail with, its transactions included. */
const BLOCK_CODES = codesWith(
  'ENCODING_',
  'JSON_',
  'ADDRESS_',
  'TX_',
  'BLOCK_',
  'POW_',
  'CHAIN_',
  'POLICY_',
);

interface Spec {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly tags: readonly string[];
  readonly summary: string;
  /** Only from this machine, or with the API token (security.ts). */
  readonly operator?: boolean;
  readonly params?: TSchema;
  readonly querystring?: TSchema;
  readonly body?: TSchema;
  /** The success answer(s), by status. */
  readonly ok: Record<number, TSchema>;
  /** The codes the handler itself answers with; input and server failures are added below. */
  readonly errors?: readonly ErrorCode[];
  /**
   * NOTE: answers too big for fast-json-stringify to help (whole chains, block hex) are written
   * with JSON.stringify; the schema still documents and types them, and tests check them.
   */
  readonly large?: boolean;
}

/** Every code a route may answer: its own, plus what its inputs and the server can fail with. */
function codesOf(spec: Spec): ErrorCode[] {
  const codes = new Set<ErrorCode>(spec.errors ?? []);
  if (spec.params || spec.querystring || spec.body) codes.add('API_BAD_REQUEST');
  if (spec.method === 'POST') {
    for (const code of [
      'API_BAD_JSON',
      'API_BODY_TOO_LARGE',
      'API_UNSUPPORTED_MEDIA_TYPE',
    ] as const)
      codes.add(code);
  }
  if (spec.operator) codes.add('API_UNAUTHORIZED');
  codes.add('API_INTERNAL');
  return [...codes];
}

function errorAnswers(codes: readonly ErrorCode[]): Record<number, TSchema> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const { status } = errorTable[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      status,
      Type.Object(ErrorBody.properties, {
        additionalProperties: false,
        description: list.join(', '),
      }),
    ]),
  );
}

type Input<S, K extends string> = S extends Record<K, infer T extends TSchema> ? T : undefined;

function route<const S extends Spec>(spec: S) {
  const codes = codesOf(spec);
  const inputs = { params: spec.params, querystring: spec.querystring, body: spec.body };
  const schema = {
    tags: spec.tags,
    summary: spec.operator ? `${spec.summary} (operator)` : spec.summary,
    ...Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== undefined)),
    response: { ...errorAnswers(codes), ...spec.ok },
  };
  return {
    method: spec.method,
    url: spec.url,
    operator: spec.operator ?? false,
    large: spec.large ?? false,
    codes,
    ok: spec.ok as S['ok'],
    schema: schema as {
      tags: readonly string[];
      summary: string;
      params: Input<S, 'params'>;
      querystring: Input<S, 'querystring'>;
      body: Input<S, 'body'>;
      /** Typed as the success answers: errors are answered by server.ts, not by handlers. */
      response: S['ok'];
    },
  };
}

const tutorial = ['tutorial'];
const p2p = ['peer-to-peer'];

export const contract = {
  // The tutorials' routes (shared/seeds), as thin adapters over the same core.
  chain: route({
    method: 'GET',
    url: '/chain',
    tags: tutorial,
    summary: 'The whole main chain, tutorial style',
    ok: { 200: object({ chain: Type.Array(TutorialBlock), length: Type.Integer() }) },
    large: true,
  }),
  mine: route({
    method: 'GET',
    url: '/mine',
    tags: tutorial,
    summary: "Mine one block now; the reward goes to the node's address",
    operator: true,
    ok: { 200: Forged },
    errors: ['MINER_ABORTED'],
  }),
  minePost: route({
    method: 'POST',
    url: '/mine',
    tags: tutorial,
    summary: "Mine one block now; the reward goes to the node's address",
    operator: true,
    body: NoBody,
    ok: { 200: Forged },
    errors: ['MINER_ABORTED'],
  }),
  newTransaction: route({
    method: 'POST',
    url: '/transactions/new',
    tags: tutorial,
    summary:
      "A signed transfer, or {sender, recipient, amount} in coins from the node's own address (operator)",
    body: NewTransaction,
    ok: {
      201: object({
        message: Type.String(),
        index: Type.Integer({ description: 'the block (counted from 1) it should enter' }),
        id: Hex64,
        transaction: TutorialTx,
      }),
    },
    errors: [...TX_CODES, 'API_UNSIGNED_TRANSACTION', 'API_UNAUTHORIZED'],
  }),
  pendingTutorial: route({
    method: 'GET',
    url: '/transactions/get',
    tags: tutorial,
    summary: 'The pending transactions',
    ok: { 200: object({ transactions: Type.Array(TutorialTx) }) },
  }),
  registerNodes: route({
    method: 'POST',
    url: '/nodes/register',
    tags: tutorial,
    summary: 'Add peers: {nodes: ["host:port", ...]} or the form field nodes=a,b',
    operator: true,
    body: NodeList,
    ok: {
      201: object({
        message: Type.String(),
        total_nodes: Type.Array(Type.String()),
        nodes: Type.Array(RegisteredPeer),
        added: Type.Array(Type.String()),
        failed: Type.Array(
          object({ url: Type.String(), code: Type.String(), message: Type.String() }),
        ),
      }),
    },
    errors: codesWith('P2P_'),
  }),
  removeNodes: route({
    method: 'POST',
    url: '/nodes/remove',
    tags: tutorial,
    summary: 'Forget peers: {nodes: ["host:port", ...]} or the form field nodes=a,b',
    operator: true,
    body: NodeList,
    ok: {
      200: object({
        message: Type.String(),
        removed: Type.Array(Type.String()),
        unknown: Type.Array(Type.String()),
        total_nodes: Type.Array(Type.String()),
      }),
    },
    errors: ['API_NOT_FOUND'],
  }),
  unbanNodes: route({
    method: 'POST',
    url: '/nodes/unban',
    tags: tutorial,
    summary: 'Lift the ban on peers: {nodes: ["host:port", ...]}',
    operator: true,
    body: NodeList,
    ok: {
      200: object({
        message: Type.String(),
        unbanned: Type.Array(Type.String()),
        unknown: Type.Array(Type.String()),
      }),
    },
    errors: ['API_NOT_FOUND'],
  }),
  peers: route({
    method: 'GET',
    url: '/nodes/get',
    tags: tutorial,
    summary: 'The peers, with their state, tip, latency, score and any ban',
    ok: { 200: object({ nodes: Type.Array(Type.String()), peers: Type.Array(PeerView) }) },
  }),
  resolve: route({
    method: 'GET',
    url: '/nodes/resolve',
    tags: tutorial,
    summary: 'Sync from every peer now',
    operator: true,
    ok: { 200: ResolveAnswer },
    large: true,
  }),

  // The node, its blocks, transactions and addresses.
  info: route({
    method: 'GET',
    url: '/api/info',
    tags: ['node'],
    summary: 'The node at a glance',
    ok: { 200: NodeInfo },
  }),
  errors: route({
    method: 'GET',
    url: '/api/errors',
    tags: ['node'],
    summary: 'Every error code: its HTTP status, peer penalty and meaning (as docs/errors.md)',
    ok: { 200: ErrorList },
  }),
  events: route({
    method: 'GET',
    url: '/api/events',
    tags: ['node'],
    summary: 'Server-Sent Events: block, reorg, tx, miner',
    ok: {
      200: Type.String({
        description: 'text/event-stream: `event: <type>` and `data: <JSON>` per event',
      }),
    },
  }),
  miner: route({
    method: 'GET',
    url: '/api/miner',
    tags: ['miner'],
    summary: 'The continuous miner',
    ok: { 200: MinerStatus },
  }),
  minerStart: route({
    method: 'POST',
    url: '/api/miner/start',
    tags: ['miner'],
    summary: 'Start mining continuously',
    operator: true,
    body: NoBody,
    ok: { 200: MinerStatus },
  }),
  minerStop: route({
    method: 'POST',
    url: '/api/miner/stop',
    tags: ['miner'],
    summary: 'Stop the continuous miner',
    operator: true,
    body: NoBody,
    ok: { 200: MinerStatus },
  }),
  blocks: route({
    method: 'GET',
    url: '/api/blocks',
    tags: ['blocks'],
    summary: 'Main-chain blocks, newest first',
    querystring: Page,
    ok: {
      200: object({
        blocks: Type.Array(BlockRow),
        next_before_height: Nullable(Type.Integer()),
      }),
    },
  }),
  block: route({
    method: 'GET',
    url: '/api/blocks/:id',
    tags: ['blocks'],
    summary: 'A block by height (main chain) or hash (any branch)',
    params: object({
      id: Type.String({ pattern: '^([0-9]{1,10}|[0-9a-fA-F]{64})$', examples: ['0'] }),
    }),
    ok: { 200: BlockView },
    errors: ['API_NOT_FOUND'],
    large: true,
  }),
  submitBlock: route({
    method: 'POST',
    url: '/api/blocks',
    tags: ['blocks'],
    summary: 'Submit a mined block: {hex} of its canonical bytes, or its JSON view',
    body: SubmitBlock,
    ok: {
      200: object({
        status: Type.Union([
          Type.Literal('connected'),
          Type.Literal('side'),
          Type.Literal('duplicate'),
        ]),
        hash: Hex64,
        height: Type.Integer({ description: "the block's height" }),
      }),
      202: object({
        status: Type.Literal('orphan'),
        hash: Hex64,
        height: Type.Integer({ description: "the block's height; its parent is unknown here" }),
      }),
    },
    errors: BLOCK_CODES,
  }),
  tree: route({
    method: 'GET',
    url: '/api/tree',
    tags: ['blocks'],
    summary: `The recent block tree: main chain and side branches within depth (1 to ${MAX_TREE_DEPTH}, default ${DEFAULT_TREE_DEPTH}) of the tip`,
    querystring: object({
      depth: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', examples: ['30'] })),
    }),
    ok: {
      200: object({
        tip_height: Type.Integer(),
        tip_hash: Hex64,
        from_height: Type.Integer(),
        blocks: Type.Array(TreeBlock),
        truncated: Type.Boolean({ description: 'side blocks were left out' }),
      }),
    },
  }),
  search: route({
    method: 'GET',
    url: '/api/search',
    tags: ['blocks'],
    summary: 'What a height, hash, transaction id or address is on this node (always 200)',
    querystring: object({ q: Type.String({ minLength: 1, maxLength: 100, examples: ['0'] }) }),
    ok: {
      200: object({
        query: Type.String(),
        found: Type.Array(Found),
        problem: Type.Optional(Type.String()),
      }),
    },
  }),
  submitTx: route({
    method: 'POST',
    url: '/api/tx',
    tags: ['transactions'],
    summary: 'Submit one signed transfer (JSON view or {hex})',
    body: TxBody,
    ok: { 201: Submitted },
    errors: TX_CODES,
  }),
  submitTxs: route({
    method: 'POST',
    url: '/api/tx/batch',
    tags: ['transactions'],
    summary: `Submit up to ${MAX_BATCH} signed transfers; each gets its own result`,
    body: object({ transactions: Type.Array(TxBody, { maxItems: MAX_BATCH }) }),
    ok: {
      200: object({
        accepted: Type.Integer(),
        results: Type.Array(Type.Union([Submitted, ErrorBody])),
      }),
    },
  }),
  tx: route({
    method: 'GET',
    url: '/api/tx/:id',
    tags: ['transactions'],
    summary:
      'A transaction: pending, confirmed with its block, or recently dropped with the reason',
    params: TxIdParam,
    ok: { 200: TxView },
    errors: ['API_NOT_FOUND'],
  }),
  mempool: route({
    method: 'GET',
    url: '/api/mempool',
    tags: ['transactions'],
    summary: 'Pending transfers, highest fee first (at most 500 listed)',
    ok: {
      200: object({
        count: Type.Integer(),
        bytes: Type.Integer(),
        transactions: Type.Array(TxJson),
      }),
    },
  }),
  account: route({
    method: 'GET',
    url: '/api/address/:address',
    tags: ['addresses'],
    summary: 'Balance, spendable balance and nonce of an address',
    params: AddressParam,
    ok: { 200: AccountView },
    errors: ['ADDRESS_MALFORMED', 'ADDRESS_BAD_CHECKSUM', 'ADDRESS_WRONG_NETWORK'],
  }),
  history: route({
    method: 'GET',
    url: '/api/address/:address/history',
    tags: ['addresses'],
    summary: "An address's confirmed transactions, newest first",
    params: AddressParam,
    querystring: Page,
    ok: {
      200: object({ transactions: Type.Array(ConfirmedTxJson), pending: Type.Array(TxJson) }),
    },
    errors: ['ADDRESS_MALFORMED', 'ADDRESS_BAD_CHECKSUM', 'ADDRESS_WRONG_NETWORK'],
  }),

  // What nodes call on each other (docs/protocol.md §Network).
  hello: route({
    method: 'POST',
    url: '/api/p2p/hello',
    tags: p2p,
    summary: 'A node introduces itself; the answer introduces this one',
    body: Hello,
    ok: { 200: Hello },
    errors: codesWith('P2P_'),
  }),
  ping: route({
    method: 'GET',
    url: '/api/p2p/hello',
    tags: p2p,
    summary: "This node's hello, changing nothing: a peer's ping, and how a hello is verified",
    ok: { 200: Hello },
  }),
  p2pPeers: route({
    method: 'GET',
    url: '/api/p2p/peers',
    tags: p2p,
    summary: 'Peers whose own URL answered this node, and still does (peer exchange)',
    ok: { 200: PeerList },
  }),
  p2pHeaders: route({
    method: 'GET',
    url: '/api/p2p/headers',
    tags: p2p,
    summary: 'Main-chain headers after the newest locator hash this node has',
    querystring: HeadersQuery,
    ok: { 200: HeadersPage },
    large: true,
  }),
  p2pBlocks: route({
    method: 'GET',
    url: '/api/p2p/blocks',
    tags: p2p,
    summary: 'Whole blocks by hash, on any branch, in the order asked',
    querystring: BlocksQuery,
    ok: { 200: BlocksPage },
    errors: ['API_NOT_FOUND'],
    large: true,
  }),
  announce: route({
    method: 'POST',
    url: '/api/p2p/announce',
    tags: p2p,
    summary: 'New headers and transactions from a peer',
    body: Announce,
    ok: { 202: AnnounceReply },
    errors: ['P2P_BANNED', ...BLOCK_CODES, ...TX_CODES],
  }),
} as const;

export type Contract = typeof contract;
export type RouteName = keyof Contract;
type Static0<T> = T extends TSchema ? Static<T> : undefined;
export type Params<K extends RouteName> = Static0<Contract[K]['schema']['params']>;
export type Query<K extends RouteName> = Static0<Contract[K]['schema']['querystring']>;
export type Body<K extends RouteName> = Static0<Contract[K]['schema']['body']>;
/** What a route answers when it succeeds. */
export type Answer<K extends RouteName> = {
  [S in keyof Contract[K]['ok']]: Static0<Contract[K]['ok'][S]>;
}[keyof Contract[K]['ok']];
