/**
 * The miner: a pool of worker threads (one per core by default, `--miner-threads`) that search
 * a header's nonce space for a hash at or below the target, each worker over its own share.
 *
 *   const miner = createMiner({ threads: 2 });
 *   const outcome = await miner.mine(headerBytes, target, { signal });
 *   // found: outcome.nonce, outcome.hash · exhausted: roll the timestamp, mine again · aborted
 *   await miner.close();
 *
 * A search ends at once when its AbortSignal fires (the node aborts when the tip or the template
 * changes); workers drop the job within one chunk (chunkMs). Searches run one at a time: a second
 * mine() waits for the first to end. Which kernel runs, and why faster ones were skipped, is in
 * `await miner.ready()`.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type {
  MineOptions,
  MineOutcome,
  MineResult,
  Miner,
  MinerInfo,
  MinerOptions,
  MinerStats,
} from './miner.js';
import type { JobMessage, WorkerMessage, WorkerSetup } from './workerProtocol.js';

const U64_END = 1n << 64n;
const RATE_WINDOW_MS = 500;

/**
 * NOTE: the node runs compiled JS, where the worker is dist/miner/minerWorker.js beside this
 * file. Tests and tsx run this file as TypeScript; Node 20 cannot start a .ts worker on its own,
 * so sourceWorker.mjs registers tsx in the worker and then imports minerWorker.ts.
 */
function workerEntry(): { url: URL; entry?: string } {
  if (!import.meta.url.endsWith('.ts'))
    return { url: new URL('./minerWorker.js', import.meta.url) };
  const entry = new URL('./minerWorker.ts', import.meta.url).href;
  return { url: new URL('./sourceWorker.mjs', import.meta.url), entry };
}

export function targetBytes(target: Uint8Array | bigint): Uint8Array {
  if (target instanceof Uint8Array) {
    if (target.length !== 32) throw new RangeError(`a target is 32 bytes, got ${target.length}`);
    return target;
  }
  if (target < 0n || target >= 1n << 256n) throw new RangeError('a target is a 256-bit number');
  return Buffer.from(target.toString(16).padStart(64, '0'), 'hex');
}

interface ActiveJob {
  readonly id: number;
  readonly startedMs: number;
  readonly startHashes: number;
  readonly resolve: (outcome: MineOutcome) => void;
  readonly reject: (error: Error) => void;
  readonly detach: () => void;
  exhausted: number;
}

