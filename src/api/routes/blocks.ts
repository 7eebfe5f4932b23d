import type { BlockEntry } from '../../chain/blockIndex.js';
import {
  type Block,
  blockFromJson,
  decodeBlock,
  encodeAddress,
  headerToJson,
  parseHex,
  type Result,
} from '../../core/index.js';
import { ApiError, unwrap } from '../apiError.js';
import { contract } from '../contract.js';
import type { ApiDeps } from '../deps.js';
import { type Api, routeOptions } from '../routeOptions.js';
import { apiBlock } from '../views.js';

export function pageLimit(text: string | undefined, fallback = 20, max = 100): number {
  const n = text === undefined ? fallback : Number(text);
  return Math.max(1, Math.min(max, n));
}

export function registerBlockRoutes(app: Api, deps: ApiDeps): void {
  const { chain, params, views } = deps;

  const findEntry = (id: string): BlockEntry => {
    const entry = id.length === 64 ? chain.get(id.toLowerCase()) : chain.main[Number(id)];
    if (!entry)
      throw new ApiError(
        'API_NOT_FOUND',
        `no block ${id}; give a height from 0 to ${chain.tip.header.height} or a 64-hex hash`,
      );
    return entry;
  };
  const view = (entry: BlockEntry) => {
    const mainChain = chain.isOnMain(entry);
    const confirmations = mainChain ? chain.tip.header.height - entry.header.height + 1 : 0;
    const block = apiBlock(chain.getBlock(entry), params, {
      confirmations,
      mainChain,
      chainWork: entry.chainWork,
    });
    return mainChain ? block : { ...block, stale: staleStory(entry) };
  };
  /** What replaced a block off the main chain: the block at its height, and the reorg, if known. */
  const staleStory = (entry: BlockEntry) => {
    const main = chain.main[entry.header.height];
    const reorg = deps.reorgs.ofBlock(entry.hashHex);
    return {
      replaced_by: main ? { hash: main.hashHex, height: main.header.height } : null,
      reorg: reorg
        ? { seq: reorg.seq, at_ms: reorg.atMs, depth: reorg.depth, new_tip: reorg.newTip.hashHex }
        : null,
    };
  };

  app.route({
    ...routeOptions(contract.blocks),
    handler: async (request) => {
      const q = request.query;
      const limit = pageLimit(q.limit);
      const top = Math.min(
        chain.tip.header.height,
        q.before_height === undefined ? Number.MAX_SAFE_INTEGER : Number(q.before_height) - 1,
      );
      const blocks = [];
      for (let h = top; h >= 0 && blocks.length < limit; h--) {
        const entry = chain.main[h]!;
        // PERF: the count comes from the block's stored view: no block decoded per page.
        const { minedBy, feesUnits } = views.summary(entry);
        blocks.push({
          ...headerToJson(entry.header),
          tx_count: views.txCount(entry),
          mined_by: encodeAddress(minedBy, params.addressPrefix),
          fees: `${feesUnits}`,
        });
      }
      const last = blocks[blocks.length - 1];
      return { blocks, next_before_height: last && last.height > 0 ? last.height : null };
    },
  });

  app.route({
    ...routeOptions(contract.block),
    handler: async (request) => {
      return view(findEntry(request.params.id));
    },
  });

  app.route({
    ...routeOptions(contract.submitBlock),
    handler: async (request, reply) => {
      const body = request.body as { hex?: unknown };
      // PERF: a block sent as hex keeps the bytes it was decoded from, for the chain to hash its
      // ids from and store as they are (BlockOrigin.bytes): it encoded the block again for both,
      // 0.8-2.5 ms of this thread's CPU for a full block (0.1-0.4 us a transfer, of its ≈ 16-19,
      // bench/lib/syncAdd.ts local vs posted; 4 rounds, load 10). Small, and on the block's path.
      // SECURITY: decodeBlock is one-to-one (its tests), so these are encodeBlock(block), and
      // nothing writes them after: they are this request's own copy.
      const bytes = typeof body.hex === 'string' ? parseHex(body.hex) : undefined;
      const parsed: Result<Block> =
        typeof body.hex === 'string'
          ? decodeBlock(bytes ?? new Uint8Array())
          : blockFromJson(body, params);
      const block = unwrap(parsed);
      // NOTE: nobody asked for this block: if it would not become the tip, the side-branch policy
      // decides whether it is kept (src/chain/sideBranches.ts).
      const origin = { unrequestedFrom: request.ip, ...(bytes && { bytes }) };
      const outcome = unwrap(await chain.addBlock(block, origin));
      const height = block.header.height;
      // Kept until its parent arrives: accepted, not yet connected or stored.
      if (outcome.status === 'orphan') {
        reply.code(202);
        return { status: outcome.status, hash: outcome.hashHex, height };
      }
      return { status: outcome.status, hash: outcome.entry.hashHex, height };
    },
  });
}
