/**
 * glibc's malloc_trim(0), through the native addon kernels/native/malloc.c (built by `npm run
 * build:native` when a C compiler is present): the malloc arenas' free pages given back to the
 * system. Where the addon is not built, the C library is not glibc, or BLOCKYARD_MALLOC_TRIM=0,
 * nothing is trimmed. And its mallopt(M_ARENA_MAX) for the node's start (limitMallocArenas,
 * src/node/fewMallocArenas.ts).
 *
 * MEMORY: Node's ArrayBuffers (a sync's socket chunks, blocks' bytes), SQLite's page cache and
 * V8's tables are malloc'd in the main thread's arena; what a sync frees there stays resident,
 * free() gives back only the top of a heap, and Node never trims (collectGarbage.ts calls this).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ADDON_URL = new URL('../../kernels/native/build/Release/malloc.node', import.meta.url);

interface MallocAddon {
  trim(): boolean;
  limitArenas?(count: number): boolean;
}

/** The addon, loaded once (null: not built). */
let addon: MallocAddon | null | undefined;

function load(): MallocAddon | null {
  if (addon !== undefined) return addon;
  try {
    addon = createRequire(import.meta.url)(fileURLToPath(ADDON_URL)) as MallocAddon;
  } catch {
    addon = null; // not built (no compiler at install): nothing is trimmed
  }
  return addon;
}

/** Gives malloc's free pages back to the system; false if none were, or it cannot here. */
export function trimMalloc(): boolean {
  if (process.env.BLOCKYARD_MALLOC_TRIM === '0') return false;
  return load()?.trim() ?? false;
}

/**
 * The threads that malloc for the first time from now on share at most `count` of glibc's
 * arenas (mallopt's M_ARENA_MAX; its default is 8 a core): false where the addon is not built or
 * the C library is not glibc, or with BLOCKYARD_MALLOC_ARENAS=0.
 */
export function limitMallocArenas(count: number): boolean {
  if (process.env.BLOCKYARD_MALLOC_ARENAS === '0') return false;
  // ?.(): an addon built before limitArenas existed (not rebuilt since) has trim alone.
  return load()?.limitArenas?.(count) ?? false;
}
