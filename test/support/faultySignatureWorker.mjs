// A signature worker (src/crypto/signatureWorker.ts, run from source as sourceWorker.mjs does)
// with a fault, for the tests of what the pool and the mempool do when a worker misbehaves:
// - 'stall' (stallingSignatureWorker.mjs): a whole block's job (check) blocks this thread for
//   good: a worker busy elsewhere;
// - 'die' (dyingSignatureWorker.mjs): the worker that claims the first part of a claims job
//   (checkAt, and loose transfers from SPREAD_TRANSFERS on) exits with it unjudged: a worker
//   that dies mid-job;
// - 'late' (lateSignatureWorker.mjs): a claims job is answered only once every offset of it is
//   judged, by this worker or another: every copy of a shared job answers after the last verdict.
// Every other job goes to the real worker's handler.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

export async function runFaulty(fault) {
  register();
  let real;
  const on = parentPort.on.bind(parentPort);
  // The real worker registers its handler on parentPort: taken here, and called below.
  parentPort.on = (event, handler) => {
    if (event === 'message') real = handler;
    else on(event, handler);
    return parentPort;
  };
  await import(new URL('../../src/crypto/signatureWorker.ts', import.meta.url).href);
  let late;
  if (fault === 'late') {
    const post = parentPort.postMessage.bind(parentPort);
    parentPort.postMessage = (answer) => {
      const judged = late?.judged;
      while (judged && Atomics.load(judged, 0) < late.offsets.length) {
        Atomics.wait(judged, 0, Atomics.load(judged, 0), 5);
      }
      post(answer);
    };
  }
  on('message', (job) => {
    if (fault === 'stall' && !job.claims && !job.transfers) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until terminated
    }
    const { claims } = job;
    late = claims;
    if (
      fault === 'die' &&
      claims &&
      Atomics.compareExchange(claims.next, 0, 0, claims.part) === 0
    ) {
      process.exit(1);
    }
    real(job);
  });
}
