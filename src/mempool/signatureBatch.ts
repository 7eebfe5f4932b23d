/**
 * The mempool's signature checks, gathered: transfers offered together (the requests read in one
 * poll, a batch's hundred) go to the verifier's worker threads in a few jobs, instead of one
 * libuv thread-pool job each.
 *
 * PERF (node --cpu-prof on bench/intake.ts's node, load 2–7): node:crypto's async verify cost the
 * main thread 131 µs per single POST /api/tx and 42 µs per transfer of a batch (verifyOneShot's
 * self time, 13.6 % of that thread): each job wakes a pool thread, which on 2 busy cores takes
 * the core from the main thread. One job per turn wakes each worker once; the workers verify
 * synchronously, ≈ 15 % faster than the pool (signatureWorkers.ts). Measured as the main
 * thread's own CPU per accepted transfer (bench intake's "main CPU", load 6–7): single POST
 * {hex} 313 → 266 µs, JSON view 361 → 319 µs; batches of 100 {hex} 101 → 79 µs, JSON 131 → 99 µs.
 *
 * PERF: a turn's transfers are shared among the workers with room, not sent as one job. A job
 * of fewer than SPREAD_TRANSFERS goes to one worker, and single POST /api/tx fell into lock-step
 * rounds: the 16 clients' requests parsed, all 16 in one job on one worker (the other idle), all
 * 16 answered. A timeline of bench intake's node (each request's and each job's times; 3 × 16 ×
 * 800 single {hex} requests, old and new alternated, load 8–10) showed it: jobs of 16 the
 * commonest, 10.3 transfers a job, one worker doing 83 % of the verifying; now jobs of 8, 7.1 a
 * job, shared 54/46. Rate, node CPU and main-thread CPU a transfer, old → new, by round:
 * 3,081 → 3,797/s, 280 → 257 µs, 88 → 81 µs; 4,436 → 4,889/s, 233 → 230 µs, 77 → 76 µs;
 * 4,239 → 4,200/s, 238 → 209 µs, 77 → 68 µs (bench/lib/intakeAlternate.ts). Batches ({hex},
 * 3 rounds, load 11–12): 3,058 → 3,367/s (medians), node CPU 155 → 160 µs: unchanged.
 *
 * NOTE: also sending a job as soon as MIN_JOB transfers waited, mid-turn (verifying while the
 * rest of the poll's requests are parsed), was tried: jobs of 6.4, the same split, but 7–21 µs
 * more main-thread CPU a transfer in each of 3 rounds (88–105 against 74–84 µs) and no faster.
 * Holding what came while every worker was full until an answer made batches 15–25 % slower
 * (their next job waited for this thread); what comes then goes as one job, to their queue.
 *
 * While the workers are stopped (they stop when idle, to save memory) a lone transfer still goes
 * to the thread pool; they start once START_WORKERS_AT signatures wait at once.
 */
import { availableParallelism } from 'node:os';
import { TRANSFER_SIZE, type Transfer, txSigningBytes } from '../core/index.js';
import type { NodeVerifier } from '../crypto/nodeEd25519.js';
import { SPREAD_TRANSFERS } from '../crypto/signatureWorkers.js';

/** Signatures waiting at once (gathered now, or still on the pool) that start the workers. */
export const START_WORKERS_AT = 8;

/** A transfer to check, with its canonical encoding (encodeTx). */
export interface Signed {
  readonly tx: Transfer;
  readonly bytes: Uint8Array;
}

/** Transfers offered together (one, or a batch's), answered together. */
interface Waiting {
  readonly items: readonly Signed[];
  readonly resolve: (valid: boolean[]) => void;
}

