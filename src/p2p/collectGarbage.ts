/**
 * A full garbage collection now, while a sync adds big blocks. What a block's checks leave behind
 * (its hex and decoded objects, held for the seconds its signatures and connect take) outlives
 * V8's young generation, so it is promoted; and V8 starts its first full collection only once the
 * old generation reaches a limit it sizes from its heap limit, itself sized from the machine's
 * memory (here 24 GB), not from what the node keeps.
 *
 * PERF: a fresh node syncing 32 full blocks (1 MB, 6,368 transfers each) from one peer grew to
 * 735 MB resident (heap 366 MB used, then 55 MB after V8's first mark-compact, 43 s in:
 * bench/lib/syncMemory.ts with SYNCMEM_USAGE=1, load 9). Now: batchSizes.ts's BATCH_HEX_CHARS.
 *
 * NOTE: node exposes gc() only with --expose-gc, a flag a node started by `blockyard node` or
 * `npx blockyard` does not have; it is set here at run time and gc() taken from a new context (V8
 * installs it on each new context while the flag is on). The flag stays on while the node runs:
 * V8's flags are the process's, and setting it back off raced a signature worker's context being
 * made on its own thread (src/crypto/sharedBytesCollector.ts, whose pool sets it on too before
 * starting one). Only the code cache's write on the way out sets it off again (src/cli/
 * loadBundle.ts: V8 refuses a cache made under other flags); the gc() held here still collects.
 * The main thread's own context stays without a global gc.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { trimMalloc } from './trimMalloc.js';

let gc: (() => void) | undefined;

/** Runs a full, blocking garbage collection (a mark-compact of the whole heap). */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/**
 * Block bytes a sync adds between two full collections (a full block is 1 MB). PERF: a fresh
 * node syncing 32 full blocks, peak resident memory and CPU a transfer, two runs of each
 * alternated (bench/lib/syncMemory.ts, load 8–12): never 548, 476 MB (172, 173 µs); every 4 MB
 * 318, 330 MB (160, 182 µs); every 2 MB 284, 281 MB (170, 194 µs). Each collection marks the
 * sync's live heap: 72 MB in a heap snapshot 15 s into it, most of it the blocks decoded ahead
 * (106,000 Uint8Arrays, each with its own ArrayBuffer: from, to, signature of ≈ 35,000 transfers).
 * Still paying once blocks came as bytes and were decoded as views (blocksAnswer.ts): peak 296 MB
 * with it against 370 without, main thread CPU a transfer 23 against 21 µs (one run each, load
 * 13–15). NOTE: what V8 leaves is now mostly each block's checks' own garbage, promoted while
 * its signatures are checked; no supported way to ask V8 for a collection was found (node's
 * v8.queryObjects does one, but is experimental and warns).
 */
export const COLLECT_EVERY_BYTES = 2_000_000;
// NOTE: a full block is at most 1,000,000 bytes (maxBlockBytes), so this collects every third
// full block. Every second (1,000,000) did not lower the peak of a fresh node syncing 30 full
// blocks: 169, 177 MB against 173-179, CPU a transfer 186, 174 against 157-182 µs; nor did a
// young-generation collection (gc({ type: 'minor' })) after each big batch's answer, to free its
// socket chunks: 178 against 173 (bench/lib/syncMemoryAlternate.ts, load 12-17).

let since = 0;

/**
 * Counts the bytes of a block just added by a sync (fetchBodies.ts); collects
 * once COLLECT_EVERY_BYTES have been added since the last time. Small blocks add up slowly: a
 * sync of a thousand blocks of 2 KB collects once.
 */
export function blockAdded(bytes: number): void {
  since += bytes;
  if (since < COLLECT_EVERY_BYTES) return;
  since = 0;
  collected = true;
  collectGarbage();
}

/** Whether blockAdded collected since the last downloadEnded. */
let collected = false;

/**
 * A sync's download ended (fetchBodies.ts): if it collected while it added blocks (so added
 * big ones), one more full collection, once the sync's own work is over (a macrotask later).
 * MEMORY: what the last blocks left (up to COLLECT_EVERY_BYTES of blocks' garbage, and the
 * blocks held ahead) stayed in the heap of an idle node, which allocates too little for V8 to
 * collect it. A fresh node syncing 30 full blocks, 12 s after the sync (workers stopped), the
 * code before and this (with 1 block ahead, fetchBodies.ts) alternated twice
 * (bench/lib/syncMemoryAlternate.ts, load 12–17): RSS 163, 166 → 143, 145 MB; heap used 30.8,
 * 30.7 → 19.6, 19.6 MB; ArrayBuffers 5.6 → 0.2 MB. What stays (≈ 145 MB): the node as started
 * (≈ 83 MB, of which 48 MB the binary's and libraries' file pages), V8's heap committed at the
 * sync's size (38–42 MB for 20 used) and what malloc keeps (Node has no malloc_trim).
 */
export function downloadEnded(): void {
  if (!collected) return;
  collected = false;
  since = 0;
  setImmediate(() => {
    collectGarbage();
    setTimeout(trimMalloc, TRIM_AFTER_MS).unref();
  }).unref();
}

/**
 * How long after that collection malloc's free pages are given back (trimMalloc.ts): V8 frees
 * the dead ArrayBuffers' memory on another thread once the collection is done.
 * MEMORY: the ArrayBuffers a sync of big blocks leaves (socket chunks, blocks' bytes) are
 * malloc'd in the main thread's arena, which kept their pages resident once freed. A fresh node
 * syncing 30 full blocks, 12 s after the sync, without and with a trim after each collection,
 * alternated 3 times (bench/lib/syncMemoryAlternate.ts, SYNCMEM_SMAPS=1, load 8-10): RSS 135,
 * 137, 139 -> 104, 108, 105 MB; the main arena 36.7, 33.8, 38.3 -> 7.5, 7.7, 7.5 MB (5-6 as
 * started). The peak during the sync did not move (178, 175, 180 against 177, 176, 177): what
 * the arena holds then is in use (socket chunks and blocks' bytes V8 has not yet found dead).
 * As built (a trim here only), 3 rounds (load 2-5): RSS 129, 141, 141 -> 101, 104, 104 MB; peak
 * 179, 181, 177 against 177, 178, 181; 14,374, 9,250, 10,502 against 9,007, 6,104, 15,249
 * transfers/s, CPU a transfer 112, 151, 118 against 125, 142, 115 us (the sync runs the same
 * code either way until its download ends).
 * NOTE: so only here: a trimmed page malloc'd again is faulted in afresh; 40 MB of buffers
 * freed, trimmed and allocated again cost 150 ms of CPU against 9 untrimmed (node, this VM),
 * ≈ 3.5 ms a MB that a trim every third full block would cost a sync for nothing.
 */
const TRIM_AFTER_MS = 20;
