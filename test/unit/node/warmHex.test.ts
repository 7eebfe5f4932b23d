/**
 * warmHex (src/node/warmUp.ts) leaves toHex and parseHex optimized by V8, on the inputs a sync
 * gives them, so that a fresh node's first sync does not pay for their optimization. Asked of V8
 * itself (--allow-natives-syntax), in a fresh process each: within one that has run them before,
 * they would be optimized already. And createNode runs it when the node warms up (as `blockyard
 * node` starts it), not otherwise.
 */
import { execFile, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
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
  return statusOf(code);
}

type Status = { toHex: number; parseHex: number };
const natives = (code: string) => [
  '--allow-natives-syntax',
  '--import',
  'tsx',
  '--input-type=module',
  '-e',
  code,
];

/** Runs `code` (an ES module) in a fresh process that allows V8's natives; its JSON output. */
function statusOf(code: string): Status {
  const child = spawnSync(process.execPath, natives(code), { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`the run failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Status;
}

/** toHex's and parseHex's status once a fresh process has started and closed a node. */
async function statusAfterStart(warmUp: boolean): Promise<Status> {
  const { stdout } = await run(
    process.execPath,
    natives(`
    const { createNode } = await import(${module('../../../src/node/createNode.ts')});
    const { createInlineNonceSearch } = await import(${module('../../../src/miner/inlineNonceSearch.ts')});
    const { easyParams } = await import(${module('../../support/chainBuilder.ts')});
    const { parseHex, toHex } = await import(${module('../../../src/core/index.ts')});
    const node = await createNode({
      params: easyParams, host: '127.0.0.1', port: 0, search: createInlineNonceSearch(),
      warmUp: ${warmUp},
    });
    await node.close();
    %FinalizeOptimization();
    process.stdout.write(JSON.stringify({
      toHex: %GetOptimizationStatus(toHex),
      parseHex: %GetOptimizationStatus(parseHex),
    }));`),
  );
  return JSON.parse(stdout) as Status;
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

  it('runs when createNode warms the node up, and only then', async () => {
    // Two fresh processes at once, each loading the node from source (seconds on a busy machine).
    const [warm, cold] = await Promise.all([statusAfterStart(true), statusAfterStart(false)]);
    expect(warm.toHex & TURBOFANNED).toBe(TURBOFANNED);
    expect(warm.parseHex & TURBOFANNED).toBe(TURBOFANNED);
    expect(cold.toHex & TURBOFANNED).toBe(0);
    expect(cold.parseHex & TURBOFANNED).toBe(0);
  }, 120_000);
});
