/**
 * Worker threads that check the transfer signatures of whole blocks, up to one per core: the
 * first started on first use, another when a job queues behind the busy ones (EXTRA_IDLE_MS),
 * each stopped after a while without work. PERF (Node 20, 2 cores, measured):
 * node:crypto's async verify costs the main thread ≈ 7 µs per signature (the job, its callback,
 * the promise), 45 ms for a full block, and a libuv pool thread verifies ≈ 10,400/s where a
 * synchronous verify does ≈ 11,900/s; here the main thread hands a block's bytes over once, and
 * each worker verifies synchronously (bench/connect.ts and bench/p2p.ts measure both ways).
 *
 * The jobs and answers between the threads, and the wake-ups that were measured and not built,
 * are in workerJobs.ts.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { TRANSFER_SIZE } from '../core/encoding/tx.js';
import { exposeGcToNewThreads } from './sharedBytesCollector.js';
import type { Claims, WorkerAnswer, WorkerJob } from './workerJobs.js';

export type { Claims, WorkerAnswer, WorkerJob } from './workerJobs.js';

export interface BlockJob {
  /** As WorkerJob's; every transaction if absent. */
  readonly indexes?: readonly number[];
  /** As WorkerJob's (a block checked ahead of its turn, before anything else has judged it). */
  readonly checkRoot?: boolean;
  /**
   * Shared among every worker, for a block the caller waits for; otherwise one worker checks the
   * whole job, and other workers other blocks (a sync's next ones).
   */
  readonly spread?: boolean;
  /** As WorkerJob's. */
  readonly transfers?: boolean;
}

export interface SignatureWorkersOptions {
  /** Workers at most (one a core by default); the first starts with the first job. */
  readonly threads?: number;
  /** Workers stop after this long without a job (they start again when needed). */
  readonly idleMs?: number;
  /** A worker beyond the first stops after this long without a job (EXTRA_IDLE_MS). */
  readonly extraIdleMs?: number;
  /** The worker's script, if not signatureWorker's (tests: one that fails). */
  readonly workerUrl?: URL;
  /** Whether the workers may verify with the native addon (createNodeVerifier's `native`). */
  readonly native?: boolean;
}

interface Slot {
  readonly worker: Worker;
  /** Posted to the worker, answered in this order. */
  readonly tasks: Task[];
  /** A worker beyond the first, idle: stops it when it fires (extraIdleMs). */
  idle?: NodeJS.Timeout | undefined;
}

interface Task {
  readonly job: WorkerJob;
  /** undefined: the job was not checked (the workers failed or stopped). */
  readonly done: (answer: WorkerAnswer | undefined) => void;
}

/**
 * Jobs posted to a worker at once. PERF: a second one waits in the worker's queue, so the worker
 * goes on with it while this thread is busy elsewhere (parsing a request of 100 transfers takes
 * it milliseconds) instead of idling until this thread reads its answer and posts the next.
 */
const JOBS_PER_WORKER = 2;

/** Loose transfers (a mempool's job) from which the workers claim parts of a job (checkAt). */
export const SPREAD_TRANSFERS = 32;

/**
 * Offsets a worker claims at a time in a checkAt job (≈ 2 ms of verifying). PERF: claimed by the
 * workers themselves, not handed out by this thread: a part handed out waits for this thread to
 * read the answer before it, and while it applies and writes a full block (≈ 250 ms) the workers
 * sat idle after their first two parts (a timeline of bench/connect.ts: every answer came at once
 * when this thread was done). The same full blocks into two chains in one process, parts handed
 * out against claimed, alternated block by block (6 blocks, load 10): 388 → 309 µs a transfer
 * by the clock, CPU 187 → 177 µs.
 */
const CHECK_AT_PART = 16;

/**
 * Each worker's V8 limits. PERF: a worker allocates little that lives (views of the job's bytes,
 * a key a verify), but V8 grows a busy thread's young generation up to 16 MB semi-spaces, each
 * worker's own. A fresh node syncing 32 full blocks from one peer, without and with this,
 * alternated (bench/lib/syncMemory.ts, load 5–9, tests beside the last): peak resident 423, 431
 * → 373, 361 MB; CPU a transfer 197, 215 → 182, 200 µs; 3,062, 2,932 → 3,674, 2,428 transfers/s.
 * Neither a full collection in each worker every 2 MB of blocks nor maxOldGenerationSizeMb 32
 * moved the peak (410, 418 MB).
 */
