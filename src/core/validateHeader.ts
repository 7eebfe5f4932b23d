/**
 * Contextual header rules: the link to the parent, the target the chain requires (never the one
 * the header declares), and time. The caller derives the context from the parent's branch with
 * headerContext.
 */
import { equalBytes, toHex } from './bytes.js';
import type { NetworkParams } from './params.js';
import { fail, ok, type Result } from './result.js';
import { nextBits } from './retarget.js';
import { medianTimePast } from './time.js';
import type { BlockHeader } from './types.js';

export interface HeaderContext {
  readonly params: NetworkParams;
  readonly parentHash: Uint8Array;
  readonly parentHeight: number;
  /** The bits the chain requires at parentHeight + 1 (see retarget.ts). */
  readonly requiredBits: number;
  readonly medianTimePastMs: number;
  /** The validating node's clock. */
  readonly nowMs: number;
}

/** Builds a HeaderContext from the parent and a lookup of its ancestors on the same branch. */
export function headerContext(
  params: NetworkParams,
  parent: BlockHeader,
  parentHash: Uint8Array,
  ancestorAt: (height: number) => BlockHeader,
  nowMs: number,
): HeaderContext {
  const timestamps: number[] = [];
  for (let h = parent.height; h >= 0 && h > parent.height - params.medianTimeSpan; h--) {
    timestamps.push(h === parent.height ? parent.timestampMs : ancestorAt(h).timestampMs);
  }
  const requiredBits = nextBits(params, {
    height: parent.height + 1,
    parentBits: parent.bits,
    timestampAt: (h) => (h === parent.height ? parent.timestampMs : ancestorAt(h).timestampMs),
  });
  return {
    params,
    parentHash,
    parentHeight: parent.height,
    requiredBits,
    medianTimePastMs: medianTimePast(timestamps),
    nowMs,
  };
}

export function validateHeader(header: BlockHeader, ctx: HeaderContext): Result {
  if (!equalBytes(header.prevHash, ctx.parentHash) || header.height !== ctx.parentHeight + 1) {
    return fail(
      'BLOCK_BAD_PREVIOUS',
      `block ${header.height} on ${toHex(header.prevHash)}; expected block ${ctx.parentHeight + 1} on ${toHex(ctx.parentHash)}`,
    );
  }
  if (header.bits !== ctx.requiredBits) {
    return fail(
      'BLOCK_BAD_TARGET',
      `bits 0x${header.bits.toString(16)}; the chain requires 0x${ctx.requiredBits.toString(16)} at height ${header.height}`,
    );
  }
  if (header.timestampMs <= ctx.medianTimePastMs) {
    return fail(
      'BLOCK_TIME_TOO_OLD',
      `timestamp ${header.timestampMs} is not after the median time past ${ctx.medianTimePastMs}`,
    );
  }
  if (header.timestampMs > ctx.nowMs + ctx.params.maxFutureDriftMs) {
    return fail(
      'BLOCK_TIME_TOO_NEW',
      `timestamp ${header.timestampMs} is more than ${ctx.params.maxFutureDriftMs} ms after this node's clock (${ctx.nowMs})`,
    );
  }
  return ok();
}
