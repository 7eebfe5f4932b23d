/**
 * V8's young generation for `blockyard node` (main.ts, nodeCommand.ts): held at its starting size
 * (1 MB semi-spaces) while the node's modules load and it starts, then let grow to
 * STARTED_SEMI_SPACE_MB and no further. Left alone when the operator set the flag (NODE_OPTIONS or
 * node's own flags): `node --semi-space-growth-factor=2 bin/blockyard.js node` lets it grow as V8 would.
 *
 * V8 doubles the semi-spaces at each scavenge that finds much surviving, up to 16 MB each, and
 * keeps them. Its maximum (--max-semi-space-size) is read only when the process starts, where only
 * a second process waiting on the node could set it (Node 20 has no exec), and V8 raises a
 * --semi-space-growth-factor below 2 given at start to 2; set at run time the growth factor holds
 * (1: no growth), and is read each time V8 would grow. So the cap: growth on until the young
 * generation has reached it, then held (checked after each collection, a gc PerformanceObserver).
 *
 * PERF:
 * - Start: an idle `blockyard node` (built, 5 s after start, alternated with
 *   `node --semi-space-growth-factor=2`, load 10–17) was 70.5–94.8 MB resident, median 85.3,
 *   against 98.0–103.9, median 101.6 (then mostly when V8's memory reducer ran: bench/memory.ts).
 * - Sync (bench/lib/syncMemory.ts, 30 full blocks into a fresh compiled node, alternated, load
 *   12–17): peak RSS with growth as V8's after the start 220, 220, 222 MB; held at 1 MB for good
 *   190, 192 (CPU a transfer 148, 151 → 158, 163 µs); capped
 *   at 4 MB (STARTED_SEMI_SPACE_MB) 192, held 194 in the same run, the old code's 222 (CPU a
 *   transfer 157, 147 against 166 µs: the load moved more than the cap). Again once delivered,
 *   load 6–8: 221 → 194 MB, CPU a transfer 181 → 155 µs (main thread 23 → 19), 5,455 → 5,137
 *   transfers/s (one run each; the new one at the higher load). During that sync the main heap
 *   held 47–61 MB committed (85–88 before), the young generation 8 MB (34). RSS as started 93–98 →
 *   80–85 MB. Taken: the cap, as much memory off as the hold for good, with room for what lives
 *   a block long.
 * PERF: regrowth to the cap. V8's memory reducer shrinks the young generation (≈ 16 s after a
 * process falls idle: 1 MB semi-spaces), and held at factor 1 it stayed there for the process's
 * life: bench intake's node took every later round at 1 MB, 434–448 scavenges a round of 16,000
 * single POST /api/tx {hex} (batches of 100 JSON views 332–345 a round of 32,000) against 45–118
 * at the cap. capGrowth sets, once the cap was reached and V8 shrank below it, the factor that
 * takes one growth back to it. V8 still decides when it grows: it regrew within 6–11 scavenges
 * in 9 single {hex} rounds of 17 and declined for the whole round in the others (the same 1 MB and scavenges
 * as before then; more often in the longer rounds, for reasons of V8's not found here).
 * bench/lib/intakeAlternate.ts, old and new alternated (5 runs of 3–4 rounds, load 12–18), single
 * {hex}, node CPU a transfer in the rounds where the old node was at 1 MB and the new one had
 * regrown (54–118 scavenges against 434–452): 291 → 269, 342 → 264, 319 → 294, 287 → 262,
 * 341 → 248, 333 → 312, 297 → 244 µs (main thread 108 → 97, 125 → 98, 133 → 105, 106 → 94,
 * 134 → 94, 135 → 114, 114 → 88 µs); where V8 declined, the same within the noise (medians of 4,
 * 284 and 311 µs, both at 1 MB). Batches of 100 JSON views (4 rounds, load 10–13): regrown in 1
 * round, 189 → 176 µs there, medians 176 → 176 µs: their main thread (31–38 µs a transfer) is
 * not their limit.
 * Start and idle are unchanged: up to the cap as before (V8's doubling), and regrowth only while
 * collections come less than BUSY_COLLECTIONS_MS apart (held at 1 MB otherwise, as before).
 * NOTE: V8 documents changing flags after start as unsupported in general; this one is a plain
 * number read when the heap grows. V8's code cache is refused under other flags than it was made
 * with: nodeCommand.ts sets V8's default back before it writes one.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { youngGenerationCeiling } from './youngGenerationCeiling.js';

const FLAG = '--semi-space-growth-factor';
/** V8's default (node --v8-options). */
const DEFAULT_GROWTH = 2;

