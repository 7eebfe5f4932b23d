import { readFileSync } from 'node:fs';

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
