/**
 * What every benchmark prints the same way: quantiles, the load of the machine, and one line per
 * aim of issue 13 with its figure, the reference measured in the same run, their ratio, and
 * whether the aim is met.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** The value at quantile q (nearest rank) of `values`. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);
export const load = (): string => loadavg()[0]!.toFixed(2);
export const ms = (n: number): string => `${n.toFixed(1)} ms`;
export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

export interface Aim {
  /** e.g. "1 GET /chain per response". */
  readonly name: string;
  readonly figure: string;
  readonly reference: string;
  /** figure ÷ reference, as printed (e.g. "0.8×"). */
  readonly ratio: string;
  readonly target: string;
  readonly met: boolean;
  /** What else the line must say to be read right (e.g. what the machine allows), after a dash. */
  readonly beside?: string;
}

/** One aim line: `AIM <name>: <figure> vs <reference> = <ratio> (aim <target>): met|MISSED[ — <beside>]`. */
export function printAim(aim: Aim): void {
  process.stdout.write(
    `AIM ${aim.name}: ${aim.figure} vs ${aim.reference} = ${aim.ratio} (aim ${aim.target}): ${aim.met ? 'met' : 'MISSED'}${aim.beside ? ` — ${aim.beside}` : ''}\n`,
  );
}

/** A process's resident memory now and at its peak since the last resetPeakRss, from /proc. */
export function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Sets the process's peak resident memory (VmHWM) back to what it uses now (Linux). */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