/**
 * V8's own growth again (its default factor), as the flags were at start: before a code cache is
 * written (nodeCommand.ts, bench/lib/bundledNode.ts), since V8 refuses a cache made under other
 * flags.
 */
export function growAsV8Would(): void {
  youngGenerationCeiling()?.setGrowth(DEFAULT_GROWTH, 0);
  setFlagsFromString(`${FLAG}=${DEFAULT_GROWTH}`);
}

/** The semi-spaces a started node's young generation may grow to (V8's own maximum: 16). */
export const STARTED_SEMI_SPACE_MB = 4;

/** The young generation's size: its two semi-spaces (node:v8's new_space). */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * The young generation's semi-space size in MB (1, 2, 4, 8 or 16): its allocatable capacity (used
 * and available, ≈ 98 % of a semi-space), rounded. Unlike youngGenerationBytes (committed memory),
 * it does not halve when V8 uncommits the idle semi-space.
 */
export function semiSpaceSizeMb(): number {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return Math.round(((space?.space_used_size ?? 0) + (space?.space_available_size ?? 0)) / 2 ** 20);
}

/**
 * Holds the young generation's growth. The function returned lets it grow again: as V8 would
 * without `semiSpaceMb`; with it, up to that size of semi-spaces and no further, for the
 * process's life (checked after each collection, capGrowth): below it, the next growth V8 decides
 * reaches it at once.
 */
export function holdYoungGeneration(): (semiSpaceMb?: number) => void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) =>
    a.includes(FLAG.slice(2)),
  );
  if (given) return () => {};
  // The cap kept inside V8's collections where the addon is built (youngGenerationCeiling.ts),
  // the policy below choosing the factor; from this thread, after each task, elsewhere.
  const ceiling = youngGenerationCeiling();
  let factor = 1;
  let capBytes = 0;
  const setGrowth = (next: number) => {
    factor = next;
    if (ceiling) ceiling.setGrowth(next, capBytes);
    else setFlagsFromString(`${FLAG}=${next}`);
  };
  setGrowth(1);
  // V8 raises the growth factor to 2, for the whole process, whenever it sets up an isolate's heap
  // (its ConfigureHeap): every worker thread started (signature workers, miners) undid the hold
  // and the cap, and capGrowth, which sets the flag only when its choice changes, never set it
  // again. So it is set again once each worker runs. Bench intake's node (its signature workers
  // stop when idle and start again) reached 16 MB semi-spaces, 4 times the cap, within a round
  // (bench/intake.ts's "young 32 MB"; INTAKE_TRACE_YOUNG=1: 4 → 8 → 16 MB with no capGrowth call
  // after it set 1). PERF: held at the cap, single {hex} costs no more: bench/lib/intakeAlternate.ts
  // 3 rounds, the cap against V8's growth (--semi-space-growth-factor=2; 16 MB), load 21-22:
  // 91-97 against 27-37 scavenges a round, node CPU a transfer 328, 269, 304 against 316, 315,
  // 263 µs. Measured again against the same build without this line (16 rounds alternated, the
  // compiled intake node, 16 clients single POST /api/tx {hex}; 6 rounds of 48,000 at load 3-18,
  // 10 of 16,000 at load 17-25): node CPU a transfer, medians 326 and 313 µs with it against 305
  // and 333 without, lower with it in 11 rounds of 16 (4 without, 1 tie): noise, kept. Without it
  // the node passed the cap in 1 round of 16 (young 32 MB); else both ran at 4 MB semi-spaces.
  // MEMORY: from JS alone (no addon) a sync still passes the cap at times: V8 grows at collections inside one long
  // task, before this thread reads them. BENCH_TRACE_YOUNG=1 (bench/lib/heldYoungGeneration.ts)
  // showed how, 30 full blocks (load 11): V8 shrank the fresh node's semi-spaces 4 -> 1 MB inside
  // a long task, then capGrowth's regrowth factor (4: to the cap in one growth) applied twice in
  // one task, 1 -> 16 MB; the workers had come online at 4 MB. In bench/lib/syncMemoryAlternate.ts
  // 3 of 5 syncs ended with 33.6 MB of new space, with and without this fix, peaks 205-214 MB
  // against 177-179 where held. Regrowth by doubling (branch w-memory-doubling) made it 8-10 MB,
  // not none. The addon (youngGenerationCeiling.ts) sets the factor before each collection, so no
  // growth passes the cap: 1,000,000 objects kept in one task from 1-2 MB semi-spaces end at 4 MB
  // with it, 16 without (youngGeneration.test.ts). A fresh node syncing 30 full blocks, integ
  // against this, alternated (bench/lib/syncMemoryAlternate.ts, 3 rounds, load 10-19): peaks
  // 168, 167, 172 against 166, 175, 168 MB, 2,687, 3,132, 4,129 against 2,471, 3,274, 3,105
  // transfers/s, main thread 23, 22, 21 against 23, 22, 24 µs a transfer; neither passed the cap
  // in those 6 syncs (BENCH_TRACE_YOUNG=1).
  // The addon writes the factor before every collection from a worker's creation until it is
  // online (its isolate set up), where V8 may have raised it unseen.
  let starting = 0;
  process.on('worker', (worker) => {
    ceiling?.startingWorkers(++starting);
    let started = false;
    const online = () => {
      if (started) return;
      started = true;
      ceiling?.startingWorkers(--starting);
      setGrowth(factor);
    };
    worker.once('online', online);
    worker.once('exit', online);
  });
  let watch: PerformanceObserver | undefined;
  return (semiSpaceMb) => {
    watch?.disconnect();
    watch = undefined;
    capBytes = semiSpaceMb === undefined ? 0 : semiSpaceMb * 2 ** 20;
    setGrowth(DEFAULT_GROWTH);
    if (semiSpaceMb === undefined) return;
    const check = capGrowth(semiSpaceMb, semiSpaceSizeMb, setGrowth);
    check();
    watch = new PerformanceObserver(check);
    watch.observe({ entryTypes: ['gc'] });
  };
}

