/**
 * `blockyard devnet` for real: the command in its own process starts three nodes, each in its
 * own process, that find each other and follow one miner's chain; one SIGINT stops them all,
 * each with exit code 0, and none is left running.
 *
 * The command runs from src/ through tsx (test/support/blockyardFromSource.ts), and the devnet
 * starts its nodes the same way: bin/blockyard.js runs the compiled dist/, which can lag behind
 * src/ on a developer's machine, while this tests the code as it is. Every wait is bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const entry = fileURLToPath(new URL('../support/blockyardFromSource.ts', import.meta.url));
const NODES = 3;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

/** A base port with NODES free ports from it. */
async function freeBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(Array.from({ length: NODES }, (_, i) => isFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free ports');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `test` every 200 ms until it holds; fails after `ms`. */
async function waitFor(what: string, ms: number, test: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function info(url: string): Promise<{ height: number; tip_hash: string } | undefined> {
  try {
    const response = await fetch(`${url}/api/info`, { signal: AbortSignal.timeout(2_000) });
    return response.ok
      ? ((await response.json()) as { height: number; tip_hash: string })
      : undefined;
  } catch {
    return undefined;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'blockyard-devnet-'));
let devnet: ChildProcess | undefined;
const nodePids: number[] = [];

afterAll(() => {
  // Only if the test failed half-way: nothing of it may outlive the test run.
  if (devnet && devnet.exitCode === null && devnet.signalCode === null) devnet.kill('SIGKILL');
  for (const pid of nodePids) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('blockyard devnet', () => {
  it('runs three nodes that follow one chain, and stops them all on SIGINT', async () => {
    const base = await freeBasePort();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        entry,
        'devnet',
        '--nodes',
        String(NODES),
        '--port',
        String(base),
        '--dir',
        dir,
        '--network',
        'tutorial',
        '--miners',
        '1',
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    devnet = child;
    const lines: string[] = [];
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => lines.push(line));
    }
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const output = () => lines.join('\n');

    // The summary: one line per node with its URL and pid, once every node answers.
    const summary = /^\s+node(\d+)\s+(http:\/\/\S+?)\/\s+pid (\d+)/;
    await waitFor('the devnet to start its nodes', 60_000, () => {
      if (child.exitCode !== null) throw new Error(`the devnet exited:\n${output()}`);
      return lines.filter((line) => summary.test(line)).length === NODES;
    });
    const nodes = lines.flatMap((line) => {
      const m = summary.exec(line);
      return m ? [{ name: `node${m[1]}`, url: m[2]!, pid: Number(m[3]) }] : [];
    });
    nodePids.push(...nodes.map((n) => n.pid));
    expect(nodes.map((n) => n.url)).toEqual(
      Array.from({ length: NODES }, (_, i) => `http://127.0.0.1:${base + i}`),
    );
    expect(new Set(nodePids).size).toBe(NODES);
    expect(nodePids).not.toContain(child.pid);
    for (const pid of nodePids) expect(isRunning(pid), `node pid ${pid}`).toBe(true);

    // node0 mines; the others learn each block from it, so all reach one tip at height ≥ 3.
    await waitFor('all nodes on one chain of height ≥ 3', 60_000, async () => {
      const tips = await Promise.all(nodes.map((n) => info(n.url)));
      return tips.every(
        (tip) => tip !== undefined && tip.height >= 3 && tip.tip_hash === tips[0]!.tip_hash,
      );
    });

    child.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      exited,
      new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), 30_000);
      }),
    ]);
    clearTimeout(timer);
    expect(outcome, output()).toEqual({ code: 0, signal: null });
    for (const node of nodes) {
      expect(lines).toContain(`devnet: ${node.name} (pid ${node.pid}) exited with code 0`);
      expect(isRunning(node.pid), `${node.name} (pid ${node.pid}) still runs`).toBe(false);
    }
    expect(lines).toContain('devnet: all nodes stopped');
  }, 150_000);
});
