/**
 * The node's NonceSearch (nonceSearch.ts) on the worker pool: `search` answers the
 * nonce, or null when the search was aborted or the whole nonce range is used up (the miner
 * service then rolls the timestamp and searches again).
 *
 *   const search = await createWorkerNonceSearch({ threads: values['miner-threads'] });
 *   search.kernel // 'native-sha-ni', 'wasm-simd128', … — say it in the node's status and logs
 */
import { createMiner } from './createMiner.js';
import type { MinerOptions } from './miner.js';
import type { NonceSearch } from './nonceSearch.js';

/** Starts the workers and waits until they have loaded their kernel; rejects if they cannot. */
export async function createWorkerNonceSearch(options: MinerOptions = {}): Promise<NonceSearch> {
  const miner = createMiner(options);
  const info = await miner.ready().catch(async (error: unknown) => {
    await miner.close();
    throw error;
  });
  return {
    kernel: info.kernel,
    threads: info.threads,
    async search(header, target, signal) {
      const outcome = await miner.mine(header, target, { signal });
      return {
        nonce: outcome.status === 'found' ? outcome.nonce : null,
        tries: outcome.hashes,
      };
    },
    hashRate: () => miner.stats().hashesPerSecond,
    close: () => miner.close(),
  };
}
