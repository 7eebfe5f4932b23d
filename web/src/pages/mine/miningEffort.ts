/** How the Mine page words a block's effort (issue 15, point 2): pure, so it is unit-tested. */
import { hashRate } from '../../hashRate.js';

export interface Effort {
  readonly height: number;
  readonly tries: number;
  readonly elapsed_ms: number;
  readonly hash_rate: number;
  readonly expected_tries: number;
}

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function duration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms >= 10 ? Math.round(ms) : (Math.round(ms * 10) / 10).toString()} ms`;
}

/** "lucky": fewer tries than the target asks on average; the ratio says how far from it. */
export function luck(effort: Effort): string {
  const ratio = effort.tries / effort.expected_tries;
  if (ratio < 0.5) return `lucky: ${ratio.toFixed(2)}× the average`;
  if (ratio > 2) return `unlucky: ${ratio.toFixed(1)}× the average`;
  return `${ratio.toFixed(2)}× the average`;
}

export function effortLine(effort: Effort): string {
  return `${count(effort.tries)} tries in ${duration(effort.elapsed_ms)} (${hashRate(effort.hash_rate)})`;
}

/** How many zero bits a 64-hex target starts with: the tutorials' "0000" is 16. */
export function leadingZeroBits(targetHex: string): number {
  const first = targetHex.search(/[^0]/);
  if (first < 0) return 256;
  return first * 4 + Math.clz32(Number.parseInt(targetHex[first]!, 16)) - 28;
}

export function targetWords(targetHex: string): string {
  return `a hash starting with ${leadingZeroBits(targetHex)} zero bits or more (target ${targetHex.slice(0, 12)}…)`;
}
