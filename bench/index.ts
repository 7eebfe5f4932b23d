/**
 * `npm run bench`: runs every bench/*.ts except this file, one after another, each in its own
 * Node process so that one benchmark's threads and JIT state cannot skew the next.
 * `npm run bench -- mining` runs only the files whose name contains "mining".
 * Shared helpers live in bench/lib/ and are not run.
 *
 * A bench that has not finished after BENCH_TIMEOUT_S seconds (default 900) is stopped with its
 * whole process group (the nodes it started included) and counted as failed, so one that hangs
 * cannot hold up the others.
 *
 * Before each bench it waits (up to BENCH_QUIET_WAIT_S, default 60) for the cores to be at most
 * BENCH_QUIET_BUSY (default 0.1) busy over a second, and prints how quiet they were: every ratio a
 * bench prints is measured beside its reference, but other processes on the cores still move the
 * two unequally. At the end it repeats every `AIM` line the benches printed, so one run gives the
 * whole table. NOTE: `bench connect` hung twice under tsx in one session, before
 * printing anything, cause unknown; three later runs finished in 205–272 s at load 7–9.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { quietLine, waitForQuiet } from './lib/quiet.js';

const here = new URL('.', import.meta.url);
const filters = process.argv.slice(2);
const timeoutS = Number(process.env.BENCH_TIMEOUT_S ?? 900);
const quietBusy = Number(process.env.BENCH_QUIET_BUSY ?? 0.1);
const quietWaitS = Number(process.env.BENCH_QUIET_WAIT_S ?? 60);
/** How long a bench's stdout is still read once it exited (see runBench). */
const DRAIN_MS = 2_000;
/** Every `AIM …` line the benches printed, with the bench that printed it. */
const aims: string[] = [];
const files = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

/** Runs one bench file in its own process group: its exit code, or 'timeout'. */
function runBench(path: string): Promise<number | 'timeout'> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path], {
      stdio: ['inherit', 'pipe', 'inherit'],
      detached: true,
    });
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines) if (line.startsWith('AIM ')) aims.push(line);
    });
    const forward = (signal: NodeJS.Signals) => () => killGroup(child.pid, signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt).on('SIGTERM', onTerm);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutS * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      process.off('SIGINT', onInt).off('SIGTERM', onTerm);
      // The bench's own children (nodes it started) go with it, and with them the last holders of
      // its stdout, so 'close' follows once every line it printed has been read. NOTE: a
      // grandchild in a process group of its own could keep the pipe open for ever: what is in
      // the pipe is read for up to DRAIN_MS more, then the bench counts as ended.
      killGroup(child.pid, 'SIGKILL');
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearTimeout(drain);
        if (partial.startsWith('AIM ')) aims.push(partial);
        partial = '';
        resolve(timedOut ? 'timeout' : (code ?? 1));
      };
      const drain = setTimeout(() => {
        child.stdout.destroy();
        end();
      }, DRAIN_MS);
      if (child.stdout.closed) end();
      else child.stdout.once('close', end);
    });
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // NOTE: the group is already gone.
  }
}

const failed: string[] = [];
for (const file of files) {
  process.stdout.write(`\n== bench/${file} ==\n\n`);
  process.stdout.write(quietLine(await waitForQuiet(quietBusy, quietWaitS), quietBusy));
  const result = await runBench(fileURLToPath(new URL(file, here)));
  if (result === 'timeout') {
    process.stdout.write(`\nbench/${file} did not finish in ${timeoutS} s: stopped\n`);
    failed.push(`${file} (timed out)`);
  } else if (result !== 0) failed.push(file);
}
if (aims.length > 0) process.stdout.write(`\n== every aim of this run ==\n\n${aims.join('\n')}\n`);
if (files.length === 0) process.stdout.write(`no bench/*.ts matches ${filters.join(' ')}\n`);
if (failed.length > 0) {
  process.stderr.write(`\nfailed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
