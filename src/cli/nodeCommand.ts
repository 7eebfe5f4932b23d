/**
 * `blockyard node`'s code (node.ts): from the bundle in dist/bundle/ with V8's code cache when it
 * is there and up to date (src/cli/loadBundle.ts, scripts/bundleCli.ts), from the modules
 * otherwise (run from sources, a bundle older than dist/, or BLOCKYARD_BUNDLE=0 to read stack
 * traces against dist/ itself). PERF: see loadBundle.ts.
 */
import { fileURLToPath } from 'node:url';
import { compileBundle } from './loadBundle.js';
import { holdYoungGeneration } from './youngGeneration.js';

type NodeModule = typeof import('./node.js');

/** node.ts's exports, and youngGeneration.ts's release, the hold set before they were loaded. */
export async function loadNodeCommand(): Promise<NodeModule & { grow: () => void }> {
  const bundle =
    process.env.BLOCKYARD_BUNDLE === '0'
      ? undefined
      : compileBundle(fileURLToPath(new URL('../bundle/', import.meta.url)));
  // After the compile: V8 refuses a cache made under other flags, and the hold changes one.
  const grow = holdYoungGeneration();
  if (!bundle) return { ...(await import('./node.js')), grow };
  if (bundle.cache === 'accepted') return { ...(bundle.run() as unknown as NodeModule), grow };
  // A node without a usable cache (none yet, another node version or other V8 flags) leaves
  // one on its way out, by then holding the code of everything the node ran; not a run that
  // never started a node (--help, a wrong flag): its cache would hold little, and stay.
  let up = false;
  process.once('exit', () => up && bundle.writeCache());
  const started = () => {
    up = true;
    grow();
  };
  return { ...(bundle.run() as unknown as NodeModule), grow: started };
}
