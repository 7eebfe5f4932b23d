/**
 * A chain for tests of a sync's block download (fetchBodies.ts), which needs only what the
 * download asks of it: it adds whatever it is given, in order, and tells what it was given. The
 * blocks are not checked (their hashes are checked by the download itself).
 */
import type { Chain } from '../../src/chain/chain.js';
import { type Block, ok } from '../../src/core/index.js';

export interface AddingChainHooks {
  /** Blocks it already holds (from another peer), by hash; none if not given. */
  readonly holds?: (hashHex: string) => boolean;
  /** A block handed in to have its signatures checked ahead (Chain.verifyAhead). */
  readonly verifyAhead?: (block: Block) => void;
  /** Runs as each block is added, before it counts as added (a connect taking its time). */
  readonly adding?: (block: Block) => void | Promise<void>;
}

export function addingChain(hooks: AddingChainHooks = {}): Chain {
  let height = 0;
  return {
    get: (hashHex: string) => (hooks.holds?.(hashHex) ? { hashHex } : undefined),
    verifyAhead(block: Block) {
      hooks.verifyAhead?.(block);
    },
    async addBlock(block: Block) {
      await hooks.adding?.(block);
      height = block.header.height;
      return ok({ status: 'connected' });
    },
    commitHeld() {},
    get tip() {
      return { header: { height } };
    },
  } as unknown as Chain;
}
