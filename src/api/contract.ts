/**
 * The HTTP API in one table: every route's method, path, inputs, answers (success and error) and
 * the error codes it may answer with. The server registers its handlers against it (fastify's
 * TypeBox type provider checks each handler's input and answer at compile time), the OpenAPI at
 * /docs is generated from it, and the typed client (client.ts) derives its calls from it, so the
 * CLI and the web read the same types. NOTE: it imports only TypeBox and pure modules, so it
 * bundles into the browser with the client. Peers' messages are src/p2p/messages.ts's schemas.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
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

import { explorerRoutes } from './explorerContract.js';
import {
  AddressParam,
  MineQuery,
  NewTransaction,
  NoBody,
  NodeList,
  Page,
  SubmitBlock,
  TxBody,
  TxIdParam,
} from './inputs.js';
import { joinRoutes } from './joinContract.js';
import { labRoutes } from './labContract.js';
import { p2pRoutes } from './peerContract.js';
import { BLOCK_CODES, codesWith, route, TX_CODES } from './route.js';

export { NODE_ADDRESS_EXAMPLE, NoBody } from './inputs.js';

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

const tutorial = ['tutorial'];

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
    summary: "Mine one block now (or ?count=N blocks); the reward goes to the node's address",
    operator: true,
    querystring: MineQuery,
    ok: { 200: Forged },
    errors: ['MINER_ABORTED'],
  }),
  minePost: route({
    method: 'POST',
    url: '/mine',
    tags: tutorial,
    summary: "Mine one block now (or ?count=N blocks); the reward goes to the node's address",
    operator: true,
    querystring: MineQuery,
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
    rare: true,
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
    summary: 'Server-Sent Events: block, reorg, tx, miner, mining (a search in progress), mined',
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
    summary:
      'What a height, hash or transaction id (or a unique prefix of 4+ hex characters), or address is on this node',
    querystring: object({
      q: Type.String({ minLength: 1, maxLength: 100, examples: ['0'] }),
      ambiguous: Type.Optional(
        Type.Literal('list', {
          description:
            'a prefix several share answers 200 with them as `found` and `problem` saying so, instead of 409',
        }),
      ),
    }),
    ok: {
      200: object({
        query: Type.String(),
        found: Type.Array(Found),
        problem: Type.Optional(Type.String()),
      }),
    },
    errors: ['API_AMBIGUOUS_PREFIX'],
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

  // The explorer's: reorganisations, and more (explorerContract.ts).
  ...explorerRoutes,

  // Joining a class: this node's URLs, and its faucet (joinContract.ts).
  ...joinRoutes,

  // What nodes call on each other (peerContract.ts, docs/protocol.md §Network).
  ...p2pRoutes,

  // Only on nodes started with --lab (labContract.ts).
  ...labRoutes,
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
