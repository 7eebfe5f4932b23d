/**
 * V8's young generation kept at its starting size while the node starts, and let grow again
 * once it has: `blockyard node` only (main.ts, node.ts).
 *
 * PERF: starting a node allocates tens of MB that live on (modules, route schemas), and V8
 * doubles the young generation's semi-spaces at each scavenge that finds much surviving, up to
 * 16 MB each: an idle node kept 32 MB of young generation committed, 18–24 MB of it resident,
 * holding 4–9 MB of objects (v8.getHeapSpaceStatistics, 4 and 25 s after start). With growth
 * held (--semi-space-growth-factor=1, a flag V8 reads each time it would grow) until the node
 * is up, then set back to V8's default (2), an idle `blockyard node` (built, 5 s after start,
 * alternating with `node --semi-space-growth-factor=2`, load 10–17) was 70.5–94.8 MB resident,
 * median 85.3, against 98.0–103.9, median 101.6; once the node works, the young generation grows
 * as before, so intake and sync keep their throughput. NOTE: those medians mostly show when V8's
 * memory reducer ran (bench/memory.ts): with the hold it shrinks the heap 8 s after the start's
 * last mark-compact, without it 24 s after; sampled at a fixed 3 s after start the hold gives
 * 96–97 against 103–107 MB (load 4–6), and once the reducer ran both are 80–85. NOTE: V8 documents
 * changing flags after start as unsupported in general; this one is a plain number read when
 * the heap grows. Left alone when the operator set it (NODE_OPTIONS or node's own flags).
 */
import { setFlagsFromString } from 'node:v8';

const FLAG = '--semi-space-growth-factor';
/** V8's default (node --v8-options). */
const DEFAULT_GROWTH = 2;

/** Holds the young generation's growth; the function returned lets it grow again. */
export function holdYoungGeneration(): () => void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) =>
    a.includes(FLAG.slice(2)),
  );
  if (given) return () => {};
  setFlagsFromString(`${FLAG}=1`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    setFlagsFromString(`${FLAG}=${DEFAULT_GROWTH}`);
  };
}
