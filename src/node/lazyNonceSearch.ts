/**
 * A nonce search whose worker threads run only while there is mining to do: started by a search,
 * stopped once none has run for `idleMs`. They are started once when the node starts, to learn
 * the kernel and the thread count it reports (and to fail early), then stopped until needed.
 * PERF: an idle node kept one mining isolate per core: 102 MB resident at idle, ≈ 25 MB of it
 * theirs (2 cores; issue 13 asks for under 80 MB, bench/memory.ts). Restarting them costs the
 * first search after a pause about as long as the node's own start took them.
 */
import type { NonceSearch } from '../miner/index.js';

export const MINER_IDLE_MS = 30_000;

export async function createLazyNonceSearch(
  start: () => Promise<NonceSearch>,
  idleMs = MINER_IDLE_MS,
): Promise<NonceSearch> {
  const first = await start();
  const { kernel, threads } = first;
  await first.close();

  let current: Promise<NonceSearch> | undefined;
  let searching = 0;
  let timer: NodeJS.Timeout | undefined;
  let started: NonceSearch | undefined;

  const stop = async () => {
    const running = current;
    current = undefined;
    started = undefined;
    if (running) await (await running).close();
  };
  const stopWhenIdle = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (searching === 0) void stop();
    }, idleMs);
    timer.unref();
  };

  return {
    kernel,
    threads,
    async search(header, target, signal) {
      searching++;
      clearTimeout(timer);
      try {
        current ??= start();
        started = await current;
        return await started.search(header, target, signal);
      } finally {
        if (--searching === 0) stopWhenIdle();
      }
    },
    hashRate: () => started?.hashRate() ?? 0,
    async close() {
      clearTimeout(timer);
      await stop();
    },
  };
}
