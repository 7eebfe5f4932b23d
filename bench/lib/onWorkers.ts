/**
 * A bench's check that the signatures it times were checked on the node's worker threads, from
 * src/crypto/signatureWorkers.ts's signaturesOnWorkers (read in the process that verifies).
 * NOTE: a pool whose workers cannot start checks every signature on libuv's threads instead,
 * correctly but more slowly: bench p2p's node measured that fallback for a whole session, its
 * workers dying at start under tsx (5d4833c), and nothing said so.
 */
import { MIN_WORKER_SIGNATURES } from '../../src/chain/verifySignatures.js';
import type { Block } from '../../src/core/index.js';

/** The transfers of `blocks` that a node checks on its workers: those of blocks big enough. */
export function transfersForWorkers(blocks: readonly Block[]): number {
  return blocks
    .filter((block) => block.txs.length > MIN_WORKER_SIGNATURES)
    .reduce((n, block) => n + block.txs.length - 1, 0);
}

/** Throws unless the workers answered for at least `least` signatures of `what`. */
export function assertOnWorkers(what: string, answered: number | undefined, least: number): void {
  if (answered !== undefined && answered >= least) return;
  throw new Error(
    `${what}: the signature workers answered for ${answered ?? 'no'} signatures of at least ${least} that were theirs; the rest were checked elsewhere (libuv's threads, the main thread), so the figures would measure that, not the workers`,
  );
}
