/**
 * A syncing node's timeline (bench/lib/p2pNode.ts, BENCH_TIMELINE=1), for seeing what its first
 * blocks cost: in ms from the sync's start, when each block's checks were started ahead
 * (chain.verifyAhead), when each was added and committed, each HTTP request to the peer and its
 * answer, each garbage collection of the main thread, and, from a sampler on a thread of its own
 * (not held up by a busy main thread), every thread's CPU in bins of BIN_MS (its
 * /proc/self/task/<tid>/schedstat, ns), the threads started during the sync (the signature
 * workers) apart. Written to /tmp/timeline-<pid>.txt when the sync ends (the returned function).
 */
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Chain } from '../../src/chain/chain.js';

/** The sampler's bins. */
const BIN_MS = 50;

/** Reads every thread's CPU (ns) each 5 ms into `samples` until told to stop; then posts them. */
const SAMPLER = `
const { parentPort } = require('node:worker_threads');
const { readdirSync, readFileSync, readlinkSync } = require('node:fs');
const self = Number(readlinkSync('/proc/thread-self').split('/').pop());
const samples = [];
const read = () => {
  const at = performance.timeOrigin + performance.now();
  const threads = {};
  for (const tid of readdirSync('/proc/self/task')) {
    if (Number(tid) === self) continue;
    try { threads[tid] = Number(readFileSync('/proc/self/task/' + tid + '/schedstat', 'utf8').split(' ')[0]); } catch {}
  }
  samples.push([at, threads]);
};
read();
parentPort.postMessage('ready');
const timer = setInterval(read, 5);
parentPort.on('message', () => { clearInterval(timer); read(); parentPort.postMessage(samples); });
`;

type Sample = [at: number, threads: Record<string, number>];

/**
 * Starts recording (once the sampler runs: the threads it sees first are the node's before the
 * sync); the function it resolves to ends it and writes the file.
 */
export async function recordSyncTimeline(
  chain: Chain,
): Promise<{ mark: (what: string) => void; end: () => Promise<void> }> {
  const sampler = new Worker(SAMPLER, { eval: true });
  await new Promise((resolve) => sampler.once('message', resolve));
  const origin = performance.timeOrigin + performance.now();
  const rel = (absolute: number) => absolute - origin;
  const lines: [number, string][] = [];
  const at = (what: string) => lines.push([rel(performance.timeOrigin + performance.now()), what]);
  const verifyAhead = chain.verifyAhead.bind(chain);
  chain.verifyAhead = (block, bytes, hash) => {
    at(`verifyAhead ${block.header.height} (${block.txs.length} txs)`);
    verifyAhead(block, bytes, hash);
    at(`verifyAhead ${block.header.height} returned`);
  };
  const addBlock = chain.addBlock.bind(chain);
  chain.addBlock = async (block, origin_) => {
    at(`addBlock ${block.header.height} start`);
    const added = await addBlock(block, origin_);
    at(`addBlock ${block.header.height} end`);
    return added;
  };
  const commitHeld = chain.commitHeld.bind(chain);
  chain.commitHeld = () => {
    at('commitHeld start');
    commitHeld();
    at('commitHeld end');
  };
  const requests = new WeakMap<object, string>();
  const onRequest = ({ request }: { request: { path?: string } }) => {
    const path = (request.path ?? '').split('?')[0]!;
    const asked = /hashes=([^&]*)/.exec(request.path ?? '')?.[1]?.split(',').length;
    const name = `${path}${asked ? ` (${asked} blocks)` : ''}`;
    requests.set(request, name);
    at(`request ${name}`);
  };
  const onResponse = ({ request }: { request: object }) =>
    at(`answer headers ${requests.get(request) ?? '?'}`);
  subscribe('http.client.request.start', onRequest as (message: unknown) => void);
  subscribe('http.client.response.finish', onResponse as (message: unknown) => void);
  const gcs = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind ?? 0;
      lines.push([
        rel(performance.timeOrigin + entry.startTime),
        `gc kind ${kind} ${entry.duration.toFixed(1)} ms`,
      ]);
    }
  });
  gcs.observe({ entryTypes: ['gc'] });
  // Its origin on the monotonic clock, as V8's CPU profiles count (µs): to cut a profile by it.
  at(
    `timeline start (monotonic ${process.hrtime.bigint() / 1000n} µs, epoch ${origin.toFixed(1)} ms)`,
  );
  const end = async () => {
    at('timeline end');
    gcs.disconnect();
    const samples = await new Promise<Sample[]>((resolve) => {
      sampler.once('message', resolve);
      sampler.postMessage('stop');
    });
    await sampler.terminate();
    writeFileSync(`/tmp/timeline-${process.pid}.txt`, render(lines, samples, rel));
  };
  return { mark: at, end };
}

