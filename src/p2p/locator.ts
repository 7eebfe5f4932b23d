/**
 * Block locators, as Bitcoin's: the hashes of the tip, the 9 blocks below it, then blocks
 * further and further apart (doubling the step), always ending at genesis. A peer finds the
 * newest one it also has on its main chain — the fork point — and sends what follows, so two
 * nodes agree on where they diverge in one round trip, however long their chains.
 */
import type { BlockTreeReader } from '../chain/blockIndex.js';
import { MAX_LOCATOR_HASHES } from './messages.js';

export function blockLocator(index: BlockTreeReader): string[] {
  const hashes: string[] = [];
  let step = 1;
  for (let height = index.tip.header.height; height > 0; height -= step) {
    hashes.push(index.main[height]!.hashHex);
    if (hashes.length >= 10) step *= 2;
    if (hashes.length === MAX_LOCATOR_HASHES - 1) break;
  }
  hashes.push(index.main[0]!.hashHex);
  return hashes;
}

/** The height after the newest locator hash on our main chain (1 if none: after genesis). */
export function forkHeight(index: BlockTreeReader, locator: readonly string[]): number {
  for (const hex of locator) {
    const entry = index.get(hex);
    if (entry && index.isOnMain(entry)) return entry.header.height + 1;
  }
  return 1;
}
