/**
 * What the node's miner (minerService.ts) searches with: worker threads in production
 * (workerNonceSearch.ts), the main thread in tests and as the last fallback
 * (inlineNonceSearch.ts).
 */

/** What one search did: the nonce found (null: its range ran out, or it was aborted) and how many it tried. */
export interface SearchOutcome {
  readonly nonce: bigint | null;
  /** Nonces hashed by this search, all threads. */
  readonly tries: number;
}

/** Searches a 92-byte header's nonces for a hash at or below the target. */
export interface NonceSearch {
  readonly kernel: string;
  readonly threads: number;
  search(header: Uint8Array, target: bigint, signal: AbortSignal): Promise<SearchOutcome>;
  /** Hashes per second over the last few seconds, all threads. */
  hashRate(): number;
  close(): Promise<void>;
}
