/**
 * What the main thread and a signature worker send each other (signatureWorkers.ts starts the
 * workers and hands them jobs; signatureWorker.ts is one).
 *
 * Protocol: the main thread posts a WorkerJob (the block's canonical bytes, on a
 * SharedArrayBuffer that every worker of the job reads, and which transactions to check); the
 * worker answers a WorkerAnswer with the ids of those whose signature verifies. SECURITY: an id is
 * the worker's hash of the transaction it verified; callers look their transactions up by the ids
 * they hash themselves, so a worker answer can never vouch for other bytes than it checked.
 * A job of loose transfers (the mempool's) is answered by index instead (checkTransfers): its
 * bytes are a copy the caller made from transfers it holds, in its order, posted as a copy of
 * its own (to one worker, or from SPREAD_TRANSFERS on as a checkAt job on a shared copy), which
 * nothing writes once posted. So is a job of a block's transfers at offsets the caller gives
 * (checkAt), which hashed those bytes itself.
 */

export interface WorkerJob {
  readonly id: number;
  readonly bytes: Uint8Array;
  /** Indexes of the transactions to check; every one if null. Coinbases are skipped. */
  readonly indexes: readonly number[] | null;
  /** Check nothing unless the transactions' merkle root is the header's. */
  readonly checkRoot: boolean;
  /** `bytes` are transfers' encodings one after another (a mempool's), not a block. */
  readonly transfers?: boolean;
  /** Check the 157 bytes at offsets of `bytes`, claimed a part at a time (checkAt), nothing else. */
  readonly claims?: Claims;
}

/**
 * A checkAt job, shared by every worker it is posted to (its arrays are on SharedArrayBuffers):
 * each worker claims the next `part` offsets (Atomics.add on `next`) until none are left, and
 * writes a 1 in `verdicts` at the index of each whose 157 bytes are a transfer whose signature
 * verifies, then adds the part's length to `judged` (after its verdicts). An offset of -1 is
 * never a transfer.
 */
export interface Claims {
  readonly offsets: Int32Array;
  readonly next: Int32Array;
  readonly verdicts: Uint8Array;
  readonly judged: Int32Array;
  readonly part: number;
}

export interface WorkerAnswer {
  readonly id: number;
  /** Ids (hex) of the block's transfers checked whose signature verifies (none for `transfers`). */
  readonly valid: readonly string[];
  /** `transfers` jobs: the indexes of those whose signature verifies. */
  readonly verified?: readonly number[];
  /** `claims` jobs: how many offsets this worker judged (its verdicts are in the job's). */
  readonly judged?: number;
}

/*
 * NOTE: a SharedArrayBuffer ring between the threads (the mempool's transfers written in,
 * Atomics.wait / Atomics.notify, a short spin before a worker sleeps) was measured first, and not
 * built: it saves no wake-up here. On this machine (2 vCPUs) waking a sleeping thread costs the
 * waker ≈ 100 µs of CPU whatever the means: postMessage 85–153 µs median, Atomics.notify to a
 * worker in Atomics.wait 91–131 µs (bench/lib/wakeCost.ts and the same loop with a notify, load
 * 6–13); a notify to a worker in Atomics.waitAsync did not wake it within 5 ms (Node 20); a
 * worker polling with a timed Atomics.wait pays 22 µs a poll every 0.25 ms (6 % of a core while
 * idle). And a spin would not find the next job: under bench intake's single POST /api/tx
 * (16 clients, load 9), a worker's gap between one job's end and the next job's post was
 * 0.6–1.0 ms at p10 and 1.1–3.7 ms at the median (16 gaps of 2,900 under 200 µs): the
 * next job waits for this thread to answer, the clients to send again and this thread to parse.
 * bench intake prints the sleeps a transfer and what they cost.
 *
 * NOTE: a relay wake was measured too, and not built (branch w-single-relay, 9348468): the jobs
 * of one turn dispatched together, those for a sleeping worker sent inside the first worker's
 * job, which posts them on to the other's BroadcastChannel before its own verify (one post from
 * this thread a turn instead of two to sleeping workers). It did relay (a turn of 4 jobs: 2
 * posts, not 4), but single POST /api/tx {hex}, old and new alternated 6 rounds each
 * (bench/lib/intakeAlternate.ts, load 10–14), medians: main thread 89 → 91 µs a transfer, node
 * 279 → 268 µs, 2,605 → 2,356/s; the JSON view (load 16–18) no better. The wake is only moved:
 * the first worker pays it, and this thread is not the limit (its loop 40–55 % busy), the lock
 * step is. A worker spinning before it sleeps was not tried again: the next job comes once this
 * thread has answered the turn's requests and parsed their senders' next ones (the gaps above).
 */
