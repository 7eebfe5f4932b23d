/**
 * threadGc takes this thread's gc() at run time, and still gets it while other threads set V8's
 * (process-wide) --expose-gc on and off for their own (a signature worker's sharedBytesCollector
 * beside the main thread's collectGarbage): a syncing node died of "gc is not defined" when the
 * main thread's new context was made just after a worker had set the flag back.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { threadGc } from '../../../src/crypto/threadGc.js';

/** Another thread taking its gc over and over, as threadGc does, until told to stop. */
const OTHER_THREAD = `
const { parentPort } = require('node:worker_threads');
const { setFlagsFromString } = require('node:v8');
const { runInNewContext } = require('node:vm');
let stop = false;
parentPort.on('message', () => { stop = true; });
parentPort.postMessage('started');
(function loop() {
  for (let i = 0; i < 200; i++) {
    setFlagsFromString('--expose-gc');
    runInNewContext('typeof gc');
    setFlagsFromString('--no-expose-gc');
  }
  if (stop) parentPort.close(); else setImmediate(loop);
})();
`;

describe('threadGc', () => {
  it("gives this thread's gc while other threads set the flag on and off", async () => {
    const others = [0, 1].map(() => new Worker(OTHER_THREAD, { eval: true }));
    await Promise.all(others.map((w) => new Promise((resolve) => w.once('message', resolve))));
    let missing = 0;
    for (let i = 0; i < 3_000; i++) {
      const gc = threadGc();
      if (typeof gc !== 'function') missing++;
    }
    for (const other of others) other.postMessage('stop');
    await Promise.all(others.map((w) => new Promise((resolve) => w.once('exit', resolve))));
    expect(missing).toBe(0);
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
  });

  it('collects: an object let go of is gone after it', async () => {
    const dropped = new WeakRef({ big: new Array(1_000).fill(0) });
    await new Promise((resolve) => setImmediate(resolve)); // WeakRefs hold their targets a turn
    threadGc()!();
    expect(dropped.deref()).toBeUndefined();
  });
});
