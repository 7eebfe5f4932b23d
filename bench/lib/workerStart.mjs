/**
 * How long a compiled signature worker takes to start: spawned, sent one job of one (unsigned)
 * transfer, timed to its answer, with the process's CPU and resident memory then. Compare two
 * builds alternated: copy one's dist/crypto and dist/core into a folder beside dist (say
 * .old-dist) and run
 *   for i in 1 2 3 4 5; do node bench/lib/workerStart.mjs .old-dist; node bench/lib/workerStart.mjs dist; done
 */
import { Worker } from 'node:worker_threads';

const which = process.argv[2] ?? 'dist';
const url = new URL(`../../${which}/crypto/signatureWorker.js`, import.meta.url);
const bytes = new Uint8Array(157);
bytes[0] = 1; // a transfer's type byte; its signature does not verify, which is answered too
const cpu0 = process.cpuUsage();
const started = performance.now();
const worker = new Worker(url, { workerData: {}, resourceLimits: { maxYoungGenerationSizeMb: 3 } });
worker.postMessage({ id: 1, bytes, indexes: null, checkRoot: false, transfers: true });
worker.once('message', () => {
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const rss = process.memoryUsage().rss / 1e6;
  console.log(
    `${which}: ${ms.toFixed(1)} ms to the first answer; process CPU ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms; RSS ${rss.toFixed(1)} MB`,
  );
  void worker.terminate();
});
