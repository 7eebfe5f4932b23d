/**
 * `blockyard node`'s code compiled from one bundled file with V8's code cache, so that a fresh node does not
 * compile the node's code from scratch (nodeCommand.ts; scripts/bundleCli.ts writes the bundle
 * and its manifest into dist/bundle/). Node 20 has no module.enableCompileCache() (Node 22), so
 * the bundle is a CommonJS script run through vm.Script with `cachedData`, the way Node's own
 * CommonJS loader wraps a module.
 *
 * The cache is V8's: bytecode for every function compiled when it was written, which is why it
 * is written by a process that has already synced (the build's training run, or a node on its
 * way out: nodeCommand.ts). V8 refuses a cache made by another V8 version or with other V8
 * flags (`rejected`: the script compiles lazily, as without one); V8 only checks the source's
 * length, so the cache's name carries the bundle's id (and the node version and flags, see
 * cacheFileOf), and a checksum guards its bytes (`corrupt`: not given to V8 at all).
 *
 * PERF: a fresh node's register + resolve onto a chain 20 blocks longer (bench/lib/p2pNode.ts
 * compiled, as bench/adopt.ts runs it; its CPU, all threads, process.cpuUsage), 30 runs each,
 * alternated in groups of 5, load 5–11: from the modules median 41.6 ms (36.4–63.4), from the
 * bundle with its cache 35.9 ms (27.1–54.4). What it still compiles is Node's own code (net,
 * http, streams: ≈ 2,100 parses and compiles against ≈ 4,600 from the modules, --log-function-events).
 * `blockyard node` side by side, load 7–9, 3 pairs: spawn to listening 972–2,436 → 534–1,230 ms;
 * resident 30 s after start 72.4–75.8 → 64.5–65.2 MB (the bundle's text has no comments, and
 * is one byte a character). Bundle and cache are 1.7 MB each on disk.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/** The bundle's file name in its folder. */
export const BUNDLE_FILE = 'blockyard.cjs';
/** What scripts/bundleCli.ts wrote beside it. */
export const MANIFEST_FILE = 'manifest.json';

export interface BundleManifest {
  /** A hash of the bundle's text: the cache's name, so that no cache outlives its bundle. */
  readonly id: string;
  /**
   * The files the bundle was made of, relative to its folder, with their size and mtime then:
   * one changed since (tsc run without the bundle step) makes the bundle stale.
   */
  readonly inputs: readonly (readonly [path: string, size: number, mtimeMs: number])[];
}

/** What became of the code cache: used, refused by V8, absent, or failing its checksum. */
export type CacheState = 'accepted' | 'rejected' | 'missing' | 'corrupt';

export interface CompiledBundle {
  readonly cache: CacheState;
  readonly cacheFile: string;
  /** Runs the bundle (once) and returns its module.exports. */
  run(): Record<string, unknown>;
  /** Writes V8's cache of the bundle as compiled so far; false if it could not (read-only). */
  writeCache(): boolean;
}

const CHECKSUM_BYTES = 32;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

/**
 * The cache's file for a bundle, in its folder: named after the bundle's id, and after the node
 * version and flags this process runs with (`runtime`, by default this process's), which V8's
 * cache depends on. A node run with other flags (node --cpu-prof, --trace-gc, NODE_OPTIONS) so
 * writes its own file, and leaves the cache of a plain start alone.
 */
export function cacheFileOf(dir: string, id: string, runtime = runtimeKey()): string {
  return join(dir, `blockyard-${id}-${runtime}.v8cache`);
}

/** What the cache depends on besides the bundle, hashed: node's version, its flags. */
export function runtimeKey(): string {
  const runtime = [process.version, ...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return createHash('sha256').update(runtime).digest('hex').slice(0, 8);
}

/**
 * Compiles the bundle in `dir` with its cache, or returns undefined when there is none or it is
 * older than a file it was made of (the caller imports dist/ instead). NOTE: V8 compares the
 * flags it runs with to the cache's when it compiles: change none before (youngGeneration.ts).
 */
export function compileBundle(dir: string): CompiledBundle | undefined {
  const manifest = readManifest(dir);
  if (!manifest || !isFresh(dir, manifest)) return undefined;
  const file = join(dir, BUNDLE_FILE);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const cacheFile = cacheFileOf(dir, manifest.id);
  const cached = readCache(cacheFile);
  // Node's CommonJS wrapper; the bundle's first line stays line 1 (stack traces).
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) { ${source}\n})`,
    {
      filename: file,
      ...(cached.data ? { cachedData: cached.data } : {}),
    },
  );
  let module: { exports: Record<string, unknown> } | undefined;
  return {
    // As V8 says: `false` only when it read the cache.
    cache: cached.data
      ? script.cachedDataRejected === false
        ? 'accepted'
        : 'rejected'
      : cached.state,
    cacheFile,
    run() {
      if (module) return module.exports;
      module = { exports: {} };
      (script.runInThisContext() as (...args: unknown[]) => void)(
        module.exports,
        createRequire(file),
        module,
        file,
        dir,
      );
      return module.exports;
    },
    writeCache: () => writeCache(script, cacheFile),
  };
}

function readManifest(dir: string): BundleManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as BundleManifest;
  } catch {
    return undefined;
  }
}

/** Whether every input is as it was when bundled (≈ 200 stats, ≈ 1 ms). */
function isFresh(dir: string, manifest: BundleManifest): boolean {
  for (const [path, size, mtimeMs] of manifest.inputs) {
    const stat = statSync(join(dir, path), { throwIfNoEntry: false });
    if (!stat || stat.size !== size || stat.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

function readCache(file: string): { data?: Buffer; state: CacheState } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return { state: 'missing' };
  }
  const data = bytes.subarray(CHECKSUM_BYTES);
  if (bytes.length <= CHECKSUM_BYTES || !sha256(data).equals(bytes.subarray(0, CHECKSUM_BYTES)))
    return { state: 'corrupt' };
  return { data, state: 'accepted' };
}

/**
 * V8's --expose-gc back as the process started: a node sets it on for good once it collects
 * garbage itself (src/p2p/collectGarbage.ts: after its start, during a sync of big blocks; and
 * src/crypto/sharedBytesCollector.ts before a signature worker starts), and V8 refuses a cache
 * written with it on to every start without it: such a node left a cache that each later start
 * refused, and rewrote it on its way out (test/unit/cli/loadBundle.test.ts). Off again, the
 * gc() those modules already hold still collects.
 */
function exposeGcAsStarted(): void {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (!flags.some((flag) => /^--expose[-_]gc$/.test(flag))) setFlagsFromString('--no-expose-gc');
}

/** The cache, checksum first, written whole under another name and then renamed over the old. */
function writeCache(script: Script, file: string): boolean {
  const temporary = `${file}.${process.pid}.tmp`;
  exposeGcAsStarted();
  try {
    const data = script.createCachedData();
    writeFileSync(temporary, Buffer.concat([sha256(data), data]));
    renameSync(temporary, file);
    return true;
  } catch {
    try {
      unlinkSync(temporary);
    } catch {}
    return false;
  }
}