/**
 * The least share of a turn's transfers that makes a job of its own.
 *
 * PERF: 8 → 4. A turn of the 16 clients' single POST /api/tx went as 2 jobs of 8, one a worker,
 * answered at about the same moment: every client was answered at once, sent again at once, and
 * the workers slept while this thread parsed the next round (lock-step, the cores ≈ 30 % idle on
 * a quiet machine). As 4 jobs of 4, two a worker (the second in its queue), the first answers
 * come half-way: their clients' next requests are parsed while the workers verify the rest.
 * bench/lib/intakeAlternate.ts, 6 rounds each, old and new alternated, medians: single {hex}
 * (load 6–10) 3,326 → 4,238/s, node CPU a transfer 251 → 241 µs, main thread 86 → 82 µs (new
 * faster in all 6 rounds); JSON view (load 10–14) 2,713 → 3,156/s, 254 → 241 µs, 95 → 88 µs
 * (faster in 5 of 6). Smaller still (jobs of 2, 4 a worker) was not better than 4 (6 rounds
 * alternated, load 3–9): 4,644 → 4,170/s, 247 → 266 µs a transfer, the workers' sleeps 0.19 →
 * 0.30 a transfer.
 *
 * NOTE: a turn of 16–31 shared by one worker and this thread (one wake-up instead of two;
 * branch w-single-share, 318c9b2) did not pay: 8 rounds each alternated with jobs of 8 (load
 * 6–13), medians: {hex} 3,040 → 3,510/s but node CPU a transfer 236 → 238 µs; JSON 2,801 →
 * 2,852/s, 248 → 265 µs. Its sleeps fell (0.31 → 0.18 a transfer) but this thread took ≈ 40 µs
 * a transfer of verifying (main 84 → 125 µs, its loop 71–88 % busy): the HTTP thread the limit.
 */
export const MIN_JOB = 4;
/** Jobs of ours a worker holds at most: a second waits in its queue, verified without a pause. */
export const PER_WORKER = 2;
/**
 * A turn of at most this many transfers, while no check of ours is under way, is verified on
 * this thread at the turn's end: posting it would wake a sleeping worker (or a pool thread),
 * then this thread again for the answer (bench/lib/wakeCost.ts: ≈ 96–127 µs of the sender's CPU
 * alone). The workers keep every bigger turn, and every turn while they have a job of ours.
 *
 * PERF: a lone transfer on a quiet node (bench/lib/loneCheck.ts, 5 rounds of 500 checks, workers
 * then this thread alternated, load 5.4): process CPU a check 330–527 → 151–252 µs, wall
 * 363–782 → 154–285 µs. Under bench intake's 16 clients such turns are rare, and it changes
 * nothing there: single {hex}, old and new alternated (bench/lib/intakeAlternate.ts, 3 rounds),
 * at load 2.5 4,273 → 4,279/s, node CPU a transfer 292 → 301 µs (medians); at load 7–8.5 the
 * rounds moved more than the change (254 → 218, 260 → 231 µs; JSON 285 → 265 µs). Batches of
 * 100 {hex} (load 3): 8,695 → 9,468/s, 193 → 186 µs, the same code path.
 * NOTE: up to 8 (every turn of a job's size while the workers sleep) moved verifying onto this
 * thread (main 96 → 136 µs a transfer, its loop 51–61 → 64–79 % busy) for no faster intake.
 */
export const ON_THIS_THREAD = 2;

export class SignatureBatch {
  private waiting: Waiting[] = [];
  private waitingCount = 0;
  /** A flush is due at the end of this turn. */
  private flushing = false;
  /** Checks under way on the thread pool. */
  private onPool = 0;
  /** Jobs of ours posted and not yet answered (a big one counts once for every worker). */
  private busy = 0;

  /**
   * `threads`: the verifier's worker threads (signatureWorkers.ts starts one a core), which hold
   * PER_WORKER jobs of ours each before a turn is no longer shared among them.
   */
  constructor(
    private readonly verifier: NodeVerifier,
    private readonly threads = availableParallelism(),
    private readonly here = ON_THIS_THREAD,
  ) {}

  /** Whether the transfer's signature verifies (`bytes`: its canonical encoding). */
  async check(tx: Transfer, bytes: Uint8Array): Promise<boolean> {
    const [valid] = await this.checkAll([{ tx, bytes }]);
    return valid!;
  }

