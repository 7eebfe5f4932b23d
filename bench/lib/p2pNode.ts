/**
 * A node for bench/p2p.ts in its own process, as `blockyard devnet` runs them:
 * `node --import tsx bench/lib/p2pNode.ts <json options>` with options `{dataDir, peers, tips}`.
 * Easy proof of work (test/support/chainBuilder.ts), SQLite under dataDir, 127.0.0.1 on a free
 * port, no miner threads (the bench brings its blocks).
 *
 * Protocol, one JSON line each way. It prints `{"type": "ready", "url"}` once listening, and
 * `{"type": "tip", "hash", "height", "t"}` whenever its chain's tip changes (unless `tips` is
 * false), and
 * `{"type": "tx", "id", "t"}` whenever its mempool accepts a transaction, `t` being
 * process.hrtime.bigint() as a string (CLOCK_MONOTONIC: one clock for every process of the
 * machine). It reads commands `{"id", "op", ...}` and answers `{"type": "done", "id", ...}`:
 *
 *   add   {hex}   chain.addBlock of one block; answers how long it took
 *   addTx {hex}   mempool.add of one transaction
 *   load  {file}  reads blocks from `file` (each a u32 length and its bytes), and decodes and
 *                 adds them one by one; answers the time and CPU that took, and the signatures
 *                 its workers answered for meanwhile (onWorkers; `sync` too)
 *   sync  {url}   introduces itself to `url`, then syncs from it; answers the time and CPU
 *                 (BENCH_TIMELINE=1: and writes its timeline, bench/lib/syncTimeline.ts)
 *   requests      the HTTP requests this node answered since the last `requests`, by path
 *   cpu           this process's CPU time so far (user + system, libuv's threads included), ms;
 *                 and the main thread's garbage collections so far (gcMs, gcCount by V8's kind)
 *   memory        process.memoryUsage(): rss, heapTotal, heapUsed, external, arrayBuffers, and
 *                 newSpace, the young generation's size (bytes)
 *   snapshot {file} writes a heap snapshot of the main thread to `file` (node:v8)
 *   profile {file?} starts V8's CPU profiler (no file), or stops it and writes the profile to
 *                 `file`: a profile of just the rounds a benchmark times (bench/lib/adoptProfile.ts)
 *   close         closes the node and exits
 *
 * BENCH_TRACE_GC=1: once ready, V8's --trace-gc on (BENCH_TRACE_GC_FLAGS for others, e.g.
 * "--trace-gc --trace-incremental-marking"); its lines go to stdout, which nodeChild.ts passes on
 * to stderr, with a line where each `cpu` was read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { getHeapSpaceStatistics, setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { decodeBlock, decodeTx, fromHex } from '../../src/core/index.js';
import { signaturesOnWorkers } from '../../src/crypto/signatureWorkers.js';
import { createInlineNonceSearch } from '../../src/miner/inlineNonceSearch.js';
import { createNode } from '../../src/node/createNode.js';
import { createLogger } from '../../src/node/logger.js';
import { easyParams } from '../../test/support/chainBuilder.js';
import { prettyLoggerBefore } from '../../test/support/prettyBefore.js';
// Loaded before this file by nodeChild.ts (--import): the young generation as `blockyard node` holds it.
import { nodeStarted } from './heldYoungGeneration.js';
import { recordServerTimeline, recordSyncTimeline } from './syncTimeline.js';
import { mainThreadCpuMs, threadsCpuDelta, threadsCpuMs } from './threadCpu.js';

const options = JSON.parse(process.argv[2] ?? '{}') as {
  dataDir?: string;
  peers?: string[];
  tips?: boolean;
};
/** The node, once started (start(): no top-level await, as compiledNode.ts bundles this file). */
let node: Awaited<ReturnType<typeof createNode>>;
/**
 * Garbage collections of the main thread so far (a gc PerformanceObserver): how many of each kind
 * (node's perf_hooks kinds: 1 scavenge, 4 mark-compact, 8 incremental marking, 16 weak
 * callbacks; an f after it: forced, a gc() call) and their time, ms.
 */
const collections = { count: {} as Record<string, number>, ms: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const { kind = 0, flags = 0 } =
      (entry as { detail?: { kind?: number; flags?: number } }).detail ?? {};
    const key = `${kind}${flags & 4 ? 'f' : ''}`; // f: forced (a gc() call)
    collections.count[key] = (collections.count[key] ?? 0) + 1;
    collections.ms += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });
/** Requests answered, by path: the round trips a benchmark counts. */
let requests: Record<string, number> = {};
/**
 * Lines to the bench, written once this turn of the event loop is over. PERF: stdout is a pipe,
 * and a pipe's writes are synchronous on Linux: one write per tip was ≈ 10 % of a running node's
 * CPU for a register + resolve onto 20 blocks (node --cpu-prof), the harness's cost counted as
 * the node's. Each line keeps the time it was taken at.
 */
