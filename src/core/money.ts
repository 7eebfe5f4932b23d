/**
 * Money is an integer number of base units (`bigint`); 1 coin = 10^8 base units. Parse and
 * format at the edges only. MAX_MONEY keeps every balance inside a signed 64-bit integer, so a
 * SQLite INTEGER column holds any of them.
 */
export const COIN_DECIMALS = 8;
export const COIN = 10n ** BigInt(COIN_DECIMALS);
export const MAX_MONEY = (1n << 63n) - 1n;

/** "1.5" → 150000000n. Undefined for anything that is not a plain non-negative decimal. */
export function parseCoins(text: string): bigint | undefined {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > COIN_DECIMALS) return undefined;
  const units = BigInt(match[1]!) * COIN + BigInt(fraction.padEnd(COIN_DECIMALS, '0') || '0');
  return units <= MAX_MONEY ? units : undefined;
}

/** 150000000n → "1.5"; 100000000n → "1". */
export function formatCoins(units: bigint): string {
  const sign = units < 0n ? '-' : '';
  const abs = units < 0n ? -units : units;
  const whole = abs / COIN;
  const fraction = (abs % COIN).toString().padStart(COIN_DECIMALS, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}
