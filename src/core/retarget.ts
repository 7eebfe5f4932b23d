/**
 * The target a block at `height` must declare (CONSENSUS). A header's bits are never trusted:
 * the chain says what they must be.
 *
 * With `retarget: null` the target is fixed at the genesis bits. Otherwise it changes at every
 * height that is a multiple of the interval, from 2 × interval on (so, with an interval of 2 or
 * more, the genesis timestamp, which is older than the network, is never measured):
 *
 *   window   = the `interval` gaps from block (height - 1 - interval) to block (height - 1)
 *   actual   = their timestamp difference, clamped to [expected / 4, expected × 4]
 *   expected = interval × targetBlockTimeMs
 *   target   = min(powLimit, previous target × actual / expected)   (integer division),
 *              and at least 1
 *
 * and the result is written back as canonical bits, which rounds it down to 3 significant bytes.
 */
import type { NetworkParams } from './params.js';
import { decodeBits, encodeBits } from './pow.js';

export interface RetargetInput {
  /** Height of the block whose bits are being decided. */
  readonly height: number;
  /** Bits of its parent (height - 1). */
  readonly parentBits: number;
  /** Timestamp of the ancestor at a given height on the same branch. */
  readonly timestampAt: (height: number) => number;
}

export function isRetargetHeight(params: NetworkParams, height: number): boolean {
  const rule = params.retarget;
  return rule !== null && height % rule.intervalBlocks === 0 && height >= 2 * rule.intervalBlocks;
}

export function nextBits(params: NetworkParams, input: RetargetInput): number {
  const rule = params.retarget;
  if (rule === null) return params.genesisBits;
  if (input.height <= 0) return params.genesisBits;
  if (!isRetargetHeight(params, input.height)) return input.parentBits;
  const last = input.height - 1;
  const expected = BigInt(rule.intervalBlocks * rule.targetBlockTimeMs);
  let actual = BigInt(input.timestampAt(last) - input.timestampAt(last - rule.intervalBlocks));
  if (actual < expected / 4n) actual = expected / 4n;
  if (actual > expected * 4n) actual = expected * 4n;
  const limit = decodeBits(params.powLimitBits).target;
  let target = (decodeBits(input.parentBits).target * actual) / expected;
  if (target > limit) target = limit;
  if (target < 1n) target = 1n;
  return encodeBits(target);
}