let pending: string[] = [];
const flush = () => {
  if (pending.length > 0) process.stdout.write(pending.join(''));
  pending = [];
};
const say = (line: object) => {
  if (pending.length === 0) setImmediate(flush);
  pending.push(`${JSON.stringify(line)}\n`);
};

/**
 * Wall time, CPU time (libuv's verify threads included; the main thread's alone, on Linux) and
 * event-loop use of `work`.
 */
async function measured<T>(work: () => Promise<T>) {
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpuMs();
  const threadsBefore = threadsCpuMs();
  const onWorkers = signaturesOnWorkers();
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const mainAfter = mainThreadCpuMs();
  return {
    value,
    ms,
    cpuMs: (used.user + used.system) / 1000,
    mainCpuMs: mainCpu === undefined || mainAfter === undefined ? undefined : mainAfter - mainCpu,
    /** Each thread's CPU ms (Linux), this one's included, most first: threadsCpuDelta's. */
    threadsMs: threadsCpuDelta(threadsBefore, threadsCpuMs()).map(([tid, ms]) => [
      tid === process.pid ? 'main' : tid,
      ms,
    ]),
    elu: performance.eventLoopUtilization(elu).utilization,
    /** Signatures its worker threads answered for (bench/lib/onWorkers.ts). */
    onWorkers: signaturesOnWorkers() - onWorkers,
  };
}

type Command =
  | { id: number; op: 'add'; hex: string }
  | { id: number; op: 'addTx'; hex: string }
  | { id: number; op: 'load'; file: string }
  | { id: number; op: 'sync'; url: string }
  | { id: number; op: 'requests' }
  | { id: number; op: 'cpu' }
  | { id: number; op: 'memory' }
  | { id: number; op: 'snapshot'; file: string }
  | { id: number; op: 'profile'; file?: string }
  | { id: number; op: 'close' };

let profiler: Session | undefined;
/** BENCH_TIMELINE=1: the requests this node answered, written when it closes. */
const serverTimeline = process.env.BENCH_TIMELINE ? recordServerTimeline() : undefined;

async function run(command: Command): Promise<object> {
  switch (command.op) {
    case 'add': {
      const block = decodeBlock(fromHex(command.hex));
      if (!block.ok) return { ok: false, code: block.code };
      const started = performance.now();
      const added = await node.chain.addBlock(block.value);
      const ms = performance.now() - started;
      return added.ok
        ? { ok: true, status: added.value.status, ms }
        : { ok: false, code: added.code };
    }
    case 'addTx': {
      const tx = decodeTx(fromHex(command.hex));
      if (!tx.ok) return { ok: false, code: tx.code };
      const added = await node.mempool.add(tx.value);
      return added.ok ? { ok: true } : { ok: false, code: added.code };
    }
    case 'load': {
      const bytes = readFileSync(command.file);
      const at: number[] = [];
      for (let i = 0; i < bytes.length; i += 4 + bytes.readUInt32BE(i)) at.push(i);
      // Each block decoded just before it is added, as views into the file's bytes (decodeBlock's
      // views), as a sync decodes the blocks it gets: copies held 5.7 MB of heap a full block,
      // 182 MB for the 32 of bench p2p; views decoded all at once, before the first was added,
      // held 32 blocks' transfers until the end (the serving node's peak once loaded: 341-431 MB
      // in four runs). Decoding as views is ≈ 0.9 µs a transfer, inside the time measured.
      const {
        value: failure,
        ms,
        cpuMs,
        mainCpuMs,
        threadsMs,
        elu,
        onWorkers,
      } = await measured(async () => {
        for (const start of at) {
          const length = bytes.readUInt32BE(start);
          const block = decodeBlock(bytes.subarray(start + 4, start + 4 + length), { views: true });
          if (!block.ok) return block.code;
          const added = await node.chain.addBlock(block.value);
          if (!added.ok) return added.code;
          if (added.value.status !== 'connected') return added.value.status;
        }
        return undefined;
      });
      return failure
        ? { ok: false, code: failure }
        : {
            ok: true,
            blocks: at.length,
            height: node.chain.tip.header.height,
            ms,
            cpuMs,
            mainCpuMs,
            threadsMs,
            elu,
            onWorkers,
          };
    }
    case 'sync': {
      // From before the greeting, which starts the sync (peerContact.ts); the time measured
      // starts after it, at the sync it joins.
      const timeline = process.env.BENCH_TIMELINE
        ? await recordSyncTimeline(node.chain)
        : undefined;
      const registered = await node.network.register([command.url]);
      if (!registered.ok) return { ok: false, code: registered.code, detail: registered.detail };
      const [peer] = registered.value;
      if (peer?.status !== 'connected')
        return { ok: false, code: peer?.error?.code ?? 'P2P_UNREACHABLE', detail: peer?.state };
      const {
        value: result,
        ms,
        cpuMs,
        mainCpuMs,
        threadsMs,
        elu,
        onWorkers,
      } = await measured(() => {
        timeline?.mark('measured sync start');
        return node.network.sync(command.url);
      });
      await timeline?.end();
      const height = node.chain.tip.header.height;
      return result.ok
        ? {
            ok: true,
            ...result.value,
            height,
            ms,
            cpuMs,
            mainCpuMs,
            threadsMs,
            elu,
            onWorkers,
            rss: process.memoryUsage().rss,
          }
        : { ok: false, code: result.code, detail: result.detail };
    }
    case 'requests': {
      const counted = requests;
      requests = {};
      return { ok: true, requests: counted };
    }
    case 'cpu': {
      const { user, system } = process.cpuUsage();
      // BENCH_TRACE_GC=1: where in V8's trace (stdout) the bench read the CPU.
      if (process.env.BENCH_TRACE_GC === '1')
        process.stdout.write(`-- cpu read at ${performance.now().toFixed(0)} ms\n`);
      return {
        ok: true,
        cpuMs: (user + system) / 1000,
        gcMs: collections.ms,
        gcCount: { ...collections.count },
      };
    }
    case 'memory':
      return {
        ok: true,
        ...process.memoryUsage(),
        newSpace: getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size,
        spaces: Object.fromEntries(
          getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]),
        ),
      };
    case 'snapshot':
      writeHeapSnapshot(command.file);
      return { ok: true };
    case 'profile': {
      if (!command.file) {
        profiler = new Session();
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
        await profiler.post('Profiler.start');
        return { ok: true };
      }
      if (!profiler) return { ok: false, code: 'not profiling' };
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(command.file, JSON.stringify(profile));
      profiler.disconnect();
      return { ok: true };
    }
    case 'close':
      serverTimeline?.();
      await node.close();
      return { ok: true };
  }
}

