/**
 * bench/lib/p2pNode.ts run from a bundle with V8's code cache, the way `blockyard node` runs
 * (src/cli/nodeCommand.ts): compiledNode.ts's bundleBenchChild puts the bundle in ../../bundle/
 * from the compiled copy of this file. With BENCH_CODE_CACHE=write it writes the cache when it
 * exits (the bench's training run, as scripts/trainCodeCache.ts does for the built node).
 */
import { fileURLToPath } from 'node:url';
import { compileBundle } from '../../src/cli/loadBundle.js';
import { growAsV8Would } from '../../src/cli/youngGeneration.js';

const bundle = compileBundle(fileURLToPath(new URL('../../bundle/', import.meta.url)));
if (!bundle) throw new Error('bench/lib/bundledNode: no bundle beside it (bundleBenchChild)');
// Written under the flags it was compiled with: p2pNode.ts (heldYoungGeneration.ts) holds V8's
// young generation by a flag, and V8 refuses a cache made under other flags (as nodeCommand.ts).
if (process.env.BENCH_CODE_CACHE === 'write')
  process.once('exit', () => {
    growAsV8Would();
    bundle.writeCache();
  });
// A measured node without its cache would measure something else: say so in the bench's output.
else if (bundle.cache !== 'accepted')
  process.stderr.write(`bench/lib/bundledNode: the code cache was not used (${bundle.cache})\n`);
bundle.run();
