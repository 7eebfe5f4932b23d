/**
 * Issue 13, aim 5: the node's resident memory, as a user runs it (the built `blockyard node`,
 * not tsx), against the smallest Node HTTP server in the same run. dist/ and its bundle are
 * rebuilt from src/ first (tsc, scripts/bundleCli.ts), so the figure is the code under test. Measured: idle, and the peak while it mines
 * one block (GET /mine starts the mining workers) and serves GET /chain. NOT measured here: the
 * node after 10,000 blocks (bench/connect.ts's memory part).
 *
 * NOTE: when idle is sampled decides the figure. A few seconds after start V8 still holds what
 * the start allocated (heap 35 MB committed of which 26 MB used, a young generation grown to
 * 8 MB); V8's memory reducer gives most of it back with one to three "reduce" mark-compacts 8 s
 * after the start's last mark-compact if the node allocates little by then (later otherwise:
 * 24 s without youngGeneration.ts's hold), RSS 96 → 81 MB (load 6, before the lazy miner).
 * An earlier 85 MB ("5 s after start", at load 10–17, when a start took 3–4 s) caught the node
 * after the reducer, the quiet bench's 101 MB (3 s after it answered, a start of 1.5 s) before
 * it. So the node runs with --trace-gc here, and "settled" is sampled once the reducer's GCs are
 * over (no GC for 3 s after a "reduce", and 20 s at least after the node answered): the median
 * of 5 samples 1 s apart. The figure 3 s after the node answered is printed beside it.
 *
 * PERF: where an idle node's memory is (built node, empty chain, load 5–8, Dec 2026), against the
 * bare node:http server's 46.5 MB: /proc/<pid>/smaps 3 s after start: file-backed 47 MB (the
 * node binary's pages, 41 of them, against 34 for the bare server; better-sqlite3 1.8), V8 heap
 * 35 MB committed (26 used; 22 committed once the reducer ran), malloc 6–8 MB on the main arena
 * and 5–10 in per-thread arenas. Live heap after a full GC (node --expose-gc, each import in
 * turn): node itself 3.1 MB, pino 0.8, fastify 2.4, TypeBox 1.7, ajv 1.0, the core 1.7 (noble's
 * curves and hashes), p2p 0.6, the contract 1.0, the API server 1.2, the CLI 0.8: 14 MB once
 * loaded; the start adds 3 MB (route registration 2, the store, the rest under 0.5 each; 5 MB
 * before Swagger UI, the wallet and noble's key table moved to first use). Strings are the
 * largest kind (6 MB in a heap snapshot, most of it the modules' source text V8 keeps), then
 * code (bytecode, scope infos: 5 MB). What moved out of an idle node: the mining workers (their
 * start left ≈ 8 MB in malloc arenas), the wallet (bip39 word list, scrypt, AES), the dashboard's
 * files, Swagger UI and @fastify/swagger (the OpenAPI document is built at the first /docs),
 * TypeBox's Value, noble's base-point table (the last two: 3 s after it answered 81.3 → 80.1 MB,
 * settled 75.4 → 74.6 MB, medians of 3 runs alternated with 2d5299f's, load 6–11). Tried and left alone: --no-concurrent-recompilation
 * (the arenas shrink, the settled RSS did not move beyond noise), --single-threaded (slower GC
 * and compiles). Settable only when node starts, measured as a launcher would set them (built
 * node, load 6–12, 2–3 runs each alternated with the plain start, sampled 3 s after it answered
 * and after ≈ 30 s): MALLOC_ARENA_MAX=2, --v8-pool-size=2 (9 threads instead of 11),
 * UV_THREADPOOL_SIZE=2, --max-semi-space-size=1, and the first two together: each within the
 * runs' spread (±4 MB; medians at most 2–5 MB lower), so no launcher sets them: on node 20 (no
 * exec) a launcher is a second process waiting on the node, which costs more than that. Set at
 * runtime: a shorter --gc-memory-reducer-start-delay-ms did not bring the reducer's GCs earlier
 * (16–17 s after start either way, --trace-gc), and a full GC forced once the node answered
 * (--expose-gc set at runtime) gave −0 to −3 MB at 3 s, within the spread: neither kept.
 * What is left: the live heap of an idle node is 15.2 MB after a full GC (a bare node's 4), of
 * which strings are 5.3 MB, mostly the modules' source text V8 keeps (noble's curves alone
 * ≈ 0.6 MB of it, two bytes a character for their "²"), and bytecode and other code 4.4 MB:
 * next, a minified bundle of the node's modules, and noble's signing code out of src/core's
 * index (1.1 MB of live heap; an idle node never signs).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, mb, median, printAim, resetPeakRss, rssOf } from './lib/report.js';

const IDLE_AIM = 80e6;
/** The longest wait for V8's memory reducer after the node answered. */
const SETTLE_LIMIT_MS = 60_000;
const QUIET_AFTER_GC_MS = 3_000;
/** Not sampled before: the reducer's last GC can come ≈ 1 s after its first, its pages later. */
const SETTLE_AT_LEAST_MS = 20_000;
const PEAK_AIM = 150e6;
const root = fileURLToPath(new URL('..', import.meta.url));
const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const sleep = (delayMs: number) => new Promise((resolve) => setTimeout(resolve, delayMs));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Waits until `url` answers 200. */
async function answering(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`${url} never answered`);
}

