/**
 * Median time past: the median of the previous blocks' timestamps (up to 11), as Bitcoin's
 * BIP-113. A block's timestamp must be strictly later, so time on a chain only moves forward,
 * whatever a single miner's clock says.
 */
export function medianTimePast(timestampsMs: readonly number[]): number {
  if (timestampsMs.length === 0) throw new RangeError('median of no timestamps');
  const sorted = [...timestampsMs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
