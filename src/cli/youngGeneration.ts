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
 * NOTE (found by bench intake, not changed here): V8 shrinks the young generation in its memory
 * reducer's collections (≈ 16 s after a process falls idle: 8 → 1 MB), and held at factor 1 it
 * stays small: bench intake's node ran batches of 100 JSON views at 1–2 MB, 167–170 scavenges a
 * round of 16,000 transfers against 45 at 8 MB (a gc PerformanceObserver in the node, load 10).
 * Letting it grow back below the cap (branch w-single-young: a test shows 2 → 8 MB after a
 * shrink) did not move bench intake: the reducer shrank it again within rounds and V8 grows it
 * slowly (334–341 scavenges a round both ways, main thread 41 µs a transfer both). V8's own
 * growth from the start (`--semi-space-growth-factor=2` given, so no hold) did, at memory's
 * price: batches of 100 JSON views alternated 6 rounds (load 11–14), main thread 39 → 29 µs a
 * transfer, node 212 → 173 µs (medians; lower in 5 of 6 rounds).
 * NOTE: V8 documents changing flags after start as unsupported in general; this one is a plain
 * number read when the heap grows. V8's code cache is refused under other flags than it was made
 * with: nodeCommand.ts sets V8's default back before it writes one.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

const FLAG = '--semi-space-growth-factor';
/** V8's default (node --v8-options). */
const DEFAULT_GROWTH = 2;

/**
 * V8's own growth again (its default factor), as the flags were at start: before a code cache is
 * written (nodeCommand.ts, bench/lib/bundledNode.ts), since V8 refuses a cache made under other
 * flags.
 */
export function growAsV8Would(): void {
  setFlagsFromString(`${FLAG}=${DEFAULT_GROWTH}`);
}

/** The semi-spaces a started node's young generation may grow to (V8's own maximum: 16). */
export const STARTED_SEMI_SPACE_MB = 4;

/** The young generation's size: its two semi-spaces (node:v8's new_space). */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * Holds the young generation's growth. The function returned lets it grow again: as V8 would
 * without `semiSpaceMb`; with it, until its semi-spaces have reached that size (V8 doubles them,
 * from 1 MB), then holds it there (checked after each collection).
 */
export function holdYoungGeneration(): (semiSpaceMb?: number) => void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) =>
    a.includes(FLAG.slice(2)),
  );
  if (given) return () => {};
  setFlagsFromString(`${FLAG}=1`);
  let watch: PerformanceObserver | undefined;
  return (semiSpaceMb) => {
    watch?.disconnect();
    watch = undefined;
    growAsV8Would();
    if (semiSpaceMb === undefined) return;
    const cap = 2 * semiSpaceMb * 2 ** 20;
    const holdAtCap = () => {
      if (youngGenerationBytes() < cap) return false;
      setFlagsFromString(`${FLAG}=1`);
      watch?.disconnect();
      watch = undefined;
      return true;
    };
    if (holdAtCap()) return;
    watch = new PerformanceObserver(holdAtCap);
    watch.observe({ entryTypes: ['gc'] });
  };
}
