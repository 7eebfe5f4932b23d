/**
 * Crash tests' child node and the crash loop: a node mining flat out in a child process while
 * submitters send it transfers, killed with SIGKILL at random moments (after a random number of
 * acknowledged transfers) and started again on the same data, many times. Used by
 * test/integration/crashLoop.test.ts (a few kills) and scripts/crashLoop.ts (many).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const childScript = fileURLToPath(new URL('./miningNodeChild.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface Reported {
  readonly height: number;
  readonly hash: string;
  readonly txs: number;
}

/**
 * Starts a mining node in a child process; `connected` collects the blocks it reports, and
 * `until(test)` resolves once the reports pass `test` (or rejects if the child dies first).
 */
export async function spawnMiningNode(dataDir: string, children: ChildProcess[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const connected: Reported[] = [];
  const waiters: Array<{ test: () => boolean; resolve: () => void; reject: (e: Error) => void }> =
    [];
  const settle = () => {
    for (const waiter of [...waiters]) {
      if (waiter.test()) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  let hello: (value: { url: string; address: string }) => void;
  const started = new Promise<{ url: string; address: string }>((resolve) => {
    hello = resolve;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line);
    if ('url' in message) hello(message);
    else connected.push(message);
    settle();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    for (const waiter of waiters.splice(0)) {
      waiter.reject(new Error(`the child exited (${code ?? signal}) before it reported enough`));
    }
  });
  return {
    connected,
    ...(await Promise.race([
      started,
      exited.then(() => Promise.reject(new Error('the child exited before it started'))),
    ])),
    until: (test: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        if (test()) resolve();
        else waiters.push({ test, resolve, reject });
      }),
    /** SIGKILL: no handler runs, nothing is flushed or closed. */
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface CrashLoopReport {
  readonly kills: number;
  /** Transfers the node answered 201 for, over all its lives. */
  readonly acknowledged: readonly string[];
  /** Blocks the children reported connected, over all their lives. */
  readonly connected: readonly Reported[];
}

/**
 * Runs `kills` lives of a mining node on `dataDir`: each takes transfers from four submitters and
 * is killed once it has acknowledged a random number of them (1 to `maxPerLife`), in the middle
 * of whatever it was doing. `random` picks the numbers (a seeded one makes a run repeatable).
 */
export async function runCrashLoop(options: {
  dataDir: string;
  kills: number;
  recipient: string;
  children: ChildProcess[];
  random?: () => number;
  maxPerLife?: number;
}): Promise<CrashLoopReport> {
  const random = options.random ?? Math.random;
  const maxPerLife = options.maxPerLife ?? 30;
  const acknowledged: string[] = [];
  const connected: Reported[] = [];
  for (let life = 0; life < options.kills; life++) {
    const child = await spawnMiningNode(options.dataDir, options.children);
    // The node's key earns the rewards it spends: wait for one block in the first life.
    if (life === 0) await child.until(() => child.connected.length >= 2);
    const target = 1 + Math.floor(random() * maxPerLife);
    let mine = 0;
    let running = true;
    let reached: () => void = () => {};
    const enough = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const submitter = async () => {
      while (running) {
        try {
          const answer = await fetch(`${child.url}/transactions/new`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              sender: child.address,
              recipient: options.recipient,
              amount: '0.001',
            }),
          });
          const body = (await answer.json()) as { id?: string };
          if (answer.status === 201 && body.id) {
            acknowledged.push(body.id);
            if (++mine >= target) reached();
          }
        } catch {
          return; // the node is gone
        }
      }
    };
    const submitters = Array.from({ length: 4 }, submitter);
    await enough;
    await child.kill();
    running = false;
    await Promise.all(submitters);
    connected.push(...child.connected);
  }
  return { kills: options.kills, acknowledged, connected };
}

/** A seeded generator (mulberry32), so a failing run can be repeated with its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
