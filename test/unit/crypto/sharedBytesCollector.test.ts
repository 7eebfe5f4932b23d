/**
 * A signature worker collects its garbage once the blocks shared with it since the last time
 * (SharedArrayBuffers) reach COLLECT_EVERY_SHARED_BYTES: each block's shared megabyte goes once
 * every thread that saw it let go of it, and a worker allocates too little for V8 to get there on
 * its own (sharedBytesCollector.ts). Bytes of its own (a mempool's loose transfers, copied) do not count.
 */
import { describe, expect, it } from 'vitest';
import {
  COLLECT_EVERY_SHARED_BYTES,
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

  it('runs a full collection of this thread by default, no global gc left behind', async () => {
    const jobDone = sharedBytesCollector();
    const dropped = new WeakRef(shared(COLLECT_EVERY_SHARED_BYTES));
    await new Promise((resolve) => setImmediate(resolve)); // WeakRefs hold their targets a turn
    jobDone(shared(COLLECT_EVERY_SHARED_BYTES));
    expect(dropped.deref()).toBeUndefined();
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
  });
});