export const WORKER_LIMITS = { maxYoungGenerationSizeMb: 3 } as const;

/**
 * How long a worker beyond the first waits for a job before it stops. MEMORY: each worker is
 * ≈ 10 MB resident (Node's own cost of a thread, its isolate) beyond the first; the pool starts
 * one, and another only when a job queues behind the busy ones (dispatch), so a node that checks
 * a block now and then, or single transfers, keeps one. A sync of full blocks keeps both busy
 * (its blocks ahead queue), as it must on 2 cores. 2 s: longer than the gaps between a sync's
 * blocks, so a sync does not start a worker a block.
 */
export const EXTRA_IDLE_MS = 2_000;
// NOTE (branch w-memory-mainhelp, f3ff9c4, not delivered): a block's job to one worker fewer,
// the main thread judging parts of it between its turns, cut a fresh node's sync peak by ≈ 12 MB
// (30 full blocks: 157-171 against 173-179 MB) at the same CPU a transfer, but 2 threads get
// fewer CPU shares than 3 on a loaded machine: 4,300 against 5,181 transfers/s at load 5.5.

/**
 * Transfers from which a job shared among the workers goes to every one, starting those not
 * running; a smaller one goes to those running. ≈ 120 ms of verifying on one core, about what a
 * worker takes to start (123 ms to its first answer, median): a smaller job would be done before
 * a new worker could help (a batch of 100 transfers, 12 ms), a full block (6,367) is not.
 */
export const SPREAD_ALL_FROM = 1_024;

/** Workers that fail in a row before the pool gives up (every check then answers nothing). */
const MAX_FAILURES = 3;

/** Signatures answered by a worker in this process, every pool's (signaturesOnWorkers). */
let answeredOnWorkers = 0;

/**
 * How many signatures the worker threads of this process have answered for so far, every pool's:
 * each offset of a checkAt job once every one is judged, and each transfer a worker found valid
 * in another job.
 * NOTE: the benches read it around what they time and fail if a block's signatures did not go to
 * the workers: a node whose workers could not start (bench p2p's under tsx, 5d4833c) checks
 * every signature on libuv's pool instead, and its figures measured that fallback for a whole
 * session without a word.
 */
export function signaturesOnWorkers(): number {
  return answeredOnWorkers;
}

/**
 * NOTE: the node runs compiled JS, where the worker is dist/crypto/signatureWorker.js beside this
 * file; tests and tsx run TypeScript, whose worker must first register tsx (sourceWorker.mjs).
 */
function workerEntry(): { url: URL; entry?: string } {
  if (!import.meta.url.endsWith('.ts'))
    return { url: new URL('./signatureWorker.js', import.meta.url) };
  const entry = new URL('./signatureWorker.ts', import.meta.url).href;
  return { url: new URL('./sourceWorker.mjs', import.meta.url), entry };
}

export class SignatureWorkers {
  private readonly threads: number;
  private readonly idleMs: number;
  private readonly extraIdleMs: number;
  private readonly entry: { url: URL; entry?: string };
  private readonly native: boolean;
  private slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private failures = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(options: SignatureWorkersOptions = {}) {
    this.threads = options.threads ?? availableParallelism();
    this.idleMs = options.idleMs ?? 10_000;
    this.extraIdleMs = options.extraIdleMs ?? EXTRA_IDLE_MS;
    this.entry = options.workerUrl ? { url: options.workerUrl } : workerEntry();
    this.native = options.native ?? true;
  }

  /**
   * The ids (hex) of the block's checked transfers whose signature verifies: none if the bytes
   * are not a block, if `checkRoot` and its transactions are not the header's, or if the workers
   * failed. Never rejects: whatever is not in the answer, the caller checks itself.
   */
  async check(bytes: Uint8Array, job: BlockJob = {}): Promise<readonly string[]> {
    return (await this.tryCheck(bytes, job)) ?? [];
  }

  /** Whether workers are running now (started by a check, not yet stopped for idleness). */
  get running(): boolean {
    return this.slots.length > 0 && this.failures < MAX_FAILURES;
  }

