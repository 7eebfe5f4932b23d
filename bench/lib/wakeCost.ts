/**
 * What a message to a worker thread costs the thread that sends it, on this machine: posted to
 * a worker asleep in its event loop (the post wakes it) and to one busy (no wake-up), as the
 * mempool posts its signature jobs (a job's shape: ids, 8 transfers' bytes). Main-thread CPU
 * from Linux's /proc/self/task/<tid>/schedstat (ns on the CPU), less what reading it costs.
 *
 *   npx tsx bench/lib/wakeCost.ts [posts]
 *
 * (bench/intake.ts calls measureWakeCost in its run, to put a price on the node's sleeps.) The
 * same with Atomics.notify to a worker asleep in Atomics.wait (a SharedArrayBuffer ring's
 * doorbell) cost the sender as much here (mean 73–116 µs, median 91–131 µs, 3 runs of 200–300,
 * load 6–8), and a notify to a worker waiting in Atomics.waitAsync did not wake it within 5 ms
 * (Node 20): a ring between the threads saves no wake-up, only a worker kept awake would.
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

const SPIN_MS = 3;

export interface WakeCost {
  /** Median CPU (µs) a post to a sleeping worker costs the sender, p10 and p90. */
  readonly asleep: { readonly p10: number; readonly p50: number; readonly p90: number };
  /** The same to a busy worker. */
  readonly busy: { readonly p10: number; readonly p50: number; readonly p90: number };
  /** What reading the thread's CPU costs (µs), taken off the above. */
  readonly readingUs: number;
}

/** Posts `posts` signature jobs to a sleeping, then a busy worker: the sender's CPU for each. */
export async function measureWakeCost(posts = 400): Promise<WakeCost> {
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
  const asleep: number[] = [];
  const busy: number[] = [];
  try {
    for (let i = 0; i < posts; i++) reading += timed(() => undefined);
    for (let i = 0; i < posts; i++) {
      asleep.push(timed(() => worker.postMessage(job(i))));
      await pause(1); // it spins on that message now
      busy.push(timed(() => worker.postMessage(job(i))));
      await pause(2 * SPIN_MS + 5); // both done: it sleeps again
    }
  } finally {
    await worker.terminate();
  }
  const readingUs = reading / posts;
  const cost = (xs: number[], at: number) =>
    Math.max(0, xs.sort((a, b) => a - b)[Math.floor(at * (xs.length - 1))]! - readingUs);
  const spread = (xs: number[]) => ({ p10: cost(xs, 0.1), p50: cost(xs, 0.5), p90: cost(xs, 0.9) });
  return { asleep: spread(asleep), busy: spread(busy), readingUs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const posts = Number(process.argv[2] ?? 400);
  const { asleep, busy, readingUs } = await measureWakeCost(posts);
  const spread = (s: WakeCost['asleep']) =>
    `${s.p50.toFixed(0)} µs (p10 ${s.p10.toFixed(0)}, p90 ${s.p90.toFixed(0)})`;
  process.stdout.write(
    `postMessage of a signature job, the sender's CPU over ${posts} posts: to a sleeping worker ${spread(asleep)}, to a busy one ${spread(busy)}; reading the clock ${readingUs.toFixed(0)} µs (load ${loadavg()[0]!.toFixed(1)})\n`,
  );
}
