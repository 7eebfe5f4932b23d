/**
 * A child process for a kill test: it works until the point the test wants, says
 * `{"stopped": …}` on stdout and waits there (deepRewindChild.ts, tentativeConnectChild.ts); the
 * test then kills it with SIGKILL, so no handler runs and nothing is closed, or wakes it (SIGCONT)
 * and waits for it to say `{"done": …}`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export interface StoppedChild<T> {
  /** What the child said when it stopped. */
  readonly stopped: T;
  /** Kills it with SIGKILL; the signal it died of. */
  kill(): Promise<NodeJS.Signals | null>;
  /** Wakes it with SIGCONT (the child stopped itself with SIGSTOP); what it says when done. */
  resume(): Promise<unknown>;
}

/** Runs `script` under tsx with `args` until it says it stopped; `cleanups` kills it after the test. */
export async function runUntilStopped<T = number>(
  script: string,
  args: readonly string[],
  cleanups: (() => void)[],
): Promise<StoppedChild<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  let done: (value: unknown) => void = () => {};
  const finished = new Promise<unknown>((resolve) => {
    done = resolve;
  });
  const stopped = await new Promise<T>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) before it stopped`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { stopped?: T; done?: unknown };
      if (message.stopped !== undefined) resolve(message.stopped);
      if (message.done !== undefined) done(message.done);
    });
  });
  return {
    stopped,
    kill() {
      child.kill('SIGKILL');
      return exited;
    },
    async resume() {
      await stoppedBySignal(child.pid!);
      child.kill('SIGCONT');
      return finished;
    },
  };
}

/**
 * Resolves once the process is stopped (state T in /proc/<pid>/stat). The child says it stopped
 * and then stops itself, so its line can come before its SIGSTOP takes effect: a SIGCONT sent in
 * between is lost and the child then stops for good (a CI run timed out so, 60 s). Nothing emits
 * the change, so this reads the state every few milliseconds.
 */
async function stoppedBySignal(pid: number): Promise<void> {
  const state = () => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
  while (state() !== 'T') await delay(2);
}