  /** How many workers are running now (started, not yet stopped). */
  get workerCount(): number {
    return this.slots.length;
  }

  /**
   * Workers a job of `count` transfers shared among them goes to: every one from SPREAD_ALL_FROM
   * on (those not running start, dispatch), else those running, at least one.
   */
  private sharing(count: number): number {
    if (count >= SPREAD_ALL_FROM) return this.threads;
    return Math.min(this.threads, Math.max(1, this.slots.length));
  }

  /** As check, but undefined if any part of the job went unchecked (the workers failed). */
  async tryCheck(bytes: Uint8Array, job: BlockJob = {}): Promise<readonly string[] | undefined> {
    const answers = await this.run(bytes, job);
    return answers?.flatMap((answer) => answer.valid);
  }

  /**
   * For transfers' encodings one after another: a verdict for each whole 157 bytes, 1 if they
   * are a transfer whose signature verifies, else 0; undefined if the workers failed. From
   * SPREAD_TRANSFERS on, one checkAt job at every 157th byte, whose parts the workers claim.
   * SECURITY: a verdict is for the bytes at that index of the job's own copy, which nothing
   * writes once it is posted.
   *
   * PERF: claimed, where each worker had a run of its own (half of a batch of 100): an idle
   * worker takes a busy one's share, and the answer comes once every part is judged, not once
   * each worker has read its message. A batch of 100 while the other worker checks a sync's
   * block of 400 (bench/lib/busyWorkerBatch.ts, old and new alternated 6 times, load 9.5): the
   * batch answered in 204 → 60 ms (medians); it waited for the block before.
   *
   * PERF: each worker gets its own copy of its run (no SharedArrayBuffer, no list of indexes),
   * and fewer than SPREAD_TRANSFERS go to one worker: one message and one wake-up a job, where
   * every job of single POST /api/tx (≈ 8 transfers a turn) was split in two. That bench mode
   * (bench intake's clients and node, old and new alternated 3 times, load 8–9): node CPU a
   * request 304 / 238 / 221 → 240 / 206 / 216 µs, main thread 95 / 81 / 73 → 78 / 65 / 68 µs,
   * the verify threads 172 / 128 / 123 → 135 / 117 / 122 µs; 2,775–3,132 → 3,657–4,476 a second.
   */
  async checkTransfers(bytes: Uint8Array): Promise<Uint8Array | undefined> {
    const count = Math.floor(bytes.length / TRANSFER_SIZE);
    const verdicts = new Uint8Array(count);
    if (bytes.length !== count * TRANSFER_SIZE || count === 0) return verdicts;
    if (this.failures >= MAX_FAILURES) return undefined;
    if (count >= SPREAD_TRANSFERS && this.threads > 1)
      return this.checkAt(
        bytes,
        Array.from({ length: count }, (_, i) => i * TRANSFER_SIZE),
      );
    const answer = await this.post({ bytes, indexes: null, checkRoot: false, transfers: true });
    if (!answer) return undefined;
    for (const i of answer.verified ?? []) verdicts[i] = 1;
    return verdicts;
  }

