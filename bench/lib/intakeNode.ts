/**
 * A node for bench/intake.ts in its own process, so that the load generator does not share its
 * event loop: `node intakeNode.js <mempoolMaxCount> [memory|group|each|bare|http|net]`, compiled by
 * intakeClients.ts's compileIntakeNode as users run dist/ (or under tsx). Easy proof of work (test/support/chainBuilder.ts), a memory store (or SQLite in a temp directory, with the
 * mempool journal committing by group or for each transfer), 127.0.0.1 on a free port, no miner threads.
 *
 * Protocol on stdio, one JSON line each: it prints `{"url"}` once listening; then for every line
 * it reads on stdin it prints what it has spent since the previous one: `{"cpuMs", "mainCpuMs",
 * "elu", "mempool", "threadsMs", "threadSleeps"}` (CPU of the whole process, the verify threads
 * included; of its main thread alone; the event loop's utilisation, 1 = the main thread never
 * idle; the pool's size; CPU by thread; voluntary context switches by thread; `gc`: the young and full collections since,
 * and the young generation's size then, in MB; `onWorkers`: the signatures its worker threads
 * answered for, bench/lib/onWorkers.ts). It exits when stdin closes.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import Fastify from 'fastify';
import { semiSpaceSizeMb, youngGenerationBytes } from '../../src/cli/youngGeneration.js';
import { signaturesOnWorkers } from '../../src/crypto/signatureWorkers.js';
import { createInlineNonceSearch } from '../../src/miner/inlineNonceSearch.js';
import { createNode } from '../../src/node/createNode.js';
import { easyParams } from '../../test/support/chainBuilder.js';
import { nodeStarted } from './heldYoungGeneration.js';
import { startRawServer } from './rawServer.js';

const mempoolMaxCount = Number(process.argv[2] ?? 50_000);
/** 'memory': no disk, nothing journaled; 'group' or 'each': SQLite, the journal so committing. */
const journal = process.argv[3] ?? 'memory';
/**
 * 'bare': no node at all, a fastify server with one route POST /api/tx that parses the JSON body
 * and answers 201 as the node does, to measure what HTTP itself costs a request.
 */
const bare = journal === 'bare';
/** 'http': the same with node:http alone, no framework: the floor of what HTTP costs in Node. */
const http = journal === 'http';
/** 'net': the same on a plain TCP socket, no node:http (rawServer.ts): the floor below it. */
const net = journal === 'net';
const dataDir =
  journal === 'memory' || bare || http || net
    ? undefined
    : mkdtempSync(join(tmpdir(), 'blockyard-intake-'));
const node = bare
  ? await startBare()
  : http
    ? await startHttp()
    : net
      ? await startRawServer(JSON.stringify({ id: '00'.repeat(32), status: 'pending' }))
      : await createNode({
          params: easyParams,
          dataDir,
          ...(journal === 'each' ? { journalCommit: 'each' as const } : {}),
          host: '127.0.0.1',
          port: 0,
          mempoolMaxCount,
          // No worker pool: the bench submits its blocks, and idle miner threads would only take memory.
          search: createInlineNonceSearch(),
        });

