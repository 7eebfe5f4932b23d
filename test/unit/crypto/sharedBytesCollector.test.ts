/**
 * A signature worker collects its garbage once the blocks shared with it since the last time
 * (SharedArrayBuffers) reach COLLECT_EVERY_SHARED_BYTES: each block's shared megabyte goes once
 * every thread that saw it let go of it, and a worker allocates too little for V8 to get there on
 * its own (sharedBytesCollector.ts). Bytes of its own (a mempool's loose transfers, copied) do not count.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  COLLECT_EVERY_SHARED_BYTES,
  exposeGcToNewThreads,
  sharedBytesCollector,
} from '../../../src/crypto/sharedBytesCollector.js';

const shared = (length: number) => new Uint8Array(new SharedArrayBuffer(length));

describe('sharedBytesCollector', () => {
  it('collects once the shared bytes since the last collection reach the bound', () => {
    let collections = 0;
    const jobDone = sharedBytesCollector(() => collections++);
    const block = 1_000_000;
    const perCollection = Math.ceil(COLLECT_EVERY_SHARED_BYTES / block);
    for (let i = 1; i < perCollection; i++) jobDone(shared(block));
    expect(collections).toBe(0);
    jobDone(shared(block));
    expect(collections).toBe(1);
    for (let i = 0; i < 3 * perCollection; i++) jobDone(shared(block));
    expect(collections).toBe(4);
  });

  it('counts only shared bytes', () => {
    let collections = 0;
    const jobDone = sharedBytesCollector(() => collections++);
    for (let i = 0; i < 10; i++) jobDone(new Uint8Array(COLLECT_EVERY_SHARED_BYTES));
    expect(collections).toBe(0);
    jobDone(shared(COLLECT_EVERY_SHARED_BYTES).subarray(10));
    jobDone(shared(10));
    expect(collections).toBe(1);
  });

  it("by default runs this thread's global gc, and none where the thread has none", () => {
    const jobDone = sharedBytesCollector();
    jobDone(shared(COLLECT_EVERY_SHARED_BYTES)); // this thread has no gc: nothing to run, no throw
    let runs = 0;
    const global = globalThis as { gc?: () => void };
    global.gc = () => runs++;
    try {
      jobDone(shared(COLLECT_EVERY_SHARED_BYTES));
    } finally {
      delete global.gc;
    }
    expect(runs).toBe(1);
  });

  it('a thread started after exposeGcToNewThreads has a global gc that collects; this one has none', async () => {
    exposeGcToNewThreads();
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       let dropped = new WeakRef(new SharedArrayBuffer(1e6));
       setImmediate(() => {
         if (typeof gc === 'function') gc();
         parentPort.postMessage({ gc: typeof gc, collected: dropped.deref() === undefined });
       });`,
      { eval: true },
    );
    const answer = await new Promise((resolve) => worker.once('message', resolve));
    await worker.terminate();
    expect(answer).toEqual({ gc: 'function', collected: true });
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
  });
});
