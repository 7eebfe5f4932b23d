/**
 * What a message to a worker thread costs the thread that sends it, on this machine: posted to
 * a worker asleep in its event loop (the post wakes it) and to one busy (no wake-up), as the
 * mempool posts its signature jobs (a job's shape: ids, 8 transfers' bytes). Main-thread CPU
 * from Linux's /proc/self/task/<tid>/schedstat (ns on the CPU), less what reading it costs.
 *
 *   npx tsx bench/lib/wakeCost.ts [posts]
 *
 * Why: bench intake's verify threads spend 15–35 µs a transfer beyond the verifies themselves,
 * and postMessage's native part is the biggest self time in its main thread's profile (20 % of
 * the samples, wall time: a worker woken on the same core shows there too); a job of 8
 * transfers wakes a worker, and its answer wakes the main thread. Here (2 vCPUs, load 8–11,
 * 6 runs): the median post to a sleeping worker cost the sender 96–127 µs of CPU (p10 0, p90
 * ≈ 157), one to a busy worker nothing measurable; with a worker that answers at once instead of
 * spinning, 46 µs. At 7–10 transfers a job that is ≈ 10–20 µs a transfer on each side, about
 * what the node's own work exceeds the single aim's budget by (bench intake prints both).
 * Whether it is CPU the kernel spends or time the hypervisor charges to the vCPU, it is not
 * there for the node's work.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';

const posts = Number(process.argv[2] ?? 400);
const SPIN_MS = 3;
// The worker spins SPIN_MS on each message: a post within that finds it busy.
const worker = new Worker(
  `const { parentPort } = require('node:worker_threads');
   parentPort.on('message', () => { const t = performance.now(); while (performance.now() - t < ${SPIN_MS}) {} });`,
  { eval: true },
);
await new Promise((resolve) => worker.once('online', resolve));
const onCpuUs = () =>
  Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const job = (id: number) => ({
  id,
  bytes: new Uint8Array(8 * 157),
  indexes: null,
  checkRoot: false,
  transfers: true,
});
const timed = (post: () => void): number => {
  const started = onCpuUs();
  post();
  return onCpuUs() - started;
};

let reading = 0;
for (let i = 0; i < posts; i++) reading += timed(() => undefined);
const asleep: number[] = [];
const busy: number[] = [];
for (let i = 0; i < posts; i++) {
  asleep.push(timed(() => worker.postMessage(job(i))));
  await pause(1); // it spins on that message now
  busy.push(timed(() => worker.postMessage(job(i))));
  await pause(2 * SPIN_MS + 5); // both done: it sleeps again
}
await worker.terminate();
const cost = (xs: number[], at: number) =>
  Math.max(0, xs.sort((a, b) => a - b)[Math.floor(at * (xs.length - 1))]! - reading / posts);
const spread = (xs: number[]) =>
  `${cost(xs, 0.5).toFixed(0)} µs (p10 ${cost(xs, 0.1).toFixed(0)}, p90 ${cost(xs, 0.9).toFixed(0)})`;
process.stdout.write(
  `postMessage of a signature job, the sender's CPU over ${posts} posts: to a sleeping worker ${spread(asleep)}, to a busy one ${spread(busy)}; reading the clock ${(reading / posts).toFixed(0)} µs (load ${loadavg()[0]!.toFixed(1)})\n`,
);
