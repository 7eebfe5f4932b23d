import { readdirSync, readFileSync } from 'node:fs';

/**
 * This process's main thread's CPU time so far in ms, from Linux's /proc (clock ticks of 10 ms),
 * or undefined elsewhere: process.cpuUsage() counts the verify threads too.
 */
export function mainThreadCpuMs(): number | undefined {
  try {
    return taskCpuMs(process.pid);
  } catch {
    return undefined;
  }
}

/** One thread's CPU time so far in ms: utime + stime (fields 14 and 15 of its /proc stat). */
function taskCpuMs(tid: number | string): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Every thread of this process: its CPU time so far in ms (/proc, Linux), by thread id. */
export function threadsCpuMs(): Map<number, number> {
  const threads = new Map<number, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        threads.set(Number(tid), taskCpuMs(tid));
      } catch {
        // the thread ended
      }
    }
  } catch {
    // not Linux
  }
  return threads;
}

/** Each thread's CPU ms between two threadsCpuMs snapshots, most first (threads not seen: 0). */
export function threadsCpuDelta(
  before: Map<number, number>,
  after: Map<number, number>,
): [tid: number, ms: number][] {
  return [...after]
    .map(([tid, ms]): [number, number] => [tid, ms - (before.get(tid) ?? 0)])
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1]);
}

/**
 * "the busiest others 70 µs, 68 µs; the rest (9 threads) 12 µs": the threads besides the main one
 * (their CPU ms, any order), the two busiest (a node's verify workers) apart, `perTx` formatting.
 */
export function busiestAndRest(othersMs: number[], perTx: (ms: number) => string): string {
  const sorted = [...othersMs].sort((a, b) => b - a);
  const rest = sorted.slice(2).reduce((n, ms) => n + ms, 0);
  return `the busiest others ${sorted.slice(0, 2).map(perTx).join(', ')}; the rest (${Math.max(0, sorted.length - 2)} threads) ${perTx(rest)}`;
}
