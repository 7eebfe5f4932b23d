/**
 * A miner worker thread: loads a hash kernel, then runs each job it is sent in chunks, checking
 * between chunks whether the job is still the current one (see workerProtocol.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { HashKernel } from './kernels/hashKernel.js';
import { loadKernel } from './kernels/loadKernel.js';
import type { JobMessage, WorkerMessage, WorkerSetup } from './workerProtocol.js';

const MIN_CHUNK = 256;
const MAX_CHUNK = 1 << 24;

const setup = workerData as WorkerSetup;
const port = parentPort!;
const jobWord = new Int32Array(setup.jobWord);
const hashes = new BigInt64Array(setup.hashes);

function send(message: WorkerMessage): void {
  port.postMessage(message);
}

/** Grows or shrinks the chunk so that one kernel call takes about `chunkMs`. */
function nextChunk(chunk: number, elapsedMs: number): number {
  if (elapsedMs < setup.chunkMs / 2) return Math.min(chunk * 2, MAX_CHUNK);
  if (elapsedMs > setup.chunkMs * 2) return Math.max(Math.floor(chunk / 2), MIN_CHUNK);
  return chunk;
}

let chunk = MIN_CHUNK * 16;

function run(kernel: HashKernel, job: JobMessage): void {
  let nonce = job.start;
  while (nonce < job.end) {
    if (Atomics.load(jobWord, 0) !== job.job) return; // aborted or replaced: nothing to say
    const count = Number(job.end - nonce < BigInt(chunk) ? job.end - nonce : BigInt(chunk));
    const startedMs = performance.now();
    const result = kernel.search(job.header, job.target, nonce, count);
    Atomics.add(hashes, setup.index, BigInt(result.tries));
    if (result.nonce !== null && result.hash !== null) {
      send({ type: 'found', job: job.job, nonce: result.nonce, hash: result.hash });
      return;
    }
    nonce += BigInt(count);
    chunk = nextChunk(chunk, performance.now() - startedMs);
  }
  send({ type: 'exhausted', job: job.job });
}

try {
  const { kernel, skipped } = loadKernel(setup.kernel);
  port.on('message', (job: JobMessage) => {
    try {
      run(kernel, job);
    } catch (error) {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  });
  send({ type: 'ready', kernel: kernel.name, skipped });
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
