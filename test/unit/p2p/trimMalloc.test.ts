/**
 * A download of big blocks that ends (collectGarbage.ts downloadEnded) gives the pages of the
 * ArrayBuffers its last collection found dead back to the system, through glibc's malloc_trim
 * (trimMalloc.ts, kernels/native/malloc.c): in a fresh process, 64 MB of buffers malloc'd in the
 * main arena under one that stays, dropped, collected as a sync's blocks are (blockAdded), then
 * the download ends; its anonymous resident memory (/proc/self/smaps_rollup) read before and
 * 300 ms after. With BLOCKYARD_MALLOC_TRIM=0 the freed pages stay resident, as they did before.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ADDON = fileURLToPath(
  new URL('../../../kernels/native/build/Release/malloc.node', import.meta.url),
);
const COLLECT = new URL('../../../src/p2p/collectGarbage.ts', import.meta.url).href;

/** MB of anonymous memory freed by the download's end, in a fresh process with `env`. */
function freedMb(env: Record<string, string>): number {
  const code = `
    import { readFileSync } from 'node:fs';
    import { blockAdded, COLLECT_EVERY_BYTES, downloadEnded } from ${JSON.stringify(COLLECT)};
    const anonMb = () =>
      Number(/^Anonymous:\\s+(\\d+) kB/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'))[1]) / 1024;
    let dropped = [];
    for (let i = 0; i < 2000; i++) dropped.push(Buffer.alloc(32 * 1024, 1));
    const kept = Buffer.alloc(32 * 1024, 1); // above them: free() alone cannot shrink the heap
    dropped = undefined;
    const before = anonMb();
    blockAdded(COLLECT_EVERY_BYTES);
    downloadEnded();
    await new Promise((resolve) => setTimeout(resolve, 300));
    console.log(before - anonMb(), kept.length);
  `;
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', code],
    {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    },
  );
  if (child.status !== 0) throw new Error(child.stderr);
  return Number(child.stdout.split(' ')[0]);
}

describe.skipIf(process.platform !== 'linux' || !existsSync(ADDON))('trimMalloc', () => {
  it("gives the pages a sync's collections freed back to the system once its download ends", () => {
    expect(freedMb({})).toBeGreaterThan(48);
  });

  it('leaves them resident with BLOCKYARD_MALLOC_TRIM=0', () => {
    expect(freedMb({ BLOCKYARD_MALLOC_TRIM: '0' })).toBeLessThan(16);
  });
});
