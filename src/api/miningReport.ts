/**
 * A mined block's effort as the API shows it (issue 15, point 2): tries, time, hash rate, the
 * target and what it asks on average, and the reward, in coins beside base units.
 */
import { formatCoins } from '../core/index.js';
import type { MinedBlock } from '../miner/index.js';

const TWO_256 = 1n << 256n;

/** Tries a target asks on average: 2^256 / (target + 1), as a float (it can pass 2^53). */
export function expectedTries(target: bigint): number {
  return Number(TWO_256 / (target + 1n));
}

export function effortView({ effort }: MinedBlock) {
  const elapsedMs = Math.round(effort.elapsedMs * 1000) / 1000;
  return {
    tries: effort.tries,
    elapsed_ms: elapsedMs,
    hash_rate: elapsedMs > 0 ? (effort.tries * 1000) / elapsedMs : 0,
    expected_tries: expectedTries(effort.target),
    reward: Number(formatCoins(effort.rewardUnits)),
    reward_units: `${effort.rewardUnits}`,
    fees: Number(formatCoins(effort.feesUnits)),
    fees_units: `${effort.feesUnits}`,
  };
}

export function miningReport(mined: MinedBlock) {
  return {
    height: mined.entry.header.height,
    hash: mined.entry.hashHex,
    target: mined.effort.target.toString(16).padStart(64, '0'),
    transactions: mined.block.txs.length,
    ...effortView(mined),
  };
}

/** 1234.5 → "1.23 s", 8.2 → "8.2 ms": for logs and the terminal. */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms >= 10 ? Math.round(ms) : Math.round(ms * 10) / 10} ms`;
}

/** 8_912_345 → "8.91 MH/s". */
export function formatHashRate(perSecond: number): string {
  const units = ['H/s', 'kH/s', 'MH/s', 'GH/s'];
  let value = perSecond;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(2)} ${units[unit]}`;
}
