/**
 * glibc's malloc_trim(0), through the native addon kernels/native/malloc.c (built by `npm run
 * build:native` when a C compiler is present): the malloc arenas' free pages given back to the
 * system. Where the addon is not built, the C library is not glibc, or BLOCKYARD_MALLOC_TRIM=0,
 * nothing is trimmed.
 *
 * MEMORY: Node's ArrayBuffers (a sync's socket chunks, blocks' bytes), SQLite's page cache and
 * V8's tables are malloc'd in the main thread's arena; what a sync frees there stays resident,
 * free() gives back only the top of a heap, and Node never trims (collectGarbage.ts calls this).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ADDON_URL = new URL('../../kernels/native/build/Release/malloc.node', import.meta.url);

/** The addon's trim, loaded once (null: not built, or turned off). */
let trim: (() => boolean) | null | undefined;

function load(): (() => boolean) | null {
  if (process.env.BLOCKYARD_MALLOC_TRIM === '0') return null;
  try {
    return (createRequire(import.meta.url)(fileURLToPath(ADDON_URL)) as { trim(): boolean }).trim;
  } catch {
    return null; // not built (no compiler at install): nothing is trimmed
  }
}

/** Gives malloc's free pages back to the system; false if none were, or it cannot here. */
export function trimMalloc(): boolean {
  if (trim === undefined) trim = load();
  return trim?.() ?? false;
}
