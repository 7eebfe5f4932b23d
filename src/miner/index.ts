/**
 * The miner: nonce search in worker threads (createMiner), the hash kernels they run
 * (kernels/), and the node's NonceSearch on top (createWorkerNonceSearch).
 */
export { createMiner, targetBytes } from './createMiner.js';
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
export { createWorkerNonceSearch, type WorkerNonceSearch } from './workerNonceSearch.js';
