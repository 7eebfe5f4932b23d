/**
 * This thread's gc() (a full, blocking collection of its own heap), for a node started without
 * --expose-gc: `blockyard node` and `npx blockyard` have no such flag. V8 installs gc on each new
 * context while the flag is on, so the flag is set at run time, gc taken from a new context, and
 * the flag set back, so that no other code of the process sees a global gc.
 *
 * NOTE: V8's flags are the process's, shared by every thread: a signature worker doing this
 * (sharedBytesCollector.ts) while the main thread does (src/p2p/collectGarbage.ts) could set the
 * flag back between the other's setting it and making its context, whose gc was then missing: a
 * syncing node died of "ReferenceError: gc is not defined" (bench/lib/syncMemory.ts). So a
 * context without gc is tried again; the flag ends off whichever thread goes last.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Tries before giving up (undefined: no collection, nothing else changes). */
const ATTEMPTS = 100;

/** This thread's gc(), or undefined if V8 would not give one. */
export function threadGc(): (() => void) | undefined {
  const given = (globalThis as { gc?: unknown }).gc;
  if (typeof given === 'function') return given as () => void;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('typeof gc === "function" ? gc : undefined') as
      | (() => void)
      | undefined;
    setFlagsFromString('--no-expose-gc');
    if (gc) return gc;
  }
  return undefined;
}
