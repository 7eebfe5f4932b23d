/**
 * warmHex (src/node/warmUp.ts) leaves toHex and parseHex optimized by V8, on the inputs a sync
 * gives them, so that a fresh node's first sync does not pay for their optimization. Asked of V8
 * itself (--allow-natives-syntax), in a fresh process each: within one that has run them before,
 * they would be optimized already.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const module = (path: string) =>
  JSON.stringify(pathToFileURL(new URL(path, import.meta.url).pathname).href);

/** V8's %GetOptimizationStatus bit for a function whose code is TurboFan's. */
const TURBOFANNED = 1 << 6;

/**
 * toHex's and parseHex's status after a fresh process has (or has not) run warmHex, then called
 * them as a sync does: 32-byte hashes as Uint8Array, a view into a block's bytes and a Buffer;
 * the hex of a hash as toHex writes it and as JSON.parse reads it from a peer's answer.
 */
function statusAfter(warm: boolean): { toHex: number; parseHex: number } {
  const code = `
    const { warmHex } = await import(${module('../../../src/node/warmUp.ts')});
    const { parseHex, toHex } = await import(${module('../../../src/core/index.ts')});
    if (${warm}) warmHex();
    %FinalizeOptimization();
    const hash = new Uint8Array(32).fill(7);
    const hex = toHex(hash);
    toHex(new Uint8Array(64).subarray(16, 48));
    toHex(Buffer.from(hash));
    parseHex(hex, 32);
    parseHex(JSON.parse(JSON.stringify({ hex })).hex, 32);
    process.stdout.write(JSON.stringify({
      toHex: %GetOptimizationStatus(toHex),
      parseHex: %GetOptimizationStatus(parseHex),
    }));`;
  const child = spawnSync(
    process.execPath,
    ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', code],
    { encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`the run failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { toHex: number; parseHex: number };
}

describe('warmHex', () => {
  it('leaves toHex and parseHex optimized for what a sync gives them', () => {
    const status = statusAfter(true);
    expect(status.toHex & TURBOFANNED).toBe(TURBOFANNED);
    expect(status.parseHex & TURBOFANNED).toBe(TURBOFANNED);
  });

  it('is what optimizes them: a fresh process that did not run it has them unoptimized', () => {
    const status = statusAfter(false);
    expect(status.toHex & TURBOFANNED).toBe(0);
    expect(status.parseHex & TURBOFANNED).toBe(0);
  });
});
