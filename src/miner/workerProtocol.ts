/**
 * What the miner pool (createMiner.ts) and its workers (minerWorker.ts) say to each other.
 *
 * Shared memory, so that neither side waits on the other's event loop:
 *   jobWord  Int32Array(1): the id of the job workers should be working on; 0 = none. A worker
 *            checks it between chunks and drops a job the moment it changes (abort, new template).
 *   hashes   BigInt64Array(threads): nonces each worker has hashed so far (for the hash rate).
 */
import type { KernelName } from './kernels/hashKernel.js';
import type { KernelChoice, SkippedKernel } from './kernels/loadKernel.js';

export interface WorkerSetup {
  readonly index: number;
  readonly kernel: KernelChoice;
  readonly jobWord: SharedArrayBuffer;
  readonly hashes: SharedArrayBuffer;
  /** How long one kernel call should take: the longest a worker keeps going after an abort. */
  readonly chunkMs: number;
  /** Set when running from TypeScript source: the module sourceWorker.mjs imports. */
  readonly entry?: string;
}

/** Search nonces [start, end) of `header` for a hash <= `target`. */
export interface JobMessage {
  readonly type: 'job';
  readonly job: number;
  readonly header: Uint8Array;
  readonly target: Uint8Array;
  readonly start: bigint;
  readonly end: bigint;
}

export type WorkerMessage =
  | {
      readonly type: 'ready';
      readonly kernel: KernelName;
      readonly skipped: readonly SkippedKernel[];
    }
  | {
      readonly type: 'found';
      readonly job: number;
      readonly nonce: bigint;
      readonly hash: Uint8Array;
    }
  /** The worker tried every nonce of its share: the header needs a new timestamp. */
  | { readonly type: 'exhausted'; readonly job: number }
  | { readonly type: 'failed'; readonly message: string };
