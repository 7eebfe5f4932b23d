/**
 * A signature worker counts the shared bytes of every job it answers (sharedBytesCollector.ts,
 * the collector itself tested beside this): once they add up to COLLECT_EVERY_SHARED_BYTES it
 * runs its full collection. Here the real worker (src/crypto/signatureWorker.ts, from source as
 * sourceWorker.mjs starts it) with a global gc that counts its calls: a job of that many shared
 * bytes has it collect once; an unshared job of the same size does not.
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { COLLECT_EVERY_SHARED_BYTES } from '../../../src/crypto/sharedBytesCollector.js';
import type { WorkerAnswer, WorkerJob } from '../../../src/crypto/signatureWorkers.js';

const entry = new URL('../../../src/crypto/signatureWorker.ts', import.meta.url).href;
/** Registers tsx (as sourceWorker.mjs), puts a counting gc in place, then loads the worker. */
const script = `
  const { workerData } = require('node:worker_threads');
  const counts = new Int32Array(workerData.gcCalls);
  globalThis.gc = () => Atomics.add(counts, 0, 1);
  import('tsx/esm/api').then(({ register }) => { register(); return import(workerData.entry); });
`;

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
});

function start() {
  const gcCalls = new SharedArrayBuffer(4);
  const worker = new Worker(script, { eval: true, workerData: { entry, gcCalls } });
  workers.push(worker);
  const answered = new Map<number, (answer: WorkerAnswer) => void>();
  worker.on('message', (answer: WorkerAnswer) => answered.get(answer.id)?.(answer));
  const ask = (job: WorkerJob) =>
    new Promise<WorkerAnswer>((resolve) => {
      answered.set(job.id, resolve);
      worker.postMessage(job);
    });
  return { ask, collections: () => Atomics.load(new Int32Array(gcCalls), 0) };
}

/** A job that checks nothing (no index asked): what is counted is its bytes. */
const job = (id: number, bytes: Uint8Array): WorkerJob => ({
  id,
  bytes,
  indexes: [],
  checkRoot: false,
  transfers: true,
});

describe('a signature worker', () => {
  it('runs its full collection once its jobs shared COLLECT_EVERY_SHARED_BYTES', async () => {
    const { ask, collections } = start();
    const shared = new Uint8Array(new SharedArrayBuffer(COLLECT_EVERY_SHARED_BYTES));
    await ask(job(1, new Uint8Array(COLLECT_EVERY_SHARED_BYTES)));
    // The worker counts a job after answering it: the next answer comes after that count.
    await ask(job(2, new Uint8Array(0)));
    expect(collections()).toBe(0);
    await ask(job(3, shared));
    await ask(job(4, new Uint8Array(0)));
    expect(collections()).toBe(1);
  }, 60_000);
});
