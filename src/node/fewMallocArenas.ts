/**
 * glibc's malloc arenas for `blockyard node` (src/cli/nodeCommand.ts, and the benches' nodes:
 * bench/lib/heldYoungGeneration.ts), set as it starts: the threads that malloc after it (the
 * signature workers, libuv's, V8's) share MALLOC_ARENAS arenas instead of one each, up to 8 a core
 * (src/p2p/trimMalloc.ts limitMallocArenas; nothing where the addon is not built or the C
 * library is not glibc, or with BLOCKYARD_MALLOC_ARENAS=0).
 *
 * MEMORY: each thread that mallocs gets an arena of its own (up to 8 a core), and keeps what it
 * freed there: a fresh node syncing 30 full blocks held 12-13 MB in arenas other than the main
 * thread's at its peak. The same build with MALLOC_ARENA_MAX=2 and without, alternated
 * (bench/lib/syncMemoryAlternate.ts, SYNCMEM_SMAPS=1, load 19-29): those arenas 3.6, 4.2, against
 * 12.8 (another round), 10.7, 12.6 MB; peak RSS 175, 167, 165 against 193 (young generation at 16
 * MB semi-spaces), 176, 173 MB; 2,074, 2,140, 1,960 against 1,998, 1,705, 1,813 transfers/s,
 * CPU a transfer 125, 137, 120 against 119, 144, 120 µs. The node cannot set glibc's variable
 * for itself (read at the process's start), so mallopt, as it starts: glibc fixes its limit once
 * a process has more than 8 arenas, and `blockyard node` has 2 then (the main thread's and V8's
 * or libuv's first), so the threads after it share.
 */
import { limitMallocArenas } from '../p2p/trimMalloc.js';

/** The arenas the node's threads share (the main thread's and one more). */
export const MALLOC_ARENAS = 2;

/** Limits the arenas of threads that malloc from now on; false where it cannot. */
export function fewMallocArenas(): boolean {
  return limitMallocArenas(MALLOC_ARENAS);
}
