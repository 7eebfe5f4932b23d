/**
 * A nonce search that holds until `release()`, then finds a nonce inline: a test sees a search
 * in progress (the event stream, the Mine page) for as long as it needs, with no timing.
 */
import type { NonceSearch } from '../../src/miner/index.js';
import { createInlineNonceSearch } from '../../src/miner/inlineNonceSearch.js';

export function heldSearch(): { search: NonceSearch; release: () => void } {
  const inline = createInlineNonceSearch();
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const search: NonceSearch = {
    ...inline,
    async search(header, target, signal) {
      await held;
      return inline.search(header, target, signal);
    },
  };
  return { search, release: () => release() };
}