/** The events in order, then each bin's CPU by thread (ms of CPU in the bin). */
function render(
  lines: [number, string][],
  samples: Sample[],
  rel: (absolute: number) => number,
): string {
  const first = samples[0]![1];
  const main = String(process.pid);
  const before = Object.keys(first).filter((tid) => tid !== main);
  const workers = [...new Set(samples.flatMap(([, threads]) => Object.keys(threads)))].filter(
    (tid) => !(tid in first),
  );
  const out = lines.sort((a, b) => a[0] - b[0]).map(([t, what]) => `${t.toFixed(1)} ${what}`);
  // Each block's share: from the end of the one before (or the measured start) to its end.
  const cpuAt = (t: number, tids: string[]) => {
    const sample = samples.find(([at]) => rel(at) >= t) ?? samples.at(-1)!;
    return tids.reduce((n, tid) => n + (sample[1][tid] ?? 0), 0) / 1e6;
  };
  const ends = lines.filter(([, what]) => /^(addBlock \d+ end|measured sync start)$/.test(what));
  out.push('', 'by block: wall ms, CPU ms of main | the threads started in the sync | the rest');
  for (let k = 1; k < ends.length; k++) {
    const [from] = ends[k - 1]!;
    const [to, what] = ends[k]!;
    const cpu = (tids: string[]) => (cpuAt(to, tids) - cpuAt(from, tids)).toFixed(0).padStart(5);
    out.push(
      `${what.padEnd(16)} ${(to - from).toFixed(0).padStart(5)} ms: main ${cpu([main])} | ${cpu(workers)} | ${cpu(before)}`,
    );
  }
  out.push('', `bins of ${BIN_MS} ms: CPU ms of main | each thread started in the sync | the rest`);
  let bin = 0;
  let last = samples[0]!;
  const sum = (threads: Record<string, number>, tids: string[]) =>
    tids.reduce((n, tid) => n + (threads[tid] ?? 0), 0);
  for (const sample of samples) {
    if (rel(sample[0]) < (bin + 1) * BIN_MS && sample !== samples.at(-1)) continue;
    const d = (tids: string[]) =>
      (
        (sum(sample[1], tids) -
          sum(
            last[1],
            tids.filter((t) => t in last[1]),
          )) /
        1e6
      ).toFixed(0);
    out.push(
      `${(bin * BIN_MS).toString().padStart(6)} main ${d([main]).padStart(3)} | ${workers
        .map((tid) => (tid in sample[1] ? d([tid]) : '-').padStart(3))
        .join(' ')} | ${d(before).padStart(3)}`,
    );
    last = sample;
    bin = Math.floor(rel(sample[0]) / BIN_MS);
  }
  return out.join('\n');
}

/**
 * A serving node's side (BENCH_TIMELINE=1 on every bench node): when each request came and when
 * its answer was written, in epoch ms (performance.timeOrigin-based, as the syncing node's
 * "epoch" origin), written to /tmp/server-timeline-<pid>.txt by the returned function.
 */
export function recordServerTimeline(): () => void {
  const lines: string[] = [];
  const now = () => (performance.timeOrigin + performance.now()).toFixed(1);
  const path = (request: { url?: string }) => {
    const asked = /hashes=([^&]*)/.exec(request.url ?? '')?.[1]?.split(',').length;
    return `${(request.url ?? '').split('?')[0]}${asked ? ` (${asked} blocks)` : ''}`;
  };
  subscribe('http.server.request.start', (message) => {
    lines.push(`${now()} request ${path((message as { request: { url?: string } }).request)}`);
  });
  subscribe('http.server.response.finish', (message) => {
    lines.push(`${now()} answered ${path((message as { request: { url?: string } }).request)}`);
  });
  return () => writeFileSync(`/tmp/server-timeline-${process.pid}.txt`, lines.join('\n'));
}
