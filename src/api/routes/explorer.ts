/**
 * The explorer's reads beyond blocks and transactions: the projected next block (the miner's
 * own template selection, src/core/template.ts) and the chain's statistics for its charts. Both
 * read only what the node holds in memory (the mempool, the block index's headers).
 */
import {
  blockSize,
  blockSubsidy,
  buildBlockTemplate,
  decodeBits,
  encodeHeader,
  fromHex,
  hashTx,
  headerToJson,
  isRetargetHeight,
  merkleProof,
  nextBits,
  toHex,
  txToJson,
  workFromBits,
} from '../../core/index.js';
import { ApiError } from '../apiError.js';
import { contract } from '../contract.js';
import type { ApiDeps } from '../deps.js';
import { MAX_NEXT_BLOCK_LISTED, MAX_STATS_BLOCKS } from '../explorerContract.js';
import { type Api, routeOptions } from '../routeOptions.js';
import { pageLimit } from './blocks.js';

/** Blocks over which a point's hash rate is estimated (fewer near the start). */
const RATE_WINDOW = 10;

export function registerExplorerRoutes(app: Api, deps: ApiDeps): void {
  const { chain, mempool, params } = deps;
  const hex64 = (n: bigint) => n.toString(16).padStart(64, '0');

  app.route({
    ...routeOptions(contract.nextBlock),
    handler: async () => {
      const tip = chain.tip;
      const height = tip.header.height + 1;
      const bits = nextBits(params, {
        height,
        parentBits: tip.header.bits,
        timestampAt: (h) => chain.main[h]!.header.timestampMs,
      });
      const selection = mempool.selectForBlock();
      const subsidy = blockSubsidy(params, height);
      const template = buildBlockTemplate({
        params,
        parentHash: tip.hash,
        height,
        bits,
        timestampMs: deps.now(),
        minerKey: new Uint8Array(32),
        selection,
      });
      return {
        height,
        parent_hash: tip.hashHex,
        bits,
        target: hex64(decodeBits(bits).target),
        subsidy: `${subsidy}`,
        fees: `${selection.fees}`,
        reward: `${subsidy + selection.fees}`,
        tx_count: selection.txs.length,
        size_bytes: blockSize(template),
        max_block_bytes: params.maxBlockBytes,
        pending_count: mempool.size,
        transactions: selection.txs
          .slice(0, MAX_NEXT_BLOCK_LISTED)
          .map((tx) => txToJson(tx, params)),
      };
    },
  });

  app.route({
    ...routeOptions(contract.txProof),
    handler: async (request) => {
      const idHex = request.params.id.toLowerCase();
      const location = chain.getTxLocation(fromHex(idHex));
      const entry = location && chain.main[location.height];
      if (!location || !entry) {
        throw new ApiError(
          'API_NOT_FOUND',
          `transaction ${idHex} is not on this node's main chain (pending or unknown): no proof yet`,
        );
      }
      // NOTE: the block is decoded to hash its transactions: a proof is asked rarely, per transaction.
      const ids = chain.getBlock(entry).txs.map(hashTx);
      return {
        id: idHex,
        block_hash: entry.hashHex,
        height: location.height,
        index: location.index,
        confirmations: chain.tip.header.height - location.height + 1,
        header: headerToJson(entry.header),
        header_hex: toHex(encodeHeader(entry.header)),
        path: merkleProof(ids, location.index).map((s) => ({
          hash: toHex(s.sibling),
          side: s.side,
        })),
      };
    },
  });

  app.route({
    ...routeOptions(contract.chainStats),
    handler: async (request) => {
      const count = Math.max(2, pageLimit(request.query.blocks, 200, MAX_STATS_BLOCKS));
      const main = chain.main;
      const from = Math.max(0, main.length - count);
      const easiest = decodeBits(params.powLimitBits).target;
      const blocks = [];
      for (let h = from; h < main.length; h++) {
        const entry = main[h]!;
        const parent = main[h - 1];
        // NOTE: never measured from genesis, whose timestamp is fixed long before the network.
        const back = h >= 2 ? main[Math.max(1, h - RATE_WINDOW)] : undefined;
        let hashRate: number | null = null;
        if (back) {
          let work = 0n;
          for (let k = h; k > back.header.height; k--) work += workFromBits(main[k]!.header.bits);
          const spanMs = entry.header.timestampMs - back.header.timestampMs;
          hashRate = spanMs > 0 ? (Number(work) * 1000) / spanMs : null;
        }
        blocks.push({
          height: h,
          hash: entry.hashHex,
          timestamp_ms: entry.header.timestampMs,
          interval_ms: parent ? entry.header.timestampMs - parent.header.timestampMs : null,
          bits: entry.header.bits,
          difficulty: Number(easiest) / Number(decodeBits(entry.header.bits).target),
          hash_rate: hashRate,
        });
      }
      return { network: params.name, blocks, retarget: retargetProgress() };
    },
  });

  /** Where the current retarget window stands, and the target it points to (retarget.ts). */
  const retargetProgress = () => {
    const rule = params.retarget;
    if (rule === null) return null;
    const tipHeight = chain.tip.header.height;
    let next = (Math.floor(tipHeight / rule.intervalBlocks) + 1) * rule.intervalBlocks;
    while (!isRetargetHeight(params, next)) next += rule.intervalBlocks;
    // The window measured at `next`: from block next - 1 - interval to block next - 1.
    const start = chain.main[Math.max(0, next - 1 - rule.intervalBlocks)]!;
    const windowBlocks = tipHeight - start.header.height;
    const elapsedMs = chain.tip.header.timestampMs - start.header.timestampMs;
    const expectedMs = rule.intervalBlocks * rule.targetBlockTimeMs;
    const pace = windowBlocks > 0 ? (elapsedMs / windowBlocks) * rule.intervalBlocks : null;
    const clamp = (r: number) => Math.min(4, Math.max(0.25, r));
    return {
      interval_blocks: rule.intervalBlocks,
      target_block_time_ms: rule.targetBlockTimeMs,
      next_height: next,
      blocks_left: next - tipHeight,
      window_blocks: windowBlocks,
      window_elapsed_ms: elapsedMs,
      expected_ms: expectedMs,
      projected_ratio: pace === null ? null : clamp(pace / expectedMs),
    };
  };
}
