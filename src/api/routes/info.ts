import {
  COIN_DECIMALS,
  decodeBits,
  type ErrorCode,
  errorMeanings,
  toHex,
} from '../../core/index.js';
import { penaltyOf } from '../../p2p/penaltyOf.js';
import type { SyncStall } from '../../p2p/syncDriver.js';
import { contract } from '../contract.js';
import type { ApiDeps } from '../deps.js';
import { httpStatus } from '../httpStatus.js';
import { type Api, routeOptions } from '../routeOptions.js';

export function registerInfoRoutes(app: Api, deps: ApiDeps): void {
  const { chain, mempool, miner, params, nodeWallet, network } = deps;

  app.route({
    ...routeOptions(contract.info),
    handler: async () => {
      const tip = chain.tip;
      const status = miner.status();
      return {
        network: params.name,
        chain_id: params.chainId,
        address_prefix: params.addressPrefix,
        coin_decimals: COIN_DECIMALS,
        coinbase_maturity: params.coinbaseMaturity,
        height: tip.header.height,
        tip_hash: tip.hashHex,
        tip_timestamp_ms: tip.header.timestampMs,
        chain_work: `${tip.chainWork}`,
        bits: tip.header.bits,
        target: decodeBits(tip.header.bits).target.toString(16).padStart(64, '0'),
        hash_rate: status.hashRate,
        mempool_size: mempool.size,
        mempool_bytes: mempool.bytes,
        peer_count: network.peers.usable().length,
        sync: network.progress
          ? {
              syncing: true as const,
              peer: network.progress.peer,
              height: network.progress.height,
              target_height: network.progress.targetHeight,
            }
          : { syncing: false as const, ...stalledView(network.stalled) },
        node_address: nodeWallet.address,
        genesis_hash: toHex(chain.main[0]!.hash),
        version: deps.version,
      };
    },
  });

  // The error list /docs links to: the same table as docs/errors.md, served by the node itself.
  const errors = (Object.keys(errorMeanings) as ErrorCode[]).map((code) => ({
    code,
    status: httpStatus[code],
    penalty: penaltyOf(code),
    meaning: errorMeanings[code],
  }));
  app.route({ ...routeOptions(contract.errors), handler: async () => ({ errors }) });

  const minerStatus = () => {
    const s = miner.status();
    return {
      running: s.running,
      kernel: s.kernel,
      threads: s.threads,
      hash_rate: s.hashRate,
      blocks_mined: s.blocksMined,
    };
  };
  app.route({ ...routeOptions(contract.miner), handler: async () => minerStatus() });
  app.route({
    ...routeOptions(contract.minerStart),
    handler: async () => {
      miner.start();
      return minerStatus();
    },
  });
  app.route({
    ...routeOptions(contract.minerStop),
    handler: async () => {
      await miner.stop();
      return minerStatus();
    },
  });
}

/** A sync that ended short of a better branch, as GET /api/info shows it (NodeInfo.sync). */
function stalledView(stall: SyncStall | undefined) {
  return stall
    ? {
        stalled: {
          peer: stall.peer,
          code: stall.code,
          message: stall.message,
          target_height: stall.targetHeight,
          at_ms: stall.atMs,
        },
      }
    : {};
}
