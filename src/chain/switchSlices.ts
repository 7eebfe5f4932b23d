/**
 * The pauses of a switch of the main chain (ChainMoves.moveTo): its steps (a block taken off,
 * the copy of the accounts restored, a block replayed or connected) run in slices of about
 * `sliceMs`, and between two slices the event loop runs (setImmediate: HTTP answers, peers' pings,
 * the dashboard's stream), while the store's readers still see the chain before the switch
 * (StoreSwitch.isolated).
 *
 * PERF: a switch 289 blocks deep (the first depth past the undo window) of blocks of 1,000
 * transfers, on a chain of 864 (bench/lib/deepSwitchPause.ts 864 1000 288 288 289 1, the 287
 * blocks above the copy at 288 replayed, 290 connected; the old code (integ 71ea43d) twice and
 * this one once, on copies of the same file, load 17–24; an HTTP client on another thread asking
 * the tip every 10 ms): before, the event loop was held for the whole switch, 286.7 and 230.8 s
 * (CPU 36.3 and 37.8 s), 1 answer (the request in flight); now its longest pause is 48.0 s of a
 * 398.4 s switch (CPU 43.1 s, with 857 answers served during it), every answer the old tip's or
 * the new one's. NOTE: one step still holds the loop long: a full block's connect or replay
 * (≈ 80–100 ms of CPU), the copy's restore (one DELETE and one INSERT … SELECT of every account),
 * the COMMIT of the whole switch and, after it, the in-memory moves and events of every block
 * (each read back and decoded); which of them made the 48 s was not measured.
 */

/**
 * The longest the switch runs before the event loop's turn, unless one step takes longer (a full
 * block's connect ≈ 80–100 ms). NOTE: each pause costs a turn of the event loop (what waits in
 * it runs first), a few µs when nothing does: over a switch of 20 ms steps, nothing to count.
 */
export const SWITCH_SLICE_MS = 20;

/** A pause after each step: a turn of the event loop once `sliceMs` have passed since the last. */
export type Pause = () => Promise<void> | undefined;

/** `isolated` false: no pause ever (readers would see the switch half done). */
export function slices(sliceMs: number, isolated: boolean): Pause {
  let since = performance.now();
  return () => {
    if (!isolated || performance.now() - since < sliceMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        since = performance.now();
        resolve();
      }),
    );
  };
}

/** Runs the steps of `steps`, pausing after each; their result. */
export async function runSteps<T>(steps: Generator<void, T>, pause: Pause): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}
