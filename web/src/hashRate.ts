/** Hashes a second as a person reads them: 8_634_424 → "8.63 MH/s". No imports: unit-tested. */
export function hashRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} MH/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} kH/s`;
  return `${Math.round(perSecond)} H/s`;
}