/**
 * Collections closer together than this (ms) mark a busy node (a burst of requests, a sync): the
 * young generation regrows to its cap only then. An idle node's come seconds or minutes apart.
 */
export const BUSY_COLLECTIONS_MS = 1_000;

/**
 * What holdYoungGeneration does after each collection: growth held (factor 1) at `capMb`
 * semi-spaces; below it, V8's default until they first reached the cap (a node's start: as
 * before, so an idle node is as small); after, while the node is busy (a collection within
 * BUSY_COLLECTIONS_MS of the one before, by `clock`), the factor that takes them from their size
 * (`size`, in MB) back to the cap in one growth (V8 multiplies them by it), else held. The flag is
 * set only when that changes.
 *
 * V8 shrinks the young generation to its starting size (1 MB semi-spaces) in its memory reducer's
 * collections, ≈ 16 s after a node falls idle, and grows it only seldom after: at a scavenge that
 * finds as much surviving since its last growth as its size, unless it finds the allocation
 * slow. Held at that size once shrunk (factor 1), a node took every later burst at 1 MB; let grow
 * by V8's doubling, it regrew a step now and then and shrank again between rounds (bench intake,
 * batches of 100 JSON views: 2 MB young generation at each round's end, 335–343 scavenges a round
 * of 32,000 transfers, both ways, load 12–15).
 */
export function capGrowth(
  capMb: number,
  size: () => number,
  setGrowth: (factor: number) => void,
  clock: () => number = () => performance.now(),
): () => void {
  let factor = DEFAULT_GROWTH; // as holdYoungGeneration set it before the first call
  let reached = false;
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const at = clock();
    const busy = at - last < BUSY_COLLECTIONS_MS;
    last = at;
    const semi = Math.max(1, size());
    if (semi >= capMb) reached = true;
    const next =
      semi >= capMb
        ? 1
        : !reached
          ? DEFAULT_GROWTH
          : busy
            ? Math.max(DEFAULT_GROWTH, Math.ceil(capMb / semi))
            : 1;
    if (next !== factor) setGrowth(next);
    factor = next;
  };
}
