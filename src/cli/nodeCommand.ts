/**
 * `blockyard node`'s code (node.ts): from the bundle in dist/bundle/ with V8's code cache when it
 * is there and up to date (src/cli/loadBundle.ts, scripts/bundleCli.ts), from the modules
 * otherwise (run from sources, a bundle older than dist/, or BLOCKYARD_BUNDLE=0 to read stack
 * traces against dist/ itself). PERF: see loadBundle.ts.
 */
import { fileURLToPath } from 'node:url';
import { fewMallocArenas } from '../node/fewMallocArenas.js';
import { compileBundle } from './loadBundle.js';
import { holdYoungGeneration, STARTED_SEMI_SPACE_MB } from './youngGeneration.js';

type NodeModule = typeof import('./node.js');

/**
 * node.ts's exports, V8's young generation held at its smallest while they load and the node
 * starts (youngGeneration.ts); `started`, for runNode to call once the node is up, lets it grow to
 * STARTED_SEMI_SPACE_MB and no further.
 */
export async function loadNodeCommand(): Promise<NodeModule & { started: () => void }> {
  fewMallocArenas();
  const bundle =
    process.env.BLOCKYARD_BUNDLE === '0'
      ? undefined
      : compileBundle(fileURLToPath(new URL('../bundle/', import.meta.url)));
  // After the compile: V8 refuses a cache made under other flags, and the hold changes one.
  const grow = holdYoungGeneration();
  const up = () => grow(STARTED_SEMI_SPACE_MB);
  if (!bundle) return { ...(await import('./node.js')), started: up };
  if (bundle.cache === 'accepted')
    return { ...(bundle.run() as unknown as NodeModule), started: up };
  // A node without a usable cache (none yet, another node version or other V8 flags) leaves
  // one on its way out, by then holding the code of everything the node ran; not a run that
  // never started a node (--help, a wrong flag): its cache would hold little, and stay. Written
  // under the flags it was compiled with: V8's default growth first.
  let wasUp = false;
  process.once('exit', () => {
    if (!wasUp) return;
    grow();
    bundle.writeCache();
  });
  const started = () => {
    wasUp = true;
    up();
  };
  return { ...(bundle.run() as unknown as NodeModule), started };
}
