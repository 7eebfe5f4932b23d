/**
 * A signature worker's full garbage collection, once the blocks shared with it since the last one
 * (their SharedArrayBuffers, a megabyte a full block) add up to COLLECT_EVERY_SHARED_BYTES.
 *
 * A block's bytes reach a worker as a SharedArrayBuffer the main thread made for its job
 * (signatureWorkers.ts); the memory goes only once every thread that saw it has collected its own
 * handle. A worker's handle outlives the job's second of checks, so its young-generation
 * collections promote it, and a worker allocates so little that V8 starts its next full
 * collection only once the external memory it counts has grown by tens of megabytes: a syncing
 * node's ArrayBuffers grew from 12 to 38–47 MB over 32 full blocks, about a megabyte a block.
 *
 * PERF: a fresh node syncing 32 full blocks (bench/lib/syncMemory.ts, side by side with the code
 * before, load 12–13): peak RSS 268 → 253 MB, after the sync 253 → 232, ArrayBuffers flat at
 * 10–29 MB; CPU a transfer 164 → 167 µs (main thread 24, 24): a full collection of a worker's
 * few megabytes of heap, once a block or two, against the block's 0.5 s of checks a worker.
 * NOTE: node gives gc() only with --expose-gc. A worker never sets V8's flags itself: they are the
 * process's, and a worker setting --expose-gc on and off while the main thread did the same for
 * its own gc (src/p2p/collectGarbage.ts) made a syncing node die of "gc is not defined" (one
 * thread's context made just after the other set the flag back). The main thread sets it on before
 * it starts a worker (exposeGcToNewThreads), and nothing sets it off while the node runs: the
 * worker's context then has a global gc from its start. Only the code cache's write on the way
 * out does (src/cli/loadBundle.ts, exposeGcAsStarted), when no worker starts any more; a worker
 * made without one would only skip its collections (`gc?.()`).
 */
import { setFlagsFromString } from 'node:v8';

export const COLLECT_EVERY_SHARED_BYTES = 2_000_000;

/** Counts the bytes of shared jobs; `collect` is the collection (a full one, of this thread). */
export function sharedBytesCollector(
  collect: () => void = fullCollection(),
): (job: Uint8Array) => void {
  let since = 0;
  return (bytes) => {
    if (!(bytes.buffer instanceof SharedArrayBuffer)) return;
    since += bytes.byteLength;
    if (since < COLLECT_EVERY_SHARED_BYTES) return;
    since = 0;
    collect();
  };
}

/** A full collection of this thread: its global gc, if it was started with one; else none. */
function fullCollection(): () => void {
  return () => (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Sets V8's --expose-gc on, for good, so that a thread started after it has a global gc. Called by
 * the main thread only (signatureWorkers.ts, before starting a worker). Contexts made before it,
 * the main thread's included, stay without one.
 */
export function exposeGcToNewThreads(): void {
  setFlagsFromString('--expose-gc');
}
