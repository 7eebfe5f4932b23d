/**
 * What the node's miner (minerService.ts) searches with: worker threads in production
 * (workerNonceSearch.ts), the main thread in tests and as the last fallback
 * (inlineNonceSearch.ts).
 */

/** Finds a nonce for a 92-byte header, or null when its range is exhausted or the search aborted. */
export interface NonceSearch {
  readonly kernel: string;
  readonly threads: number;
  search(header: Uint8Array, target: bigint, signal: AbortSignal): Promise<bigint | null>;
  /** Hashes per second over the last few seconds, all threads. */
  hashRate(): number;
  close(): Promise<void>;
}
