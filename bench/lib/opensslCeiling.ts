/**
 * The ceiling for SHA-256 on this machine, measured now: `openssl speed -evp sha256` on 16 KB
 * buffers, where OpenSSL runs its best compress (SHA-NI, AVX2, …) back to back. Bytes per second
 * ÷ 64 is compressions per second; a midstate double-SHA costs two, so ÷ 2 again. OpenSSL times
 * with user CPU time, so the kernels are compared on CPU time too.
 */
import { spawnSync } from 'node:child_process';

export interface Ceiling {
  readonly compressionsPerSecond: number;
  readonly doubleShaPerSecond: number;
}

/** The best of `runs` measurements, or an explanation of why there is none. */
export function measureCeiling(seconds: number, processes: number, runs: number): Ceiling | string {
  let best: Ceiling | string = 'no run';
  for (let run = 0; run < runs; run++) {
    const ceiling = measureOnce(seconds, processes);
    if (typeof ceiling === 'string') return ceiling;
    if (typeof best === 'string' || ceiling.compressionsPerSecond > best.compressionsPerSecond) {
      best = ceiling;
    }
  }
  return best;
}

/** The ceiling over `processes` parallel openssl processes, or an explanation of why not. */
function measureOnce(seconds: number, processes: number): Ceiling | string {
  const args = ['speed', '-evp', 'sha256', '-bytes', '16384', '-seconds', String(seconds)];
  if (processes > 1) args.push('-multi', String(processes));
  const run = spawnSync('openssl', args, { encoding: 'utf8', timeout: (seconds + 20) * 1000 });
  if (run.error !== undefined) {
    return (run.error as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'openssl is not installed'
      : `openssl failed: ${run.error.message}`;
  }
  // The result is the last line like "sha256   1894942.44k" (thousands of bytes per second).
  const lines = run.stdout.split('\n').filter((line) => /^sha256\s+[\d.]+k\s*$/.test(line));
  const last = lines.at(-1);
  if (last === undefined) return `cannot read openssl's output (exit ${run.status})`;
  const bytesPerSecond = Number.parseFloat(last.split(/\s+/)[1]!) * 1000;
  const compressionsPerSecond = bytesPerSecond / 64;
  return { compressionsPerSecond, doubleShaPerSecond: compressionsPerSecond / 2 };
}
