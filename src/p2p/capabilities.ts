/**
 * What a peer understands, told by the software version in its hello (as Bitcoin gates
 * sendheaders and compact blocks on the protocol version): a peer at or above the version that
 * introduced a capability is sent the new form, an older peer the old one. Every peer message
 * refuses unknown fields and parameters, so nothing new goes to a peer that may not know it.
 * docs/protocol.md §Versions lists what each version added.
 */

/**
 * `GET /api/p2p/blocks` takes `max_bytes` and up to MAX_BLOCKS_PER_CAPPED_REQUEST hashes, and
 * answers the first blocks asked for that fit in it (at least one). Added in 0.2.0.
 */
export const CAPPED_BLOCKS_SINCE = '0.2.0';

/**
 * Whether `version` (MAJOR.MINOR.PATCH, anything after ignored) is at least `since`. Anything
 * that does not start so — an empty string, a name — counts as older than every capability.
 */
export function versionAtLeast(version: string | undefined, since: string): boolean {
  const have = parts(version ?? '');
  const want = parts(since);
  if (!have || !want) return false;
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i]! > want[i]!;
  return true;
}

function parts(version: string): number[] | undefined {
  const match = /^(\d{1,9})\.(\d{1,9})\.(\d{1,9})/.exec(version);
  return match ? match.slice(1, 4).map(Number) : undefined;
}

/** Whether a peer that said `version` in its hello takes `max_bytes` on GET /api/p2p/blocks. */
export function takesCappedBlocks(version: string | undefined): boolean {
  return versionAtLeast(version, CAPPED_BLOCKS_SINCE);
}
