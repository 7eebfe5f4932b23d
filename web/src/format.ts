/** How the pages write amounts, hashes and times. Amounts arrive as decimal strings of base units. */
import { formatCoins } from '../../src/core/money.ts';

export function coins(units: string | bigint | undefined): string {
  if (units === undefined) return '—';
  return formatCoins(typeof units === 'bigint' ? units : BigInt(units));
}

/** The first and last characters of a hash or address: enough to tell them apart at a glance. */
export function short(text: string, keep = 8): string {
  return text.length <= keep * 2 + 1 ? text : `${text.slice(0, keep)}…${text.slice(-keep)}`;
}

export function ago(timestampMs: number, nowMs = Date.now()): string {
  const s = Math.max(0, Math.round((nowMs - timestampMs) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

export function dateTime(timestampMs: number): string {
  return new Date(timestampMs).toLocaleString();
}

export { hashRate } from './hashRate.ts';
