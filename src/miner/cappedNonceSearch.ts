/**
 * A nonce search held to a number of hashes per second (the lab's hash-power cap): every tick it
 * hashes as many nonces as the cap allows for the time that passed, with a hash kernel on this
 * thread, and sleeps the rest. Every hash is real proof of work, so a node capped at 30 % of the
 * network's rate finds about 30 % of the blocks, at random times. Without a cap, searches go to
 * the node's ordinary search (worker threads).
 *
 * PERF: a kernel hashes millions a second; a lab cap is thousands, so a capped node spends well
 * under 1 % of a core on its search.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { targetBytes } from './createMiner.js';
import type { HashKernel } from './kernels/hashKernel.js';
import type { NonceSearch, SearchOutcome } from './nonceSearch.js';

const TICK_MS = 25;
/** Allowance saved up while the event loop was busy, at most: a paused node does not burst. */
const MAX_CARRY_MS = 1_000;

export interface CappedNonceSearch extends NonceSearch {
  /** Hashes per second, or null for no cap (the ordinary search). */
  readonly cap: number | null;
  setCap(hashesPerSecond: number | null): void;
}

export function createCappedNonceSearch(
  uncapped: NonceSearch,
  kernel: HashKernel,
  initialCap: number | null,
): CappedNonceSearch {
  let cap = initialCap;
  let hashed = 0;
  let windowStart = performance.now();
  let rate = 0;
  const count = (n: number) => {
    hashed += n;
    const now = performance.now();
    if (now - windowStart >= 1_000) {
      rate = (hashed * 1_000) / (now - windowStart);
      hashed = 0;
      windowStart = now;
    }
  };

  async function cappedSearch(
    header: Uint8Array,
    target: bigint,
    signal: AbortSignal,
  ): Promise<SearchOutcome> {
    const limit = targetBytes(target);
    let nonce = 0n;
    let tries = 0;
    let last = performance.now();
    let allowance = 0;
    while (!signal.aborted && cap !== null) {
      const now = performance.now();
      allowance = Math.min(allowance + ((now - last) * cap) / 1_000, (cap * MAX_CARRY_MS) / 1_000);
      last = now;
      const n = Math.floor(allowance);
      if (n > 0) {
        const result = kernel.search(header, limit, nonce, n);
        count(result.tries);
        tries += result.tries;
        allowance -= result.tries;
        if (result.nonce !== null) return { nonce: result.nonce, tries };
        nonce += BigInt(n);
      }
      await sleep(TICK_MS, undefined, { signal }).catch(() => undefined);
    }
    if (signal.aborted) return { nonce: null, tries };
    // The cap was lifted during the search: go on without it.
    const rest = await uncapped.search(header, target, signal);
    return { nonce: rest.nonce, tries: tries + rest.tries };
  }

  return {
    get kernel() {
      return cap === null ? uncapped.kernel : `${kernel.name} (capped)`;
    },
    get threads() {
      return cap === null ? uncapped.threads : 1;
    },
    get cap() {
      return cap;
    },
    setCap(next) {
      cap = next;
      rate = 0;
    },
    search: (header, target, signal) =>
      cap === null ? uncapped.search(header, target, signal) : cappedSearch(header, target, signal),
    hashRate: () => (cap === null ? uncapped.hashRate() : rate),
    close: () => uncapped.close(),
  };
}
