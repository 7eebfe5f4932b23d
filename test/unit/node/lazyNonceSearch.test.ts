/**
 * The mining workers run only while there is mining to do: started once to learn what they are,
 * stopped, started again by a search, and stopped again once searches pause.
 */
import { describe, expect, it } from 'vitest';
import { createInlineNonceSearch } from '../../../src/miner/inlineNonceSearch.js';
import type { NonceSearch } from '../../../src/miner/nonceSearch.js';
import { createLazyNonceSearch } from '../../../src/node/lazyNonceSearch.js';

/** Inline searches that count starts and closes, and announce each close. */
function countingStarts() {
  let starts = 0;
  let closes = 0;
  const closeWaiters: (() => void)[] = [];
  const start = async (): Promise<NonceSearch> => {
    starts++;
    const inner = createInlineNonceSearch();
    return {
      ...inner,
      kernel: 'counted',
      threads: 3,
      async close() {
        closes++;
        await inner.close();
        for (const resolve of closeWaiters.splice(0)) resolve();
      },
    };
  };
  return {
    start,
    counts: () => ({ starts, closes }),
    nextClose: () => new Promise<void>((resolve) => closeWaiters.push(resolve)),
  };
}

const header = new Uint8Array(92);
const easiest = (1n << 256n) - 1n;

describe('createLazyNonceSearch', () => {
  it('learns the kernel at start, then runs workers only while searching', async () => {
    const pool = countingStarts();
    const search = await createLazyNonceSearch(pool.start, 5);
    expect({ kernel: search.kernel, threads: search.threads }).toEqual({
      kernel: 'counted',
      threads: 3,
    });
    expect(pool.counts()).toEqual({ starts: 1, closes: 1 });

    const closed = pool.nextClose();
    expect((await search.search(header, easiest, new AbortController().signal)).nonce).toBe(0n);
    expect(pool.counts()).toEqual({ starts: 2, closes: 1 });
    await closed; // idle: stopped
    expect(pool.counts()).toEqual({ starts: 2, closes: 2 });

    // The next search starts them again; close() stops them for good.
    expect((await search.search(header, easiest, new AbortController().signal)).nonce).toBe(0n);
    expect(pool.counts().starts).toBe(3);
    await search.close();
    expect(pool.counts()).toEqual({ starts: 3, closes: 3 });
  });

  it('keeps one set of workers for searches that overlap', async () => {
    const pool = countingStarts();
    const search = await createLazyNonceSearch(pool.start, 60_000);
    const signal = new AbortController().signal;
    await Promise.all([
      search.search(header, easiest, signal),
      search.search(header, easiest, signal),
    ]);
    expect(pool.counts()).toEqual({ starts: 2, closes: 1 });
    await search.close();
    expect(pool.counts()).toEqual({ starts: 2, closes: 2 });
  });
});
