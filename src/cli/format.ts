/**
 * How the command line shows the node's data. The node speaks base units (decimal strings);
 * people and `--json` output here get coins ("1.5"), the unit they type amounts in.
 */
import type { TxJson } from '../core/index.js';
import { formatCoins } from '../core/index.js';

export const coins = (units: string | bigint): string => formatCoins(BigInt(units));

/** A transaction with its amount (and fee) in coins; every other field as the node gave it. */
export function txInCoins<T extends TxJson>(tx: T): T {
  return tx.type === 'transfer'
    ? { ...tx, amount: coins(tx.amount), fee: coins(tx.fee) }
    : { ...tx, amount: coins(tx.amount) };
}

export type Direction = 'in' | 'out' | 'self' | 'mined';

/** How a transaction moved `address`'s money. */
export function directionOf(tx: TxJson, address: string): Direction {
  if (tx.type === 'coinbase') return 'mined';
  if (tx.from === address) return tx.to === address ? 'self' : 'out';
  return 'in';
}

/** The amount as it changed `address`'s balance, in coins, with its sign. */
export function signedAmount(tx: TxJson, direction: Direction): string {
  if (tx.type === 'coinbase' || direction === 'in') return `+${coins(tx.amount)}`;
  if (direction === 'self') return `-${coins(tx.fee)}`;
  return `-${coins(BigInt(tx.amount) + BigInt(tx.fee))}`;
}

/** Rows as columns padded to their widest cell; the last column is not padded. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      `${indent}${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd(),
    )
    .join('\n');
}

/** "label   value" lines with the labels padded to one width. */
export function fields(pairs: readonly (readonly [string, string])[], indent = '  '): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`).join('\n');
}

export const shortHash = (hex: string): string => `${hex.slice(0, 16)}…`;

/** How long ago `timestampMs` was, roughly, as people say it. */
export function ago(timestampMs: number, nowMs: number): string {
  const s = Math.round((nowMs - timestampMs) / 1000);
  if (s < 0) return `${-s} s in the future`;
  if (s < 120) return `${s} s ago`;
  if (s < 7_200) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3_600)} h ago`;
  return `${Math.round(s / 86_400)} days ago`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
