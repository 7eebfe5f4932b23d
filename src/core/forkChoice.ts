/**
 * Fork choice (CONSENSUS): the chain with the most cumulative work wins, where a block's work is
 * 2^256 / (target + 1) — the expected number of hashes it cost. Length counts for nothing: a
 * peer's claimed `length` is never read. On equal work the tip seen first stays.
 */
import { workFromBits } from './pow.js';

export interface TipCandidate {
  readonly chainWork: bigint;
  /** Order of arrival at this node: lower is earlier. */
  readonly seenOrder: number;
}

export function chainWorkAfter(parentChainWork: bigint, bits: number): bigint {
  return parentChainWork + workFromBits(bits);
}

/** Whether `candidate` should replace `current` as the tip. */
export function isBetterTip(candidate: TipCandidate, current: TipCandidate): boolean {
  if (candidate.chainWork !== current.chainWork) return candidate.chainWork > current.chainWork;
  return candidate.seenOrder < current.seenOrder;
}
