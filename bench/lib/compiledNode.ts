/**
 * A bench child compiled by tsc, to run on plain node as the node runs (bin/blockyard.js runs
 * dist/, not tsx): under tsx every function carries esbuild's wrappers and a profile's lines
 * are the transformed file's, and its loader runs beside the node.
 *
 * The entry point and what it imports are compiled under node_modules/.cache (so that packages
 * resolve); package.json and kernels/ are linked beside them, where the compiled src/ looks for
 * them (createNode reads the version, the miner its kernels).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntry } from '../../scripts/bundleCli.js';

/** The strict options of tsconfig.json, for one entry point and what it imports. */
const OPTIONS =
  '--module nodenext --moduleResolution nodenext --target es2022 --lib es2022 --strict --noUncheckedIndexedAccess --exactOptionalPropertyTypes --verbatimModuleSyntax --skipLibCheck --types node --resolveJsonModule';

/**
 * The worker threads' scripts, which src/ starts by URL (`new URL('./signatureWorker.js',
 * import.meta.url)`) and so imports nowhere: compiled beside the entry, or a compiled node's
 * workers fail to start and it falls back to what it does without them.
 */
const WORKER_SCRIPTS = ['src/crypto/signatureWorker.ts', 'src/miner/minerWorker.ts'];

/** Compiles `entry` (a path from the repository's root, e.g. bench/lib/p2pNode.ts); its .js. */
export function compileBenchChild(entry: string, cacheName: string): string {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const outDir = join(root, 'node_modules', '.cache', cacheName);
  rmSync(outDir, { recursive: true, force: true });
  const built = spawnSync(
    'npx',
    ['tsc', ...OPTIONS.split(' '), '--rootDir', '.', '--outDir', outDir, entry, ...WORKER_SCRIPTS],
    { cwd: root, stdio: 'inherit' },
  );
  if (built.status !== 0) throw new Error(`tsc could not compile ${entry}`);
  mkdirSync(outDir, { recursive: true });
  for (const linked of ['package.json', 'kernels'])
    symlinkSync(join(root, linked), join(outDir, linked));
  return join(outDir, entry.replace(/\.ts$/, '.js'));
}

/**
 * `compiled` (compileBenchChild's .js of bench/lib/p2pNode.ts) bundled as scripts/bundleCli.ts
 * bundles `blockyard node`, with bench/lib/bundledNode.ts to run it: that runner's path (a
 * script for nodeChild.ts's startNode). `train(runner)` starts one node with BENCH_CODE_CACHE=write
 * and has it do what the measured nodes will do, so that it writes V8's code cache when it exits.
 */
export async function bundleBenchChild(
  compiled: string,
  cacheName: string,
  train: (runner: string) => Promise<void>,
): Promise<string> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const runner = compileBenchChild('bench/lib/bundledNode.ts', cacheName);
  const outDir = join(root, 'node_modules', '.cache', cacheName, 'bundle');
  await bundleEntry(compiled, outDir, root);
  await train(runner);
  // Named after the trainee's flags (loadBundle.ts's cacheFileOf), which the measured nodes share.
  if (!readdirSync(outDir).some((file) => file.endsWith('.v8cache')))
    throw new Error("the bench's training run wrote no code cache");
  return runner;
}
