/**
 * Median time past: the median of the previous blocks' timestamps (up to 11), the rule Bitcoin
 * has had for block timestamps since its first release (BIP-113 later used the same median for
 * lock times). A block's timestamp must be strictly later, so time on a chain only moves
 * forward, whatever a single miner's clock says.
 */
export function medianTimePast(timestampsMs: readonly number[]): number {
  if (timestampsMs.length === 0) throw new RangeError('median of no timestamps');
  const sorted = [...timestampsMs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
