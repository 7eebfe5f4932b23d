/**
 * The bundle and its code cache (scripts/bundleCli.ts, src/cli/loadBundle.ts): a small module
 * bundled the way `blockyard node` is, then run with its cache written, accepted, corrupt,
 * refused by V8, or from an older bundle; each run gives the same answers, and a bundle older
 * than what it was made of is not run at all. Each run is a fresh process, as a node's start
 * is: within one, V8 finds the script it compiled before and never reads the cache.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleEntry } from '../../../scripts/bundleCli.js';
import { compileBundle } from '../../../src/cli/loadBundle.js';

const LOADER = fileURLToPath(new URL('../../../src/cli/loadBundle.ts', import.meta.url));

const SOURCE = `import { join } from 'node:path';
/** Work enough that V8 compiles it when called. */
export function squares(n) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += i * i;
  return sum;
}
export const here = import.meta.url;
export const nextTo = new URL('./data.json', import.meta.url).href;
export const joined = join('a', 'b');
/** A module imported when first needed, as src/api/lazyDocs.ts imports Swagger. */
export const later = () => import('node:os').then((os) => typeof os.cpus);
`;

let temp: string;
let entry: string;
let outDir: string;
beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'blockyard-bundle-'));
  mkdirSync(join(temp, 'lib'));
  entry = join(temp, 'lib', 'entry.js');
  writeFileSync(entry, SOURCE);
  outDir = join(temp, 'bundle');
});
afterEach(() => rmSync(temp, { recursive: true, force: true }));

interface Run {
  cache: string;
  /** Named after the bundle, and the child's node and flags: not the same as this process's. */
  cacheFile: string;
  wrote?: boolean;
  answers: { squares: number; here: string; nextTo: string; joined: string; later: string };
}

/**
 * compileBundle(outDir) in a fresh node (tsx for the loader's source) run with `flags`, then the
 * bundle run, and its cache written if asked (the code is the same either way: node's flags,
 * `-e` included, name the cache).
 */
function freshRun(write = false, flags: string[] = [], env: Record<string, string> = {}): Run {
  const code = `
    const { compileBundle } = await import(${JSON.stringify(pathToFileURL(LOADER).href)});
    const bundle = compileBundle(${JSON.stringify(outDir)});
    const e = bundle.run();
    const answers = { squares: e.squares(1000), here: e.here, nextTo: e.nextTo, joined: e.joined, later: await e.later() };
    // As a node that collected garbage itself (src/p2p/collectGarbage.ts) before it wrote one.
    if (process.env.EXPOSE_GC === '1') (await import('node:v8')).setFlagsFromString('--expose-gc');
    const wrote = process.env.WRITE === '1' ? bundle.writeCache() : undefined;
    process.stdout.write(JSON.stringify({ cache: bundle.cache, cacheFile: bundle.cacheFile, wrote, answers }));`;
  const child = spawnSync(
    process.execPath,
    [...flags, '--import', 'tsx', '--input-type=module', '-e', code],
    { encoding: 'utf8', env: { ...process.env, WRITE: write ? '1' : '0', ...env } },
  );
  if (child.status !== 0) throw new Error(`the run failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Run;
}

const expected = () => ({
  squares: 332_833_500,
  here: pathToFileURL(entry).href,
  nextTo: pathToFileURL(join(temp, 'lib', 'data.json')).href,
  joined: join('a', 'b'),
  later: 'function',
});

describe('the bundle and its code cache', () => {
  it('runs the bundle with its files where the modules were, and writes and uses a cache', async () => {
    await bundleEntry(entry, outDir, temp);
    const first = freshRun(true);
    expect(first).toMatchObject({ cache: 'missing', wrote: true, answers: expected() });
    expect(readFileSync(first.cacheFile).length).toBeGreaterThan(1000);
    expect(freshRun()).toEqual({ ...first, cache: 'accepted', wrote: undefined });
  });

  it('ignores a cache whose bytes changed, and one V8 refuses, and runs the same', async () => {
    await bundleEntry(entry, outDir, temp);
    const file = freshRun(true).cacheFile;
    const bytes = readFileSync(file);

    const flipped = Buffer.from(bytes);
    flipped[flipped.length >> 1]! ^= 0x40;
    writeFileSync(file, flipped);
    expect(freshRun()).toMatchObject({ cache: 'corrupt', answers: expected() });
    writeFileSync(file, bytes.subarray(0, 40));
    expect(freshRun()).toMatchObject({ cache: 'corrupt', answers: expected() });

    // A good checksum over a cache V8 refuses: another script's (as after a node upgrade).
    const other = new Script('function other() { return 1 } other()').createCachedData();
    const sum = createHash('sha256').update(other).digest();
    writeFileSync(file, Buffer.concat([sum, other]));
    // A node then writes a good one over it.
    expect(freshRun(true)).toMatchObject({ cache: 'rejected', wrote: true, answers: expected() });
    expect(freshRun()).toMatchObject({ cache: 'accepted', answers: expected() });
  });

  it('writes a cache the next start takes after the node set --expose-gc on', async () => {
    await bundleEntry(entry, outDir, temp);
    expect(freshRun(true, [], { EXPOSE_GC: '1' })).toMatchObject({ cache: 'missing', wrote: true });
    expect(freshRun()).toMatchObject({ cache: 'accepted', answers: expected() });
  });

  it('keeps one cache for each set of node flags', async () => {
    await bundleEntry(entry, outDir, temp);
    const plain = freshRun(true);
    const flagged = freshRun(true, ['--max-lazy']);
    expect(flagged).toMatchObject({ cache: 'missing', wrote: true, answers: expected() });
    expect(flagged.cacheFile).not.toBe(plain.cacheFile);
    expect(freshRun()).toMatchObject({ cache: 'accepted', cacheFile: plain.cacheFile });
    expect(freshRun(false, ['--max-lazy'])).toMatchObject({
      cache: 'accepted',
      cacheFile: flagged.cacheFile,
    });
  });

  it('does not run a bundle older than a file it was made of', async () => {
    await bundleEntry(entry, outDir, temp);
    expect(compileBundle(outDir)).toBeDefined();
    const later = new Date(Date.now() + 5_000);
    utimesSync(entry, later, later);
    expect(compileBundle(outDir)).toBeUndefined();
    rmSync(outDir, { recursive: true });
    expect(compileBundle(outDir)).toBeUndefined();
  });

  it("leaves an older bundle's cache unused, and reports a cache it cannot write", async () => {
    const { id: oldId } = await bundleEntry(entry, outDir, temp);
    const old = freshRun(true);
    const oldCache = readFileSync(old.cacheFile);

    writeFileSync(entry, SOURCE.replace('i * i', 'i * i + 0'));
    const { id } = await bundleEntry(entry, outDir, temp);
    expect(id).not.toBe(oldId);
    writeFileSync(old.cacheFile, oldCache);
    const rebuilt = freshRun();
    expect(rebuilt).toMatchObject({ cache: 'missing', answers: expected() });
    expect(rebuilt.cacheFile).not.toBe(old.cacheFile);

    mkdirSync(rebuilt.cacheFile); // where the cache would go, a folder: as a read-only disk
    expect(freshRun(true)).toMatchObject({ cache: 'missing', wrote: false, answers: expected() });
  });
});
