/**
 * Worker threads that check the transfer signatures of whole blocks, one per core, started on
 * first use and stopped after a while without work. PERF (Node 20, 2 cores, measured):
 * node:crypto's async verify costs the main thread ≈ 7 µs per signature (the job, its callback,
 * the promise), 45 ms for a full block, and a libuv pool thread verifies ≈ 10,400/s where a
 * synchronous verify does ≈ 11,900/s; here the main thread hands a block's bytes over once, and
 * each worker verifies synchronously (bench/connect.ts and bench/p2p.ts measure both ways).
 *
 * Protocol: the main thread posts a WorkerJob (the block's canonical bytes, on a
 * SharedArrayBuffer that every worker of the job reads, and which transactions to check); the
 * worker answers a WorkerAnswer with the ids of those whose signature verifies. SECURITY: an id is
 * the worker's hash of the transaction it verified; callers look their transactions up by the ids
 * they hash themselves, so a worker answer can never vouch for other bytes than it checked.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface WorkerJob {
  readonly id: number;
  readonly bytes: Uint8Array;
  /** Indexes of the transactions to check; every one if null. Coinbases are skipped. */
  readonly indexes: readonly number[] | null;
  /** Check nothing unless the transactions' merkle root is the header's. */
  readonly checkRoot: boolean;
}

export interface WorkerAnswer {
  readonly id: number;
  /** Ids (hex) of the transfers checked whose signature verifies. */
  readonly valid: readonly string[];
}

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
}

export interface SignatureWorkersOptions {
  readonly threads?: number;
  /** Workers stop after this long without a job (they start again when needed). */
  readonly idleMs?: number;
  /** The worker's script, if not signatureWorker's (tests: one that fails). */
  readonly workerUrl?: URL;
}

interface Slot {
  readonly worker: Worker;
  task: Task | undefined;
}

interface Task {
  readonly job: WorkerJob;
  readonly done: (valid: readonly string[]) => void;
}

/** Workers that fail in a row before the pool gives up (every check then answers nothing). */
const MAX_FAILURES = 3;

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
  private readonly entry: { url: URL; entry?: string };
  private slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private failures = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(options: SignatureWorkersOptions = {}) {
    this.threads = options.threads ?? availableParallelism();
    this.idleMs = options.idleMs ?? 10_000;
    this.entry = options.workerUrl ? { url: options.workerUrl } : workerEntry();
  }

  /**
   * The ids (hex) of the block's checked transfers whose signature verifies: none if the bytes
   * are not a block, if `checkRoot` and its transactions are not the header's, or if the workers
   * failed. Never rejects: whatever is not in the answer, the caller checks itself.
   */
  async check(bytes: Uint8Array, job: BlockJob = {}): Promise<readonly string[]> {
    if (this.failures >= MAX_FAILURES) return [];
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    shared.set(bytes);
    const { indexes } = job;
    const parts =
      job.spread && indexes
        ? Array.from({ length: this.threads }, (_, t) =>
            indexes.filter((_, i) => i % this.threads === t),
          )
        : [indexes ?? null];
    const answers = await Promise.all(
      parts
        .filter((part) => part === null || part.length > 0)
        .map(
          (part) =>
            new Promise<readonly string[]>((done) => {
              const id = this.nextId++;
              const checkRoot = job.checkRoot ?? false;
              this.queue.push({ job: { id, bytes: shared, indexes: part, checkRoot }, done });
              this.dispatch();
            }),
        ),
    );
    return answers.flat();
  }

  /** Stops the workers; a later check starts them again. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const slots = this.slots;
    this.slots = [];
    for (const slot of slots) slot.task?.done([]);
    for (const task of this.queue.splice(0)) task.done([]);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    clearTimeout(this.idleTimer);
    while (this.slots.length < this.threads && this.failures < MAX_FAILURES) this.spawn();
    for (const slot of this.slots) {
      const task = slot.task === undefined ? this.queue.shift() : undefined;
      if (!task) continue;
      slot.task = task;
      slot.worker.ref(); // a job under way keeps the process alive, an idle worker does not
      slot.worker.postMessage(task.job);
    }
    if (this.failures >= MAX_FAILURES) for (const task of this.queue.splice(0)) task.done([]);
    if (this.queue.length === 0 && this.slots.every((slot) => slot.task === undefined)) {
      this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
      this.idleTimer.unref();
    }
  }

  private spawn(): void {
    const { url, entry } = this.entry;
    let worker: Worker;
    try {
      worker = new Worker(url, { workerData: entry === undefined ? {} : { entry } });
    } catch {
      this.failures++;
      return;
    }
    worker.unref();
    const slot: Slot = { worker, task: undefined };
    this.slots.push(slot);
    worker.on('message', (answer: WorkerAnswer) => {
      const task = slot.task;
      if (task?.job.id !== answer.id) return;
      this.failures = 0;
      slot.task = undefined;
      worker.unref();
      task.done(answer.valid);
      this.dispatch();
    });
    const fail = () => {
      if (!this.slots.includes(slot)) return; // closed, or already counted
      this.slots = this.slots.filter((s) => s !== slot);
      this.failures++;
      slot.task?.done([]);
      void worker.terminate();
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
  }
}