  /**
   * For the 157 bytes at each of `offsets` in `bytes` (a block's canonical bytes, whose
   * transfers start there): 1 if they are a transfer whose signature verifies, else 0; undefined
   * if the workers failed. SECURITY: a verdict is for the bytes at that offset of the job's own
   * copy of `bytes`, which nothing writes once it is posted; the caller, who hashed the same
   * bytes there for the transaction's id, knows which transaction it is (no id comes back).
   *
   * PERF: one job for every worker, in which each claims parts of the offsets as it goes (see
   * Claims and CHECK_AT_PART), not one half to each: a worker that the main thread's work (the
   * block's SQLite write) slowed does not leave the other idle at the end. And the workers hash
   * nothing and answer no hex: a block's transfers were hashed twice, by this thread for their
   * ids and by a worker for the ids it answered with, which this thread then read back as 6,367
   * strings. With checkBlock given the merkle root the chain computed to start this job (parts
   * then handed out by this thread), bench/connect.ts full (6 runs of the code before and 5 of
   * this, alternated, load 7–11), CPU a transfer, medians: 176 → 159 µs; the main thread 41.5 →
   * 35 µs, the verify threads 134.5 → 124 µs.
   */
  async checkAt(bytes: Uint8Array, offsets: readonly number[]): Promise<Uint8Array | undefined> {
    if (offsets.length === 0) return new Uint8Array(0);
    if (this.failures >= MAX_FAILURES) return undefined;
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    shared.set(bytes);
    const counters = new Int32Array(new SharedArrayBuffer(8));
    const claims: Claims = {
      offsets: new Int32Array(new SharedArrayBuffer(4 * offsets.length)),
      next: counters.subarray(0, 1),
      verdicts: new Uint8Array(new SharedArrayBuffer(offsets.length)),
      judged: counters.subarray(1, 2),
      part: CHECK_AT_PART,
    };
    for (const [k, at] of offsets.entries()) {
      claims.offsets[k] = Number.isInteger(at) && at >= 0 && at < bytes.length ? at : -1;
    }
    const job = { bytes: shared, indexes: null, checkRoot: false, claims };
    const posts = Array.from({ length: this.sharing(offsets.length) }, () => this.post(job));
    return new Promise((resolve) => {
      let unanswered = posts.length;
      let judged = false;
      for (const post of posts)
        void post.then((answer) => {
          unanswered--;
          // Every offset judged (each verdict written before its part was counted): done, even
          // if a worker still has the job in its queue (it will find nothing left to claim).
          if (Atomics.load(claims.judged, 0) >= offsets.length) {
            if (!judged) answeredOnWorkers += offsets.length;
            judged = true;
            resolve(Uint8Array.from(claims.verdicts));
          }
          // A worker failed (what it claimed may be unjudged), or every one answered short.
          else if (answer?.judged === undefined || unanswered === 0) resolve(undefined);
        });
    });
  }

  /** Posts the job (shared among the workers if `spread`): every part's answer, or undefined. */
  private async run(bytes: Uint8Array, job: BlockJob): Promise<WorkerAnswer[] | undefined> {
    if (this.failures >= MAX_FAILURES) return undefined;
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    shared.set(bytes);
    const { indexes } = job;
    const ways = indexes ? this.sharing(indexes.length) : 1;
    const parts =
      job.spread && indexes
        ? Array.from({ length: ways }, (_, t) => indexes.filter((_, i) => i % ways === t))
        : [indexes ?? null];
    const checkRoot = job.checkRoot ?? false;
    const transfers = job.transfers ?? false;
    const answers = await Promise.all(
      parts
        .filter((part) => part === null || part.length > 0)
        .map((part) => this.post({ bytes: shared, indexes: part, checkRoot, transfers })),
    );
    return answers.some((answer) => answer === undefined) ? undefined : (answers as WorkerAnswer[]);
  }

  /** Queues one job for the next free worker: its answer, or undefined if it went unchecked. */
  private post(job: Omit<WorkerJob, 'id'>): Promise<WorkerAnswer | undefined> {
    return new Promise((done) => {
      this.queue.push({ job: { id: this.nextId++, ...job }, done });
      this.dispatch();
    });
  }

  /** Stops the workers; a later check starts them again. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const slots = this.slots;
    this.slots = [];
    for (const slot of slots) clearTimeout(slot.idle);
    for (const slot of slots) for (const task of slot.tasks.splice(0)) task.done(undefined);
    for (const task of this.queue.splice(0)) task.done(undefined);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  /**
   * Hands queued jobs to the workers, the least busy first: an idle one takes a job before a
   * busy one takes its second. A job that finds every running worker busy starts one more, up to
   * `threads`, before any worker takes a second job (EXTRA_IDLE_MS says why not all at once).
   */
  private dispatch(): void {
    clearTimeout(this.idleTimer);
    if (this.slots.length === 0 && this.queue.length > 0 && this.failures < MAX_FAILURES)
      this.spawn();
    for (let depth = 0; depth < JOBS_PER_WORKER; depth++) {
      for (;;) {
        this.assign(depth);
        if (depth > 0 || this.queue.length === 0) break;
        if (this.slots.length >= this.threads || this.failures >= MAX_FAILURES) break;
        const count = this.slots.length;
        this.spawn();
        if (this.slots.length === count) break; // it could not start
      }
    }
    if (this.failures >= MAX_FAILURES)
      for (const task of this.queue.splice(0)) task.done(undefined);
    if (this.queue.length === 0 && this.slots.every((slot) => slot.tasks.length === 0)) {
      this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
      this.idleTimer.unref();
    }
    // Workers beyond the first stop once idle for EXTRA_IDLE_MS (from when each became idle).
    for (const [k, slot] of this.slots.entries()) {
      if (k === 0 || slot.tasks.length > 0) {
        clearTimeout(slot.idle);
        slot.idle = undefined;
      } else if (slot.idle === undefined) {
        slot.idle = setTimeout(() => this.stopExtra(slot), this.extraIdleMs);
        slot.idle.unref();
      }
    }
  }

