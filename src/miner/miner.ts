/**
 * The miner's public shape: what createMiner() returns and what a search answers. See
 * createMiner.ts for how it works.
 */
import type { KernelName } from './kernels/hashKernel.js';
import type { KernelChoice, SkippedKernel } from './kernels/loadKernel.js';

export interface MinerOptions {
  /** Worker threads; default one per core. */
  readonly threads?: number;
  /** A kernel to prefer; default 'auto' (the fastest that works). */
  readonly kernel?: KernelChoice;
  /** Target duration of one kernel call, hence the most a worker runs on after an abort. */
  readonly chunkMs?: number;
}

export interface MineOptions {
  readonly signal?: AbortSignal;
  /** The nonces to search, [startNonce, endNonce); default the whole u64 range. */
  readonly startNonce?: bigint;
  readonly endNonce?: bigint;
}

export type MineResult =
  | { readonly status: 'found'; readonly nonce: bigint; readonly hash: Uint8Array }
  /** Every nonce in the range was tried: change the header (its timestamp) and mine again. */
  | { readonly status: 'exhausted' }
  | { readonly status: 'aborted' };

export type MineOutcome = MineResult & {
  /** Nonces hashed for this search, all threads. */
  readonly hashes: number;
  readonly elapsedMs: number;
};

export interface MinerInfo {
  readonly kernel: KernelName;
  readonly skipped: readonly SkippedKernel[];
  readonly threads: number;
}

export interface MinerStats {
  readonly kernel: KernelName | null;
  readonly threads: number;
  readonly mining: boolean;
  readonly totalHashes: number;
  /**
   * Hashes per second while searching, all threads, over the time since the previous stats()
   * call (at least 500 ms before). Idle time does not count: a miner paced to one block a second
   * that finds each in 3 ms still shows the speed it hashes at, not that speed times 0.3%.
   */
  readonly hashesPerSecond: number;
}

export interface Miner {
  readonly threads: number;
  /** Resolves once every worker has loaded its kernel; rejects if one cannot start. */
  ready(): Promise<MinerInfo>;
  /**
   * Searches `header`'s nonces for a hash <= `target`. Searches run one at a time in call order:
   * a later call waits for the earlier ones to end, unless its own signal fires first.
   */
  mine(
    header: Uint8Array,
    target: Uint8Array | bigint,
    options?: MineOptions,
  ): Promise<MineOutcome>;
  stats(): MinerStats;
  close(): Promise<void>;
}
