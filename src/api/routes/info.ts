import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { COIN_DECIMALS, decodeBits, toHex } from '../../core/index.js';
import type { ApiDeps } from '../deps.js';

/** `curl -X POST …/api/miner/start` sends no body at all: validate it as the empty object. */
export async function noBodyIsEmpty(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

export function registerInfoRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { chain, mempool, miner, params, nodeKey, network } = deps;

  app.get(
    '/api/info',
    { schema: { tags: ['node'], summary: 'The node at a glance' } },
    async () => {
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
              syncing: true,
              peer: network.progress.peer,
              height: network.progress.height,
              target_height: network.progress.targetHeight,
            }
          : { syncing: false },
        node_address: nodeKey.address,
        genesis_hash: toHex(chain.index.main[0]!.hash),
        version: deps.version,
      };
    },
  );

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
  app.get(
    '/api/miner',
    { schema: { tags: ['miner'], summary: 'The continuous miner' } },
    async () => minerStatus(),
  );
  app.post(
    '/api/miner/start',
    {
      config: { operator: true },
      preValidation: noBodyIsEmpty,
      schema: {
        tags: ['miner'],
        summary: 'Start mining continuously (operator)',
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
      },
    },
    async () => {
      miner.start();
      return minerStatus();
    },
  );
  app.post(
    '/api/miner/stop',
    {
      config: { operator: true },
      preValidation: noBodyIsEmpty,
      schema: {
        tags: ['miner'],
        summary: 'Stop the continuous miner (operator)',
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
      },
    },
    async () => {
      await miner.stop();
      return minerStatus();
    },
  );
}
