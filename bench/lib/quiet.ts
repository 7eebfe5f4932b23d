/**
 * Whether the machine is quiet enough to measure on, read from what the cores did just now.
 *
 * The load average is a one-minute moving average: after one bench ends it still reads 1.5–3 for a
 * minute while the cores are idle, and it cannot tell a helper's test run from the tail of the last
 * bench. The busy share of every core over the last second, from /proc/stat, can: `npm run bench`
 * waits for it before each bench and prints both.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** Busy and total jiffies of all cores together since boot (the first line of /proc/stat). */
function cpuTimes(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait! };
}

/** The share (0–1) of all cores' time that was busy over the next `ms` milliseconds. */
export async function cpuBusy(ms = 1000): Promise<number> {
  const before = cpuTimes();
  await sleep(ms);
  const after = cpuTimes();
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : 0;
}

export interface Quiet {
  readonly quiet: boolean;
  /** Busy share of all cores in the last one-second sample. */
  readonly busy: number;
  readonly waitedS: number;
  /** The one-minute load average when the wait ended. */
  readonly load: number;
}

/**
 * Samples one second at a time until the cores are at most `maxBusy` busy or `maxWaitS` seconds
 * have gone. Never throws: a bench on a busy machine still runs, and says so.
 */
export async function waitForQuiet(maxBusy: number, maxWaitS: number): Promise<Quiet> {
  const start = performance.now();
  let busy = await cpuBusy();
  while (busy > maxBusy && performance.now() - start < maxWaitS * 1000) busy = await cpuBusy();
  return {
    quiet: busy <= maxBusy,
    busy,
    waitedS: (performance.now() - start) / 1000,
    load: loadavg()[0]!,
  };
}

/** One line for a bench's header: how quiet the machine was as it started. */
export function quietLine(q: Quiet, maxBusy: number): string {
  const busy = `${(100 * q.busy).toFixed(0)} %`;
  const how = q.quiet
    ? `quiet: cores ${busy} busy over the last second`
    : `NOT quiet: cores still ${busy} busy (aim ≤ ${(100 * maxBusy).toFixed(0)} %); figures read low`;
  return `machine before start: ${how}, after ${q.waitedS.toFixed(0)} s; load average ${q.load.toFixed(2)} (a one-minute average, it lags)\n`;
}
