/**
 * What a process's resident memory is made of, from /proc/<pid>/smaps (Linux), for finding where
 * a peak comes from (bench/lib/syncMemory.ts, SYNCMEM_SMAPS=1). Each mapping is put in one part:
 *
 *   file <name>   pages of a mapped file (node's binary, shared libraries, addons)
 *   malloc main   [heap], glibc's main arena (the main thread's malloc)
 *   malloc arenas anonymous mappings starting on a 64 MiB boundary: glibc's other arenas, one a
 *                 thread that mallocs (up to 8 × cores), each reserved as 64 MiB and used from its
 *                 start (HEAP_MAX_SIZE)
 *   stacks        anonymous mappings right after a one-page guard (---p): threads' stacks
 *   other anon    the rest: V8's heap pages (every isolate's), malloc's own mmaps (big blocks
 *                 above its threshold), SQLite's pages if malloc'd large, …
 *
 * Resident sizes only (Rss), in bytes.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const ARENA_ALIGN = 64 * 1024 * 1024;

export type SmapsBreakdown = Record<string, number>;

/** The parts of `pid`'s resident memory now, by the rules above. */
export function smapsBreakdown(pid: number): SmapsBreakdown {
  const text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  const parts: SmapsBreakdown = {};
  let previous: { end: bigint; size: bigint; perms: string } | undefined;
  let current: { part: string } | undefined;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (head) {
      const start = BigInt(`0x${head[1]}`);
      const end = BigInt(`0x${head[2]}`);
      const perms = head[3] ?? '';
      const inode = head[4];
      const path = head[5] ?? '';
      let part: string;
      if (path === '[heap]') part = 'malloc main';
      else if (path === '[stack]') part = 'stacks';
      else if (inode !== '0' || path.startsWith('/')) part = `file ${basename(path)}`;
      else if (path !== '') part = path;
      else if (start % BigInt(ARENA_ALIGN) === 0n && end - start <= BigInt(ARENA_ALIGN))
        part = 'malloc arenas';
      else if (
        previous?.end === start &&
        previous.perms.startsWith('---') &&
        previous.size === 4096n
      )
        part = 'stacks';
      else part = 'other anon';
      current = { part };
      previous = { end, size: end - start, perms };
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && current) parts[current.part] = (parts[current.part] ?? 0) + Number(rss[1]) * 1024;
  }
  return parts;
}

/** The parts in MB, biggest first, small files summed as `file (rest)`. */
export function formatBreakdown(parts: SmapsBreakdown): string {
  const merged: SmapsBreakdown = {};
  for (const [part, bytes] of Object.entries(parts)) {
    const key = part.startsWith('file ') && bytes < 2e6 ? 'file (rest)' : part;
    merged[key] = (merged[key] ?? 0) + bytes;
  }
  const total = Object.values(merged).reduce((a, b) => a + b, 0);
  return `${(total / 1e6).toFixed(1)} = ${Object.entries(merged)
    .sort(([, a], [, b]) => b - a)
    .filter(([, bytes]) => bytes >= 0.05e6)
    .map(([part, bytes]) => `${part} ${(bytes / 1e6).toFixed(1)}`)
    .join(' + ')}`;
}
