import { readdirSync, readFileSync } from 'node:fs';

/**
 * This process's main thread's CPU time so far in ms, from Linux's /proc (clock ticks of 10 ms),
 * or undefined elsewhere: process.cpuUsage() counts the verify threads too.
 */
export function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, fields 14 and 15
  } catch {
    return undefined;
  }
}

/** Every thread of this process: its CPU time so far in ms (/proc, Linux), by thread id. */
export function threadsCpuMs(): Map<number, number> {
  const threads = new Map<number, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        threads.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * 10);
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
