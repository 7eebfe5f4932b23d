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
 * the new one's. Its two long pauses, timed (the same bench, load 13-17): the branch's check
 * before the switch (its blocks read back, their ids hashed, signatures the mempool knew taken as
 * checked, so no other thread was awaited), 18.7 s without a turn, which now pauses too
 * (ChainMoves.moveTo); and the end: the COMMIT (1.2 s), the WAL checkpoint it makes (250 MB,
 * 2.9 s) and every block's event after it (each read back and decoded, 6.4 s), still one stretch:
 * with the events' turns between them a reader saw the mempool lag the chain (a transfer of the
 * old branch 404 until the `tip` event put it back; servingDuringSwitch.test). The same bench,
 * this build against the one before on one built file, 1 round: longest pause 26.9 s (load 18.8),
 * the end's, against 38.4 s (load 24.2); switch 194 against 261 s, 1,014 against 836 answers.
 * At 300 blocks of 300, 101 deep (300 300 100 100 101 3, load 12-15) the end's stretch was the
 * longest before too: 1.29, 1.35, 1.86 against 1.19, 1.43, 1.53 s (that build also hashed the
 * read-back blocks' ids from their bytes, not kept).
 * NOTE: other steps past 1 s at this scale (load 14): a connect at a copy's height copies the
 * accounts (865,000 rows, 3.6-4.3 s), the copy's restore (1.2 s), the copies deleted with the
 * block at their height taken off (1.2 s); one block's replay or connect is ≈ 0.3-0.5 s.
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