/** The median of `count` RSS samples `everyMs` apart. */
async function rssMedian(pid: number, count = 5, everyMs = 1_000): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0) await sleep(everyMs);
    samples.push(rssOf(pid).rss);
  }
  return median(samples);
}

/**
 * Follows the node's --trace-gc lines; `settled()` resolves once a memory-reducing mark-compact
 * ran, no GC followed for QUIET_AFTER_GC_MS and SETTLE_AT_LEAST_MS passed since `from`, or after
 * SETTLE_LIMIT_MS (reduced: false).
 */
function gcWatch(child: ChildProcess): {
  settled: (from: number) => Promise<{ reduced: boolean }>;
} {
  let lastGcMs = performance.now();
  let reduced = false;
  let buffered = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!/ ms: (Scavenge|Mark-Compact|Minor Mark)/.test(line)) continue;
      lastGcMs = performance.now();
      if (line.includes('(reduce)')) reduced = true;
    }
  });
  return {
    async settled(from: number) {
      const limit = from + SETTLE_LIMIT_MS;
      while (performance.now() < limit) {
        const now = performance.now();
        const quiet = now - lastGcMs >= QUIET_AFTER_GC_MS && now - from >= SETTLE_AT_LEAST_MS;
        if (reduced && quiet) return { reduced };
        await sleep(250);
      }
      return { reduced };
    },
  };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

out(
  `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, node ${process.version}`,
);
out(`load average at start: ${load()}`);
const built = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (built.status !== 0) throw new Error('tsc -p tsconfig.build.json failed');
// The node runs from the bundle when it is up to date with dist/ (src/cli/nodeCommand.ts). NOTE:
// --trace-gc is a V8 flag, so the first run after a build has no code cache for it (and writes
// one when it stops, src/cli/loadBundle.ts): that run compiles as it goes, settled 67.4 MB at
// load 6; a plain start with the build's cache held 64.5-65.2 MB 30 s after it started.
const bundled = spawnSync('npx', ['tsx', 'scripts/bundleCli.ts'], { cwd: root, stdio: 'inherit' });
if (bundled.status !== 0) throw new Error('scripts/bundleCli.ts failed');

const temp = mkdtempSync(join(tmpdir(), 'blockyard-bench-memory-'));
const children: ChildProcess[] = [];
try {
  const barePort = await freePort();
  const bare = spawn(
    process.execPath,
    [
      '-e',
      `require('node:http').createServer((q, r) => r.end('{}')).listen(${barePort}, '127.0.0.1')`,
    ],
    { stdio: 'ignore' },
  );
  children.push(bare);
  await answering(`http://127.0.0.1:${barePort}/`, bare);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const node = spawn(
    process.execPath,
    ['--trace-gc', join(root, 'bin/blockyard.js'), 'node', '--port', `${port}`, '--data-dir', temp],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  children.push(node);
  const gc = gcWatch(node);
  await answering(`${url}/api/info`, node);
  const answeredMs = performance.now();
  await sleep(3_000);
  const early = rssOf(node.pid!).rss;
  const { reduced } = await gc.settled(answeredMs);
  const settledAfterS = (performance.now() - answeredMs) / 1000;
  const [idle, bareIdle] = await Promise.all([rssMedian(node.pid!), rssMedian(bare.pid!)]);

  resetPeakRss(node.pid!);
  const mined = await fetch(`${url}/mine`);
  await mined.arrayBuffer();
  for (let i = 0; i < 5; i++) await (await fetch(`${url}/chain`)).arrayBuffer();
  const { peak, rss: afterMining } = rssOf(node.pid!);

  out();
  out(`blockyard node (built), idle 3 s after it answered: ${mb(early)}`);
  out(
    `blockyard node (built), idle, settled:    ${mb(idle)} (${reduced ? `V8's memory reducer ran; sampled ${settledAfterS.toFixed(0)} s after it answered` : `V8's memory reducer had not run ${SETTLE_LIMIT_MS / 1000} s after it answered`})`,
  );
  out(`bare node:http server, idle:               ${mb(bareIdle)}`);
  out(`blockyard node, peak while mining + /chain: ${mb(peak)} (after: ${mb(afterMining)})`);
  out();
  printAim({
    name: '5 idle resident memory (settled)',
    figure: mb(idle),
    reference: `bare node:http ${mb(bareIdle)}`,
    ratio: `${(idle / bareIdle).toFixed(2)}×`,
    target: `< ${mb(IDLE_AIM)}`,
    met: idle < IDLE_AIM,
  });
  printAim({
    name: '5 peak resident memory mining one block and serving /chain',
    figure: mb(peak),
    reference: `bare node:http ${mb(bareIdle)}`,
    ratio: `${(peak / bareIdle).toFixed(2)}×`,
    target: `< ${mb(PEAK_AIM)}`,
    met: peak < PEAK_AIM,
  });
  out(`load average at end: ${load()}`);
} finally {
  for (const child of children) await stop(child);
  rmSync(temp, { recursive: true, force: true });
}
