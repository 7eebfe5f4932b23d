/**
 * A block built in the browser on top of an edited one, so that the edited block's branch can
 * carry more work than the node's chain: only then does the node connect it and check it in full
 * (balances, the coinbase's limit); before, it keeps it aside as a branch with no more work
 * (docs/protocol.md §Chains and fork choice). Its coinbase pays nothing (a coinbase may pay less
 * than allowed), so the block on top is itself beyond reproach: a refusal is for the edited one.
 */
import { hashHeader } from '../../../../src/core/encoding/header.ts';
import { hashTx } from '../../../../src/core/encoding/tx.ts';
import { BLOCK_VERSION } from '../../../../src/core/genesis.ts';
import { merkleRoot } from '../../../../src/core/merkle.ts';
import type { Block, BlockHeader, Coinbase } from '../../../../src/core/types.ts';

export function blockOnTop(
  parent: BlockHeader,
  payTo: Uint8Array,
  chainId: number,
  nowMs: number,
): Block {
  const height = parent.height + 1;
  const coinbase: Coinbase = { type: 'coinbase', chainId, height, to: payTo, amount: 0n };
  return {
    header: {
      version: BLOCK_VERSION,
      height,
      prevHash: hashHeader(parent),
      merkleRoot: merkleRoot([hashTx(coinbase)]),
      // After its parent (the median time past rule), and never ahead of this clock.
      timestampMs: Math.max(parent.timestampMs + 1, nowMs),
      // NOTE: the parent's target; on a network that retargets at this height the node says so.
      bits: parent.bits,
      nonce: 0n,
    },
    txs: [coinbase],
  };
}

/** How many blocks on top of an edited block at `height` outweigh a chain whose tip is `tip`. */
export function blocksToOutweigh(height: number, tip: number): number {
  return Math.max(1, tip - height + 1);
}
