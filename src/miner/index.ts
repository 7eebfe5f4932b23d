/**
 * The miner: nonce search in worker threads (createMiner), the hash kernels they run
 * (kernels/), the node's NonceSearch on top (createWorkerNonceSearch, or createInlineNonceSearch
 * on the main thread), and the mining loop that uses it (MinerService).
 */
export { createMiner, targetBytes } from './createMiner.js';
export { createInlineNonceSearch } from './inlineNonceSearch.js';
export {
  type HashKernel,
  KERNEL_NAMES,
  type KernelName,
  type SearchResult,
} from './kernels/hashKernel.js';
export {
  isKernelChoice,
  type KernelChoice,
  type LoadedKernel,
  loadAllKernels,
  loadKernel,
  type SkippedKernel,
} from './kernels/loadKernel.js';
export type {
  MineOptions,
  MineOutcome,
  MineResult,
  Miner,
  MinerInfo,
  MinerOptions,
  MinerStats,
} from './miner.js';
export {
  type MinedBlock,
  MinerService,
  type MinerStatus,
  type MiningEffort,
  type MiningProgress,
} from './minerService.js';
export type { NonceSearch, SearchOutcome } from './nonceSearch.js';
export { createWorkerNonceSearch } from './workerNonceSearch.js';
