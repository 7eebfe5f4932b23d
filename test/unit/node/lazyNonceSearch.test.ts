/**
 * The mining workers run only while there is mining to do: never started by the node's start (it
 * reports the planned kernel and threads), started by a search, stopped again once searches pause.
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

const plan = { kernel: 'planned', threads: 2 };
const header = new Uint8Array(92);
const easiest = (1n << 256n) - 1n;

describe('createLazyNonceSearch', () => {
  it('starts no workers until a search, then says what ran and stops them when idle', async () => {
    const pool = countingStarts();
    const search = createLazyNonceSearch(pool.start, plan, 5);
    expect({ kernel: search.kernel, threads: search.threads }).toEqual(plan);
    expect(pool.counts()).toEqual({ starts: 0, closes: 0 });

    const closed = pool.nextClose();
    expect((await search.search(header, easiest, new AbortController().signal)).nonce).toBe(0n);
    expect(pool.counts()).toEqual({ starts: 1, closes: 0 });
    // What the started workers report (here not the plan: a fallback would differ the same way).
    expect({ kernel: search.kernel, threads: search.threads }).toEqual({
      kernel: 'counted',
      threads: 3,
    });
    await closed; // idle: stopped
    expect(pool.counts()).toEqual({ starts: 1, closes: 1 });

    // The next search starts them again; close() stops them for good.
    expect((await search.search(header, easiest, new AbortController().signal)).nonce).toBe(0n);
    expect(pool.counts().starts).toBe(2);
    await search.close();
    expect(pool.counts()).toEqual({ starts: 2, closes: 2 });
  });

  it('closes cleanly when it never searched', async () => {
    const pool = countingStarts();
    await createLazyNonceSearch(pool.start, plan).close();
    expect(pool.counts()).toEqual({ starts: 0, closes: 0 });
  });

  it('keeps one set of workers for searches that overlap', async () => {
    const pool = countingStarts();
    const search = createLazyNonceSearch(pool.start, plan, 60_000);
    const signal = new AbortController().signal;
    await Promise.all([
      search.search(header, easiest, signal),
      search.search(header, easiest, signal),
    ]);
    expect(pool.counts()).toEqual({ starts: 1, closes: 0 });
    await search.close();
    expect(pool.counts()).toEqual({ starts: 1, closes: 1 });
  });
});