  /**
   * Whether each transfer's signature verifies, in order. PERF: one promise for them all (a
   * batch of 100 made 100 promises here and as many callbacks), and the workers answer by index.
   */
  checkAll(items: readonly Signed[]): Promise<boolean[]> {
    if (items.length === 0) return Promise.resolve([]);
    if (!this.verifier.verifyTransfers || items.some((it) => it.bytes.length !== TRANSFER_SIZE))
      return Promise.all(items.map((it) => this.onThePool(it.tx)));
    return new Promise((resolve) => {
      this.waiting.push({ items, resolve });
      this.waitingCount += items.length;
      if (this.flushing) return;
      this.flushing = true;
      setImmediate(() => {
        this.flushing = false;
        this.flush();
      });
    });
  }

  private onThePool(tx: Transfer): Promise<boolean> {
    this.onPool++;
    return this.verifier.verifyAsync(tx.from, txSigningBytes(tx), tx.signature).then((valid) => {
      this.onPool--;
      return valid;
    });
  }

  /**
   * Sends what waits at the turn's end: a few transfers shared among the workers with room
   * (whole checkAll groups, about as many transfers each, MIN_JOB or more unless less waits),
   * else as one job (from SPREAD_TRANSFERS on, the workers share it themselves; while every
   * worker is full, it waits in their queue).
   */
  private flush(): void {
    if (this.waitingCount === 0) return;
    if (this.waitingCount <= this.here && this.busy === 0 && this.onPool === 0) {
      for (const { items, resolve } of this.take(this.waiting.length).groups)
        resolve(
          items.map(({ tx }) => this.verifier.verify(tx.from, txSigningBytes(tx), tx.signature)),
        );
      return;
    }
    const workers =
      this.verifier.workersRunning?.() === true ||
      this.waitingCount + this.onPool >= START_WORKERS_AT;
    if (!workers) {
      for (const { items, resolve } of this.take(this.waiting.length).groups)
        void Promise.all(items.map((it) => this.onThePool(it.tx))).then(resolve);
      return;
    }
    const room = this.threads * PER_WORKER - this.busy;
    let jobs =
      this.waitingCount >= SPREAD_TRANSFERS
        ? 1
        : Math.max(1, Math.min(room, this.waiting.length, Math.floor(this.waitingCount / MIN_JOB)));
    while (jobs > 0) {
      // The next job: groups up to an even share of what waits.
      const share = Math.ceil(this.waitingCount / jobs);
      let groups = 0;
      let count = 0;
      while (
        groups < this.waiting.length &&
        (count === 0 || count + this.waiting[groups]!.items.length <= share)
      )
        count += this.waiting[groups++]!.items.length;
      void this.send(this.take(groups));
      jobs--;
    }
  }

  /** The first `groups` waiting groups, taken out of the queue. */
  private take(groups: number): { groups: Waiting[]; count: number } {
    const taken = this.waiting.splice(0, groups);
    const count = taken.reduce((n, w) => n + w.items.length, 0);
    this.waitingCount -= count;
    return { groups: taken, count };
  }

  /** One job to the workers; its groups answered when it is. */
  private async send({ groups, count }: { groups: Waiting[]; count: number }): Promise<void> {
    // A job of SPREAD_TRANSFERS or more is shared among every worker (signatureWorkers.ts).
    const slots = count >= SPREAD_TRANSFERS ? this.threads : 1;
    this.busy += slots;
    // NOTE: a rejection is "not judged" too: unhandled, it would end the node, and these
    // transfers' requests would wait for ever.
    const verdicts = await this.verifier.verifyTransfers!(join(groups, count)).catch(
      () => undefined,
    );
    this.busy -= slots;
    let at = 0;
    for (const { items, resolve } of groups) {
      // Not judged (the workers failed): the thread pool checks them.
      if (verdicts === undefined) {
        void Promise.all(items.map((it) => this.onThePool(it.tx))).then(resolve);
        continue;
      }
      // SECURITY: the verdict at an index is for the bytes join() put there, these items'.
      resolve(items.map((_, i) => verdicts[at + i] === 1));
      at += items.length;
    }
  }
}

/** The transfers' encodings one after another, as the workers read them. */
function join(batch: readonly Waiting[], count: number): Uint8Array {
  const bytes = new Uint8Array(count * TRANSFER_SIZE);
  let at = 0;
  for (const { items } of batch) {
    for (const item of items) {
      bytes.set(item.bytes, at);
      at += TRANSFER_SIZE;
    }
  }
  return bytes;
}
