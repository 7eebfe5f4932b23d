/** How the Tamper page reads what the visitor types: each parser says why it refuses. */
import { encodeAddress, parseAddress } from '../../../../src/core/address.ts';
import { formatCoins, parseCoins } from '../../../../src/core/money.ts';
import type { Parsed } from './EditField.tsx';

const U64_MAX = (1n << 64n) - 1n;

export function parseU64Text(text: string): Parsed<bigint> {
  const t = text.trim();
  if (/^\d{1,20}$/.test(t) && BigInt(t) <= U64_MAX) return { ok: true, value: BigInt(t) };
  return { ok: false, why: 'A whole number from 0 to 18446744073709551615.' };
}

export function parseTimestampText(text: string): Parsed<number> {
  const t = text.trim();
  if (/^\d{1,16}$/.test(t) && Number.isSafeInteger(Number(t)))
    return { ok: true, value: Number(t) };
  return { ok: false, why: 'Milliseconds since 1970: a whole number up to 2^53 - 1.' };
}

export function parseCoinsText(text: string): Parsed<bigint> {
  const units = parseCoins(text);
  if (units !== undefined) return { ok: true, value: units };
  return { ok: false, why: 'An amount of coins such as 2.5, with at most 8 decimals.' };
}

export const formatCoinsText = (units: bigint) => formatCoins(units);

export function addressParser(prefix: string) {
  return (text: string): Parsed<Uint8Array> => {
    const parsed = parseAddress(text, prefix);
    return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, why: parsed.detail };
  };
}

export function addressFormatter(prefix: string) {
  return (key: Uint8Array) => encodeAddress(key, prefix);
}
