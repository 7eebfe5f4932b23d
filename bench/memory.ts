/**
 * Issue 13, aim 5: the node's resident memory, as a user runs it (the built `blockyard node`,
 * not tsx), against the smallest Node HTTP server in the same run. dist/ is rebuilt from src/
 * first (tsc), so the figure is the code under test. Measured: idle a few seconds after start,
 * and the peak while it mines one block (GET /mine starts the mining workers) and serves
 * GET /chain. NOT measured here: the node after 10,000 full blocks (10 GB of chain; bench/reads.ts
 * shows the serving peak flat in chain length instead).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, mb, printAim, resetPeakRss, rssOf } from './lib/report.js';

const IDLE_AIM = 80e6;
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
    [join(root, 'bin/blockyard.js'), 'node', '--port', `${port}`, '--data-dir', temp],
    { stdio: 'ignore' },
  );
  children.push(node);
  await answering(`${url}/api/info`, node);
  await sleep(3_000);
  const idle = rssOf(node.pid!).rss;
  const bareIdle = rssOf(bare.pid!).rss;

  resetPeakRss(node.pid!);
  const mined = await fetch(`${url}/mine`);
  await mined.arrayBuffer();
  for (let i = 0; i < 5; i++) await (await fetch(`${url}/chain`)).arrayBuffer();
  const { peak, rss: afterMining } = rssOf(node.pid!);

  out();
  out(`blockyard node (built), idle:              ${mb(idle)}`);
  out(`bare node:http server, idle:               ${mb(bareIdle)}`);
  out(`blockyard node, peak while mining + /chain: ${mb(peak)} (after: ${mb(afterMining)})`);
  out();
  printAim({
    name: '5 idle resident memory',
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
