/**
 * The young generation's ceiling kept inside V8's collections, through the native addon
 * kernels/native/youngGeneration.cc (built by `npm run build:native` when a C++ compiler is
 * present): before each collection of the main thread's heap, V8's growth factor set so that no
 * growth passes the cap (youngGeneration.ts holdYoungGeneration). Where the addon is not built, or
 * with BLOCKYARD_YOUNG_CEILING=0, youngGenerationCeiling() is undefined and the policy sets V8's
 * flag from JS alone, read after each task (a gc PerformanceObserver): collections inside one long
 * task grew past the cap.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ADDON_URL = new URL(
  '../../kernels/native/build/Release/youngGeneration.node',
  import.meta.url,
);

export interface YoungGenerationCeiling {
  /**
   * The growth factor the policy wants and the largest semi-space (bytes; 0: none), kept before
   * each collection of the calling thread's heap from now on. True once V8 calls it.
   */
  setGrowth(factor: number, capBytes: number): boolean;
  /**
   * Worker threads created and not yet online (each one's isolate sets V8's factor back to its
   * default as it starts): while some are, the factor is written before every collection, not
   * only when the policy's choice changes (a write costs ≈ 40 µs).
   */
  startingWorkers(count: number): void;
}

/** The addon, loaded once (null: not built, or turned off). */
let addon: YoungGenerationCeiling | null | undefined;

export function youngGenerationCeiling(): YoungGenerationCeiling | undefined {
  if (addon === undefined) {
    try {
      addon =
        process.env.BLOCKYARD_YOUNG_CEILING === '0'
          ? null
          : (createRequire(import.meta.url)(fileURLToPath(ADDON_URL)) as YoungGenerationCeiling);
    } catch {
      addon = null; // not built (no compiler at install): the policy's JS alone
    }
  }
  return addon ?? undefined;
}
