/**
 * The explorer's routes (issues 14 and 15): the reorganisations' story, and what an explorer
 * reads beyond blocks and transactions. Spread into contract.ts, so they are the contract's like
 * any other route: OpenAPI, docs/api.md's table and the typed client all include them.
 */
import { Type } from '@sinclair/typebox';
import { TxIdParam } from './inputs.js';
import { ReorgJson } from './reorgSchemas.js';
import { route } from './route.js';
import { HeaderJson, Hex64, Nullable, object, TxJson, Units } from './schemas.js';

export const MAX_REORGS_LISTED = 100;
export const MAX_STATS_BLOCKS = 2_000;
/** The transfers of the projected next block that GET /api/next-block lists. */
export const MAX_NEXT_BLOCK_LISTED = 500;

const NextBlock = object({
  height: Type.Integer(),
  parent_hash: Hex64,
  bits: Type.Integer(),
  target: Hex64,
  subsidy: Units,
  fees: Units,
  reward: Units,
  tx_count: Type.Integer({ description: 'transfers in it (the coinbase not counted)' }),
  size_bytes: Type.Integer(),
  max_block_bytes: Type.Integer(),
  pending_count: Type.Integer({ description: 'transfers in the mempool' }),
  transactions: Type.Array(TxJson, {
    description: `its transfers in block order, the first ${MAX_NEXT_BLOCK_LISTED}`,
  }),
});

const ChainStats = object({
  network: Type.String(),
  blocks: Type.Array(
    object({
      height: Type.Integer(),
      hash: Hex64,
      timestamp_ms: Type.Integer(),
      interval_ms: Nullable(Type.Integer({ description: 'since its parent; null for genesis' })),
      bits: Type.Integer(),
      difficulty: Type.Number({ description: "the easiest target allowed / this block's target" }),
      hash_rate: Nullable(
        Type.Number({
          description:
            'hashes a second the network spent, over the 10 blocks up to this one (fewer near genesis, never from it)',
        }),
      ),
    }),
  ),
  retarget: Nullable(
    object({
      interval_blocks: Type.Integer(),
      target_block_time_ms: Type.Integer(),
      next_height: Type.Integer({ description: 'the next height whose target is recomputed' }),
      blocks_left: Type.Integer(),
      window_blocks: Type.Integer({ description: 'blocks of the current window mined so far' }),
      window_elapsed_ms: Type.Integer(),
      expected_ms: Type.Integer({ description: 'what the window should take' }),
      projected_ratio: Nullable(
        Type.Number({
          description:
            'the next target / the current one, if the window goes on at its pace (>1 easier)',
        }),
      ),
    }),
  ),
});

export const explorerRoutes = {
  reorgs: route({
    method: 'GET',
    url: '/api/reorgs',
    tags: ['blocks'],
    summary: `The latest reorganisations, newest first (limit 1 to ${MAX_REORGS_LISTED}, default 20): blocks left behind, transfers returned, re-confirmed and dropped`,
    querystring: object({
      limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', examples: ['20'] })),
    }),
    ok: { 200: object({ reorgs: Type.Array(ReorgJson) }) },
  }),
  nextBlock: route({
    method: 'GET',
    url: '/api/next-block',
    tags: ['blocks'],
    summary:
      "The projected next block: the transfers this node's miner would put in it now (its real template), its fees and reward",
    ok: { 200: NextBlock },
  }),
  txProof: route({
    method: 'GET',
    url: '/api/tx/:id/proof',
    tags: ['transactions'],
    summary:
      "A confirmed transaction's merkle path to its block's merkle root, with the block's header: what a light client checks",
    params: TxIdParam,
    ok: {
      200: object({
        id: Hex64,
        block_hash: Hex64,
        height: Type.Integer(),
        index: Type.Integer(),
        confirmations: Type.Integer(),
        header: HeaderJson,
        header_hex: Type.String({ pattern: '^[0-9a-f]+$', description: 'the canonical header' }),
        path: Type.Array(
          object({
            hash: Hex64,
            side: Type.Union([Type.Literal('left'), Type.Literal('right')], {
              description: 'left: hash(sibling || node); right: hash(node || sibling)',
            }),
          }),
          { description: 'from the leaf up; a level whose last node is carried up has no step' },
        ),
      }),
    },
    errors: ['API_NOT_FOUND'],
  }),
  chainStats: route({
    method: 'GET',
    url: '/api/stats',
    tags: ['blocks'],
    summary: `The latest blocks' intervals, difficulty and estimated hash rate (blocks 2 to ${MAX_STATS_BLOCKS}, default 200), and the progress to the next retarget`,
    querystring: object({
      blocks: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', examples: ['200'] })),
    }),
    ok: { 200: ChainStats },
  }),
} as const;
