/**
 * `blockyard node` limits glibc's malloc arenas as it starts (src/node/fewMallocArenas.ts,
 * kernels/native/malloc.c limitArenas): threads started after it share them. In a fresh process,
 * 4 worker threads each keep 2 MB of Buffers (malloc'd in their thread's arena); the arenas
 * (anonymous mappings starting on a 64 MiB boundary, as bench/lib/smapsBreakdown.ts tells them,
 * of 1 MiB or more: V8's pages of 256 KiB start on one now and then) counted before and after. Without the limit, glibc's default: one each.
 * NOTE: a plain node process calling the addon, as the node's start calls it: under tsx its
 * loader's threads take 8 arenas and more before any code of the test runs, after which glibc
 * fixes its limit for the process's life (arena_get2's narenas_limit; a `blockyard node` has 2
 * when it calls it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ADDON = fileURLToPath(
  new URL('../../../kernels/native/build/Release/malloc.node', import.meta.url),
);

import { MALLOC_ARENAS } from '../../../src/node/fewMallocArenas.js';

/** The arenas the 4 workers added, in a fresh process, the arenas limited to `limit` first. */
function arenasAdded(limit: number | undefined): number {
  const code = `
    import { readFileSync } from 'node:fs';
    import { createRequire } from 'node:module';
    import { Worker } from 'node:worker_threads';
    const addon = createRequire(import.meta.url)(${JSON.stringify(ADDON)});
    if (${limit ?? 0} > 0 && !addon.limitArenas(${limit ?? 0})) throw new Error('not taken');
    const arenas = () =>
      [...readFileSync('/proc/self/smaps', 'utf8').matchAll(/^([0-9a-f]+)-([0-9a-f]+) rw-p 00000000 00:00 0 *$/gm)]
        .filter((m) => BigInt('0x' + m[1]) % (64n << 20n) === 0n)
        .filter((m) => BigInt('0x' + m[2]) - BigInt('0x' + m[1]) >= 1n << 20n).length;
    const before = arenas();
    const source = \`
      const { parentPort } = await import('node:worker_threads');
      const kept = [];
      for (let i = 0; i < 64; i++) kept.push(Buffer.alloc(32 * 1024, 1));
      parentPort.postMessage(kept.length);
      parentPort.once('message', () => process.exit(0));
    \`;
    const workers = Array.from({ length: 4 }, () => new Worker(source, { eval: true }));
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
    const after = arenas();
    for (const w of workers) w.postMessage('done');
    console.log(after - before);
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return Number(child.stdout.trim());
}

describe.skipIf(process.platform !== 'linux' || !existsSync(ADDON))('fewMallocArenas', () => {
  it('has threads started after it share the arenas there are', () => {
    expect(arenasAdded(MALLOC_ARENAS)).toBeLessThanOrEqual(MALLOC_ARENAS - 1);
  });

  it("leaves glibc's one arena a thread without", () => {
    expect(arenasAdded(undefined)).toBeGreaterThanOrEqual(4);
  });
});
