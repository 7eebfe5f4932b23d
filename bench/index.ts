/**
 * `npm run bench`: runs every bench/*.ts except this file, one after another, each in its own
 * Node process so that one benchmark's threads and JIT state cannot skew the next.
 * `npm run bench -- mining` runs only the files whose name contains "mining".
 * Shared helpers live in bench/lib/ and are not run.
 *
 * A bench that has not finished after BENCH_TIMEOUT_S seconds (default 900) is stopped with its
 * whole process group (the nodes it started included) and counted as failed, so one that hangs
 * cannot hold up the others. NOTE: `bench connect` hung twice under tsx in one session, before
 * printing anything, cause unknown; three later runs finished in 205–272 s at load 7–9.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = new URL('.', import.meta.url);
const filters = process.argv.slice(2);
const timeoutS = Number(process.env.BENCH_TIMEOUT_S ?? 900);
const files = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

/** Runs one bench file in its own process group: its exit code, or 'timeout'. */
function runBench(path: string): Promise<number | 'timeout'> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path], {
      stdio: 'inherit',
      detached: true,
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
      // The bench's own children (nodes it started) go with it.
      killGroup(child.pid, 'SIGKILL');
      resolve(timedOut ? 'timeout' : (code ?? 1));
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
  const result = await runBench(fileURLToPath(new URL(file, here)));
  if (result === 'timeout') {
    process.stdout.write(`\nbench/${file} did not finish in ${timeoutS} s: stopped\n`);
    failed.push(`${file} (timed out)`);
  } else if (result !== 0) failed.push(file);
}
if (files.length === 0) process.stdout.write(`no bench/*.ts matches ${filters.join(' ')}\n`);
if (failed.length > 0) {
  process.stderr.write(`\nfailed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
