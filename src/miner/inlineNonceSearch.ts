/**
 * A nonce search on the main thread with node:crypto, in slices that yield to the event loop.
 * Slow (one core, ≈ 1 M hashes/s) but dependency-free: for tests with easy targets and as the
 * last fallback when worker threads cannot start.
 */
import { createHash } from 'node:crypto';
import { HEADER_NONCE_OFFSET } from '../core/index.js';
import type { NonceSearch } from './nonceSearch.js';

const SLICE = 20_000;

export function createInlineNonceSearch(): NonceSearch {
  let hashes = 0;
  let since = performance.now();
  let rate = 0;
  return {
    kernel: 'inline-node-crypto',
    threads: 1,
    async search(header, target, signal) {
      const bytes = Buffer.from(header);
      let tries = 0;
      for (let nonce = 0n; nonce < 1n << 32n; ) {
        if (signal.aborted) return { nonce: null, tries };
        for (let i = 0; i < SLICE; i++, nonce++) {
          bytes.writeBigUInt64BE(nonce, HEADER_NONCE_OFFSET);
          const hash = createHash('sha256')
            .update(createHash('sha256').update(bytes).digest())
            .digest();
          if (BigInt(`0x${hash.toString('hex')}`) <= target) {
            hashes += i + 1;
            return { nonce, tries: tries + i + 1 };
          }
        }
        hashes += SLICE;
        tries += SLICE;
        const now = performance.now();
        if (now - since > 1000) {
          rate = (hashes * 1000) / (now - since);
          hashes = 0;
          since = now;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      return { nonce: null, tries };
    },
    hashRate: () => rate,
    close: async () => {},
  };
}