function benchLogger(format: string) {
  if (format === 'before') return prettyLoggerBefore('info', process.stderr);
  return createLogger(format === 'json' ? 'json' : 'pretty');
}

async function start(): Promise<void> {
  const logger = process.env.BENCH_LOG ? benchLogger(process.env.BENCH_LOG) : undefined;
  node = await createNode({
    params: easyParams,
    dataDir: options.dataDir,
    host: '127.0.0.1',
    port: 0,
    peers: options.peers ?? [],
    // No worker pool: the bench brings its blocks, and idle miner threads would only take memory.
    search: createInlineNonceSearch(),
    // As `blockyard node` starts (src/node/warmUp.ts); BENCH_WARM_UP=0 leaves it out, to compare.
    warmUp: process.env.BENCH_WARM_UP !== '0',
    // BENCH_LOG: the node logs to stderr as `blockyard node` does (pretty, json), or as it did
    // before the direct formatter and syncLog.ts (before); silent otherwise (bench/lib/logCost.ts).
    ...(logger ? { logger } : {}),
  });
  // BENCH_LOG=before also logs a line a block, as the node did before src/p2p/syncLog.ts.
  if (process.env.BENCH_LOG === 'before')
    node.chain.on('connected', (entry, block) =>
      logger?.info(
        { hash: entry.hashHex, txs: block.txs.length },
        `block ${entry.header.height} connected`,
      ),
    );
  node.app.server.on('request', (request: { url?: string }) => {
    const path = (request.url ?? '').split('?')[0]!;
    requests[path] = (requests[path] ?? 0) + 1;
  });
  node.mempool.on('added', (entry) =>
    say({ type: 'tx', id: entry.idHex, t: process.hrtime.bigint().toString() }),
  );
  // NOTE: `tips: false` for a node whose tips the bench does not wait on: each line is a write to a
  // pipe, the harness's cost, not the node's (≈ 5 % of a running node's CPU for a register +
  // resolve onto 20 blocks, bench/lib/adoptProfile.ts).
  if (options.tips !== false)
    node.chain.on('tip', (entry) =>
      say({
        type: 'tip',
        hash: entry.hashHex,
        height: entry.header.height,
        t: process.hrtime.bigint().toString(),
      }),
    );
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = JSON.parse(line) as Command;
    void run(command).then((answer) => {
      say({ type: 'done', id: command.id, ...answer });
      if (command.op === 'close') {
        flush();
        process.exit(0);
      }
    });
  });
  lines.on('close', () => {
    serverTimeline?.();
    void node.close().then(() => process.exit(0));
  });
  // The line `blockyard node` writes once listening: stderr is opened then, not on a sync's line.
  logger?.info({ height: node.chain.tip.header.height }, `blockyard node ${node.url}`);
  nodeStarted();
  // BENCH_TRACE_GC=1: V8 prints each collection and why (stdout; nodeChild.ts passes it on).
  // Set once started, so that the code cache was read under the flags it was made with.
  if (process.env.BENCH_TRACE_GC === '1')
    setFlagsFromString(process.env.BENCH_TRACE_GC_FLAGS ?? '--trace-gc');
  say({ type: 'ready', url: node.url });
}

void start();
