// Starts a signature worker from TypeScript source (vitest, tsx). Node 20 applies loader hooks
// given to a worker (--import tsx) only after its entry module is loaded, so a .ts entry fails;
// this plain-JS entry registers tsx first, then imports signatureWorker.ts. The built node never
// uses it: it starts dist/crypto/signatureWorker.js directly (see signatureWorkers.ts), as the
// miner does with src/miner/sourceWorker.mjs.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
