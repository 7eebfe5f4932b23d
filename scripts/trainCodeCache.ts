/**
 * The training run of `npm run build:bundle` (scripts/bundleCli.ts): V8's code cache of the
 * bundled node, written by a node that has done what a fresh node does first, so that the next
 * fresh node finds that code compiled (src/cli/loadBundle.ts). Three `blockyard node`s on
 * 127.0.0.1, each on a free port in a temporary folder:
 *   - `ahead` mines 20 blocks (the tutorial network, GET /mine?count=20);
 *   - `trained`, fresh, adopts them the tutorials' way (POST /nodes/register, GET /nodes/resolve),
 *     then answers GET /chain and GET /api/info;
 *   - `follower`, fresh, does the same from `trained`, which so serves a sync too.
 * `ahead` and `follower` run from dist/'s modules (BLOCKYARD_BUNDLE=0); `trained` runs the
 * bundle without a cache, so it writes one when it stops (src/cli/nodeCommand.ts). Nothing here
 * fails the build: a node without a cache writes one the first time it stops.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const AHEAD = 20;
/** The longest a step may take before the training gives up. */
const STEP_MS = 60_000;

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
}

/** `blockyard node` on a free port; resolves once it has printed its home page and is up. */
function startNode(root: string, dataDir: string, bundled: boolean): Promise<Started> {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'blockyard.js'), 'node', '--port', '0', '--data-dir', dataDir],
    {
      env: { ...process.env, BLOCKYARD_BUNDLE: bundled ? '1' : '0' },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  return new Promise((resolve, reject) => {
    let printed = '';
    // A node that never comes up must not hold the build (npm install) for ever.
    const late = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`a training node did not start within ${STEP_MS} ms`));
    }, STEP_MS);
    child.once('exit', (code) => {
      clearTimeout(late);
      reject(new Error(`a training node exited (${code})`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      const url = /home page\s+(http:\/\/\S+?)\/?\s/.exec(printed)?.[1];
      if (!url || !printed.includes('Ctrl-C')) return;
      clearTimeout(late);
      resolve({ child, url });
    });
  });
}

async function call(url: string, init?: RequestInit): Promise<void> {
  const answer = await fetch(url, { ...init, signal: AbortSignal.timeout(STEP_MS) });
  await answer.arrayBuffer();
  if (!answer.ok) throw new Error(`${url} answered ${answer.status}`);
}

const register = (node: string, peer: string) =>
  call(`${node}/nodes/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nodes: [peer] }),
  });

/** Stops `started` (SIGTERM, as Ctrl-C would) and waits for it to exit. */
function stop(started: Started | undefined): Promise<void> {
  if (!started || started.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.once('exit', () => resolve());
    started.child.kill('SIGTERM');
  });
}

/** Runs the training; says what became of the cache (for the build's output). */
export async function trainCodeCache(root: string, bundleId: string): Promise<string> {
  const temp = mkdtempSync(join(tmpdir(), 'blockyard-train-'));
  const nodes: Started[] = [];
  try {
    const ahead = await startNode(root, join(temp, 'ahead'), false);
    nodes.push(ahead);
    await call(`${ahead.url}/mine?count=${AHEAD}`);
    const trained = await startNode(root, join(temp, 'trained'), true);
    nodes.push(trained);
    await register(trained.url, ahead.url);
    await call(`${trained.url}/nodes/resolve`);
    await call(`${trained.url}/chain`);
    await call(`${trained.url}/api/info`);
    const follower = await startNode(root, join(temp, 'follower'), false);
    nodes.push(follower);
    await register(follower.url, trained.url);
    await call(`${follower.url}/nodes/resolve`);
    await stop(follower);
    await stop(trained);
    // Named after `trained`'s node and flags (loadBundle.ts's cacheFileOf), not this process's.
    const dir = join(root, 'dist', 'bundle');
    const name = readdirSync(dir).find((file) => file.startsWith(`blockyard-${bundleId}-`));
    const written = name ? statSync(join(dir, name)) : undefined;
    return written
      ? `written (${(written.size / 1e6).toFixed(1)} MB)`
      : 'not written (the node will write it when it first stops)';
  } catch (error) {
    return `not trained (${(error as Error).message}); the node will write it when it first stops`;
  } finally {
    for (const node of nodes.reverse()) await stop(node);
    rmSync(temp, { recursive: true, force: true });
  }
}