export function createMiner(options: MinerOptions = {}): Miner {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1 || threads > 1024) {
    throw new RangeError(`miner threads must be an integer from 1 to 1024, got ${threads}`);
  }
  const jobWord = new Int32Array(new SharedArrayBuffer(4));
  const hashes = new BigInt64Array(new SharedArrayBuffer(8 * threads));
  const { url, entry } = workerEntry();
  const base = { kernel: options.kernel ?? 'auto', chunkMs: options.chunkMs ?? 20 };
  const shared = {
    jobWord: jobWord.buffer as SharedArrayBuffer,
    hashes: hashes.buffer as SharedArrayBuffer,
  };
  const workers = Array.from({ length: threads }, (_, index) => {
    const setup: WorkerSetup = {
      index,
      ...base,
      ...shared,
      ...(entry === undefined ? {} : { entry }),
    };
    return new Worker(url, { workerData: setup });
  });

  let current: ActiveJob | undefined;
  let lastJobId = 0;
  let failure: Error | undefined;
  let closed = false;
  let info: MinerInfo | undefined;
  let sample = { busyMs: 0, atMs: performance.now(), total: 0 };
  let rate = 0;
  /** Time spent with a job in hand, over the miner's life (the current job's not yet added). */
  let busyMs = 0;
  const busyNow = (nowMs: number) => busyMs + (current ? nowMs - current.startedMs : 0);

  const totalHashes = (): number => hashes.reduce((sum, n) => sum + Number(n), 0);

  function settle(job: ActiveJob, result: MineResult): void {
    if (current !== job) return;
    busyMs += performance.now() - job.startedMs;
    current = undefined;
    Atomics.store(jobWord, 0, 0);
    job.detach();
    const effort = {
      hashes: totalHashes() - job.startHashes,
      elapsedMs: performance.now() - job.startedMs,
    };
    job.resolve({ ...result, ...effort });
  }

  function fail(error: Error): void {
    if (closed || failure !== undefined) return;
    failure = error;
    Atomics.store(jobWord, 0, 0);
    const job = current;
    current = undefined;
    job?.detach();
    job?.reject(error);
  }

  const readiness = Promise.all(
    workers.map(
      (worker, index) =>
        new Promise<WorkerMessage & { type: 'ready' }>((resolve, reject) => {
          worker.on('message', (message: WorkerMessage) => {
            if (message.type === 'ready') resolve(message);
            else if (message.type === 'failed') {
              const error = new Error(`miner worker ${index}: ${message.message}`);
              reject(error);
              fail(error);
            } else if (current !== undefined && message.job === current.id) {
              if (message.type === 'found') {
                settle(current, { status: 'found', nonce: message.nonce, hash: message.hash });
              } else if (++current.exhausted === threads) settle(current, { status: 'exhausted' });
            }
          });
          worker.on('error', (error) => {
            reject(error);
            fail(error);
          });
          worker.on('exit', (code) => {
            const error = new Error(`miner worker ${index} exited with code ${code}`);
            reject(error);
            fail(error);
          });
        }),
    ),
  ).then((ready) => {
    const first = ready[0]!;
    info = { kernel: first.kernel, skipped: first.skipped, threads };
    return info;
  });
  readiness.catch(() => {}); // reported through ready() and mine()

  /** Settles when the last search queued, and every one before it, has ended. */
  let queueTail: Promise<void> = Promise.resolve();

  async function mine(
    header: Uint8Array,
    target: Uint8Array | bigint,
    mineOptions: MineOptions = {},
  ): Promise<MineOutcome> {
    const { signal, startNonce = 0n, endNonce = U64_END } = mineOptions;
    if (header.length !== 92) throw new RangeError(`a header is 92 bytes, got ${header.length}`);
    if (startNonce < 0n || endNonce > U64_END || startNonce > endNonce) {
      throw new RangeError(`bad nonce range [${startNonce}, ${endNonce})`);
    }
    const limit = targetBytes(target);
    if (closed) throw new Error('the miner is closed');
    const previous = queueTail;
    let release = (): void => {};
    queueTail = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      await endOrAbort(previous, signal);
      await readiness;
      if (failure !== undefined) throw failure;
      if (closed || signal?.aborted) return { status: 'aborted', hashes: 0, elapsedMs: 0 };
      return await start(header, limit, startNonce, endNonce, signal);
    } finally {
      // The next search starts when this one and every one before it have ended.
      void previous.then(release);
    }
  }

  function start(
    header: Uint8Array,
    target: Uint8Array,
    startNonce: bigint,
    endNonce: bigint,
    signal: AbortSignal | undefined,
  ): Promise<MineOutcome> {
    lastJobId = lastJobId === 0x7fff_ffff ? 1 : lastJobId + 1;
    const id = lastJobId;
    const outcome = new Promise<MineOutcome>((resolve, reject) => {
      const onAbort = (): void => {
        if (current?.id === id) settle(current, { status: 'aborted' });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const detach = (): void => signal?.removeEventListener('abort', onAbort);
      const startedMs = performance.now();
      current = {
        id,
        startedMs,
        startHashes: totalHashes(),
        resolve,
        reject,
        detach,
        exhausted: 0,
      };
    });
    Atomics.store(jobWord, 0, id);
    const share = (endNonce - startNonce) / BigInt(threads);
    workers.forEach((worker, index) => {
      const start = startNonce + share * BigInt(index);
      const end = index === threads - 1 ? endNonce : start + share;
      const message: JobMessage = { type: 'job', job: id, header, target, start, end };
      worker.postMessage(message);
    });
    return outcome;
  }

  function stats(): MinerStats {
    const nowMs = performance.now();
    const total = totalHashes();
    if (nowMs - sample.atMs >= RATE_WINDOW_MS) {
      const busy = busyNow(nowMs);
      // A window with (almost) no searching in it keeps the last rate rather than show 0 H/s.
      if (busy - sample.busyMs >= 1)
        rate = ((total - sample.total) * 1000) / (busy - sample.busyMs);
      sample = { busyMs: busy, atMs: nowMs, total };
    }
    const kernel = info?.kernel ?? null;
    return {
      kernel,
      threads,
      mining: current !== undefined,
      totalHashes: total,
      hashesPerSecond: rate,
    };
  }

  async function close(): Promise<void> {
    if (closed) return;
    if (current !== undefined) settle(current, { status: 'aborted' });
    closed = true;
    Atomics.store(jobWord, 0, 0);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  return { threads, ready: () => readiness, mine, stats, close };
}

/** Resolves when `previous` does, or as soon as `signal` aborts. */
function endOrAbort(previous: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return previous;
  return new Promise<void>((resolve) => {
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', done, { once: true });
    void previous.then(done);
  });
}
