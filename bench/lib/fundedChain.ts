/**
 * Chains of full blocks for the benchmarks: block 1 pays a funder, block 2 gives each sender
 * enough for `spends` transfers; fullBlock() then appends a block of `perBlock` transfers (by
 * default as many as fit), round robin over the senders. Nothing is validated here: the nodes
 * under test do that.
 */
import {
  type Block,
  maxTransfersPerBlock,
  type NetworkParams,
  type Transfer,
} from '../../src/core/index.js';
import { ChainBuilder } from '../../test/support/chainBuilder.js';
import { type BenchKey, benchKey, signWith } from './ed25519.js';

export interface FundedChain {
  readonly builder: ChainBuilder;
  readonly perBlock: number;
  /** Appends (to builder.blocks) and returns the next block of `perBlock` transfers. */
  fullBlock(): Block;
  /** The next transfer of the round robin, for a mempool (fullBlock goes on after it). */
  nextTransfer(): Transfer;
}

export function fundedChain(
  params: NetworkParams,
  options: { senders: number; spends: number; perBlock?: number },
): FundedChain {
  const { senders: count, spends } = options;
  const perBlock = options.perBlock ?? maxTransfersPerBlock(params.maxBlockBytes);
  const senders = Array.from({ length: count }, (_, i) => benchKey(0xb10c, i));
  const funder = benchKey(0xb10c, 1_000_000);
  const transfer = (from: BenchKey, to: BenchKey, amount: bigint, nonce: bigint): Transfer =>
    signWith(from, {
      type: 'transfer',
      chainId: params.chainId,
      from: from.publicKey,
      to: to.publicKey,
      amount,
      fee: 1n,
      nonce,
    });
  const builder = new ChainBuilder(params);
  builder.mine({ minerKey: funder.publicKey });
  const each = BigInt(2 * Math.ceil(spends / count));
  builder.mine({ transfers: senders.map((s, i) => transfer(funder, s, each, BigInt(i))) });
  const nonces = senders.map(() => 0n);
  let next = 0;
  const nextTransfer = (): Transfer => {
    const tx = transfer(senders[next]!, senders[(next + 1) % count]!, 1n, nonces[next]!);
    nonces[next]!++;
    next = (next + 1) % count;
    return tx;
  };
  return {
    builder,
    perBlock,
    nextTransfer,
    fullBlock(): Block {
      const txs: Transfer[] = [];
      for (let j = 0; j < perBlock; j++) txs.push(nextTransfer());
      const block = builder.next({ transfers: txs });
      builder.blocks.push(block);
      return block;
    },
  };
}