async function startBare(): Promise<{
  url: string;
  mempool: { size: number };
  close(): Promise<void>;
}> {
  const app = Fastify();
  let size = 0;
  app.post('/api/tx', async (request, reply) => {
    size += request.body === undefined ? 0 : 1;
    reply.code(201);
    return { id: '00'.repeat(32), status: 'pending' };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    mempool: {
      get size() {
        return size;
      },
    },
    close: () => app.close(),
  };
}
/** What startBare does, on node:http: the body read whole and parsed, 201 and the same JSON. */
async function startHttp(): Promise<{
  url: string;
  mempool: { size: number };
  close(): Promise<void>;
}> {
  let size = 0;
  const answer = JSON.stringify({ id: '00'.repeat(32), status: 'pending' });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const ok = request.method === 'POST' && request.url === '/api/tx';
      if (ok && JSON.parse(Buffer.concat(chunks).toString('utf8')) !== undefined) size++;
      const body = ok ? answer : '{}';
      response.writeHead(ok ? 201 : 200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    mempool: {
      get size() {
        return size;
      },
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

/**
 * The main thread's own CPU time (ms), from Linux's /proc (NaN elsewhere): unlike the event
 * loop's busy time, it leaves out the time the thread was ready but another thread had the core.
 */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15 of the line), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * The CPU time (ms) of each of the process's threads by name, from Linux's /proc (empty
 * elsewhere): the main thread is the one whose id is the process's, called "main" here; the
 * verify workers, libuv's pool and V8's helpers (garbage collection, compiling) go by their own.
 */
function threadCpuMs(): Map<string, number> {
  const byName = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/self/task`)) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name =
        tid === String(process.pid)
          ? 'main'
          : `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))} ${tid}`;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * 10;
      byName.set(name, (byName.get(name) ?? 0) + ms);
    }
  } catch {
    // not Linux
  }
  return byName;
}

/**
 * Each thread's voluntary context switches (by name, as threadCpuMs): how often it went to sleep,
 * each a wake-up later (a post to a sleeping worker costs the sender ≈ 100 µs of CPU here:
 * bench/lib/wakeCost.ts). From /proc/self/task/<tid>/status (empty elsewhere).
 */
function threadSleeps(): Map<string, number> {
  const byName = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/self/task`)) {
      const status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
      const field = (key: string) => status.match(new RegExp(`^${key}:\\s*(.*)$`, 'm'))?.[1] ?? '';
      const name = tid === String(process.pid) ? 'main' : `${field('Name')} ${tid}`;
      byName.set(name, (byName.get(name) ?? 0) + Number(field('voluntary_ctxt_switches')));
    }
  } catch {
    // not Linux
  }
  return byName;
}

/** Garbage collections since the last report: young (scavenges) and full (mark-compact). */
const collections = { young: 0, full: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    // NODE_PERFORMANCE_GC_MINOR (1) is a scavenge, MAJOR (4) a mark-compact.
    const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === 1) collections.young++;
    else if (kind === 4) collections.full++;
    // INTAKE_TRACE_YOUNG=1: each collection, when the observer saw it and the semi-spaces then
    // (stderr), to see when V8 grew the young generation past capGrowth's cap.
    if (process.env.INTAKE_TRACE_YOUNG === '1')
      process.stderr.write(
        `young ${process.pid} ${entry.startTime.toFixed(0)} seen ${performance.now().toFixed(0)} kind ${kind} semi ${semiSpaceSizeMb()} MB\n`,
      );
  }
}).observe({ entryTypes: ['gc'] });

let onWorkers = signaturesOnWorkers();
let mainCpu = mainThreadCpuMs();
let sleeps = threadSleeps();
let threads = threadCpuMs();
let cpu = process.cpuUsage();
let elu = performance.eventLoopUtilization();
const lines = createInterface({ input: process.stdin });
lines.on('line', () => {
  const used = process.cpuUsage(cpu);
  const loop = performance.eventLoopUtilization(elu);
  const main = mainThreadCpuMs();
  const nowThreads = threadCpuMs();
  const threadsMs = Object.fromEntries(
    [...nowThreads].map(([name, ms]) => [name, ms - (threads.get(name) ?? 0)]),
  );
  threads = nowThreads;
  const nowSleeps = threadSleeps();
  const threadSleepsSince = Object.fromEntries(
    [...nowSleeps].map(([name, n]) => [name, n - (sleeps.get(name) ?? 0)]),
  );
  sleeps = nowSleeps;
  cpu = process.cpuUsage();
  elu = performance.eventLoopUtilization();
  say({
    cpuMs: (used.user + used.system) / 1000,
    mainCpuMs: main - mainCpu,
    elu: loop.utilization,
    mempool: node.mempool.size,
    threadsMs,
    threadSleeps: threadSleepsSince,
    gc: { ...collections, youngMb: youngGenerationBytes() / 2 ** 20 },
    onWorkers: signaturesOnWorkers() - onWorkers,
  });
  onWorkers = signaturesOnWorkers();
  collections.young = 0;
  collections.full = 0;
  mainCpu = main;
});
lines.on('close', () => {
  void node.close().then(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
// The young generation capped once up, as `blockyard node` caps it (intakeClients.ts holds it
// from the start with `--import`).
nodeStarted();
say({ url: node.url });