  /**
   * Posts to each worker holding `depth` jobs the first queued job it does not hold already.
   * PERF: a checkAt job's copies (one a worker sharing it) each go to another worker. Before, a
   * worker idle at depth 0 took one copy, then at depth 1 the other too whenever the other
   * worker still held the block before's (judged, its answer not read yet: a block added right
   * after another, as a local load does): the block was checked on one core, and the other
   * worker, idle, stopped (EXTRA_IDLE_MS) to start again for the next. bench/lib/syncAdd.ts
   * local, 12 full blocks, alternated 3 rounds (load 13–20): the second worker stopped 2, 3, 2
   * times → 0; CPU a transfer 133, 158, 167 → 160, 152, 153 µs (the load moved more).
   */
  private assign(depth: number): void {
    for (const slot of this.slots) {
      if (slot.tasks.length !== depth) continue;
      const k = this.queue.findIndex(
        (task) =>
          task.job.claims === undefined ||
          !slot.tasks.some((held) => held.job.claims === task.job.claims),
      );
      if (k === -1) continue;
      const [task] = this.queue.splice(k, 1) as [Task];
      slot.tasks.push(task);
      slot.worker.ref(); // a job under way keeps the process alive, an idle worker does not
      slot.worker.postMessage(task.job);
    }
  }

  /** Stops an idle worker beyond the first (the first stops with close, after idleMs). */
  private stopExtra(slot: Slot): void {
    slot.idle = undefined;
    if (slot.tasks.length > 0 || this.slots[0] === slot || !this.slots.includes(slot)) return;
    this.slots = this.slots.filter((s) => s !== slot);
    void slot.worker.terminate();
  }

  /** How many jobs each running worker holds (posted, not answered yet), in start order (for tests). */
  jobsByWorker(): number[] {
    return this.slots.map((slot) => slot.tasks.length);
  }

  /** The V8 limits the running workers were started with (for tests). */
  workerLimits(): (typeof WORKER_LIMITS)[] {
    return this.slots.map((slot) => slot.worker.resourceLimits as typeof WORKER_LIMITS);
  }

  private spawn(): void {
    const { url, entry } = this.entry;
    let worker: Worker;
    // The worker's context gets a global gc for its sharedBytesCollector (that file says why
    // only this thread sets the flag).
    exposeGcToNewThreads();
    try {
      worker = new Worker(url, {
        workerData: entry === undefined ? { native: this.native } : { entry, native: this.native },
        resourceLimits: WORKER_LIMITS,
      });
    } catch {
      this.failures++;
      return;
    }
    worker.unref();
    const slot: Slot = { worker, tasks: [] };
    this.slots.push(slot);
    worker.on('message', (answer: WorkerAnswer) => {
      const task = slot.tasks[0];
      if (task?.job.id !== answer.id) return;
      this.failures = 0;
      // A checkAt job's offsets are counted once all are judged (checkAt), whichever worker did.
      if (answer.judged === undefined)
        answeredOnWorkers += answer.verified?.length ?? answer.valid.length;
      slot.tasks.shift();
      if (slot.tasks.length === 0) worker.unref();
      task.done(answer);
      this.dispatch();
    });
    const fail = () => {
      if (!this.slots.includes(slot)) return; // closed, or already counted
      this.slots = this.slots.filter((s) => s !== slot);
      this.failures++;
      for (const task of slot.tasks.splice(0)) task.done(undefined);
      void worker.terminate();
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
  }
}
