/**
 * Validates a whole chain given as a list of blocks from genesis, as the tutorials' `valid_chain`
 * does, but with every rule: the same genesis, then validateBlock on each block in turn.
 * Used for chains small enough to hold in memory (tests, tools); a node validates block by block.
 */

import { equalBytes, toHex } from './bytes.js';
import type { SignatureVerifier } from './ed25519.js';
import { hashHeader } from './encoding/header.js';
import { chainWorkAfter } from './forkChoice.js';
import { genesisBlock } from './genesis.js';
import type { NetworkParams } from './params.js';
import { fail, ok, type Result } from './result.js';
import { type Account, applyDiff, mapReader } from './state.js';
import type { Block } from './types.js';
import { validateBlock } from './validateBlock.js';
import { headerContext } from './validateHeader.js';

export interface ChainOutcome {
  readonly accounts: ReadonlyMap<string, Account>;
  readonly tipHash: Uint8Array;
  readonly chainWork: bigint;
}

export function validateChain(
  blocks: readonly Block[],
  params: NetworkParams,
  verify: SignatureVerifier,
  nowMs: number,
): Result<ChainOutcome> {
  const genesis = genesisBlock(params);
  const genesisHash = hashHeader(genesis.header);
  const first = blocks[0];
  if (first === undefined || !equalBytes(hashHeader(first.header), genesisHash)) {
    return fail(
      'CHAIN_BAD_GENESIS',
      `the chain must start at ${params.name}'s genesis ${toHex(genesisHash)}`,
    );
  }
  let accounts = new Map<string, Account>();
  let parentHash = genesisHash;
  let chainWork = chainWorkAfter(0n, genesis.header.bits);
  for (let i = 1; i < blocks.length; i++) {
    const block = blocks[i]!;
    const parent = blocks[i - 1]!;
    const ctx = headerContext(params, parent.header, parentHash, (h) => blocks[h]!.header, nowMs);
    const result = validateBlock(block, { ...ctx, state: mapReader(accounts), verify });
    if (!result.ok) return fail(result.code, `block ${i}: ${result.detail}`);
    accounts = applyDiff(accounts, result.value.diff);
    parentHash = result.value.hash;
    chainWork = chainWorkAfter(chainWork, block.header.bits);
  }
  return ok({ accounts, tipHash: parentHash, chainWork });
}
