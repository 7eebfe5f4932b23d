import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { BlockEntry } from '../../chain/blockIndex.js';
import {
  type Block,
  blockFromJson,
  decodeBlock,
  headerToJson,
  parseHex,
  type Result,
} from '../../core/index.js';
import { ApiError, unwrap } from '../apiError.js';
import type { ApiDeps } from '../deps.js';
import { apiBlock } from '../views.js';

const Page = Type.Object(
  {
    before_height: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  },
  { additionalProperties: false },
);
const BlockId = Type.Object({ id: Type.String({ pattern: '^([0-9]{1,10}|[0-9a-fA-F]{64})$' }) });
const SubmitBlock = Type.Union([
  Type.Object(
    { hex: Type.String({ maxLength: 2_100_000, pattern: '^[0-9a-fA-F]*$' }) },
    { additionalProperties: false },
  ),
  // The JSON view; NOTE: never with `hex`, or a bad {hex} would fall through to it unchecked.
  Type.Object({ hex: Type.Optional(Type.Never()) }, { additionalProperties: true }),
]);

export function pageLimit(text: string | undefined, fallback = 20, max = 100): number {
  const n = text === undefined ? fallback : Number(text);
  return Math.max(1, Math.min(max, n));
}

export function registerBlockRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { chain, params, views } = deps;

  const findEntry = (id: string): BlockEntry => {
    const entry =
      id.length === 64 ? chain.index.get(id.toLowerCase()) : chain.index.main[Number(id)];
    if (!entry)
      throw new ApiError(
        'API_NOT_FOUND',
        `no block ${id}; give a height from 0 to ${chain.tip.header.height} or a 64-hex hash`,
      );
    return entry;
  };
  const view = (entry: BlockEntry) => {
    const mainChain = chain.index.isOnMain(entry);
    const confirmations = mainChain ? chain.tip.header.height - entry.header.height + 1 : 0;
    return apiBlock(chain.getBlock(entry), params, {
      confirmations,
      mainChain,
      chainWork: entry.chainWork,
    });
  };

  app.get(
    '/api/blocks',
    { schema: { tags: ['blocks'], summary: 'Main-chain blocks, newest first', querystring: Page } },
    async (request) => {
      const q = request.query as { before_height?: string; limit?: string };
      const limit = pageLimit(q.limit);
      const top = Math.min(
        chain.tip.header.height,
        q.before_height === undefined ? Number.MAX_SAFE_INTEGER : Number(q.before_height) - 1,
      );
      const blocks = [];
      for (let h = top; h >= 0 && blocks.length < limit; h--) {
        const entry = chain.index.main[h]!;
        // PERF: the count comes from the block's stored view: no block decoded per page.
        blocks.push({ ...headerToJson(entry.header), tx_count: views.txCount(entry) });
      }
      const last = blocks[blocks.length - 1];
      return { blocks, next_before_height: last && last.height > 0 ? last.height : null };
    },
  );

  app.get(
    '/api/blocks/:id',
    {
      schema: {
        tags: ['blocks'],
        summary: 'A block by height (main chain) or hash (any branch)',
        params: BlockId,
      },
    },
    async (request) => {
      return view(findEntry((request.params as { id: string }).id));
    },
  );

  app.post(
    '/api/blocks',
    {
      schema: {
        tags: ['blocks'],
        summary: 'Submit a mined block: {hex} of its canonical bytes, or its JSON view',
        body: SubmitBlock,
      },
    },
    async (request) => {
      const body = request.body as { hex?: unknown };
      const parsed: Result<Block> =
        typeof body.hex === 'string'
          ? decodeBlock(parseHex(body.hex) ?? new Uint8Array())
          : blockFromJson(body, params);
      // NOTE: nobody asked for this block: if it would not become the tip, the side-branch policy
      // decides whether it is kept (src/chain/sideBranches.ts).
      const outcome = unwrap(await chain.addBlock(unwrap(parsed), { unrequestedFrom: request.ip }));
      const hash = outcome.status === 'orphan' ? outcome.hashHex : outcome.entry.hashHex;
      return { status: outcome.status, hash, height: chain.tip.header.height };
    },
  );
}
