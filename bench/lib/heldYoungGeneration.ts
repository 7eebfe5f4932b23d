/**
 * Loaded before a bench's node child (p2pNode.ts and intakeNode.ts; nodeChild.ts and intakeClients.ts pass `--import` this), so before
 * the node's modules load: V8's young generation held small for the process's life, as `blockyard
 * node` holds it (src/cli/youngGeneration.ts, src/cli/nodeCommand.ts), so that the bench measures
 * the node users run. NOTE: as p2pNode.ts's first import it would come too late: every module of
 * the graph is read and compiled before the first one runs (the young generation had grown to 8 MB
 * semi-spaces by then).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';
import {
  holdYoungGeneration,
  STARTED_SEMI_SPACE_MB,
  semiSpaceSizeMb,
} from '../../src/cli/youngGeneration.js';
import { fewMallocArenas } from '../../src/node/fewMallocArenas.js';

// As `blockyard node` starts (nodeCommand.ts): its threads share few malloc arenas.
if (isMainThread) fewMallocArenas();

// A compiled child's signature workers load this too (they inherit --import): the hold, and
// its watch of collections, are the main thread's, as in `blockyard node`.
const grow = isMainThread ? holdYoungGeneration() : () => {};

/**
 * For p2pNode.ts and intakeNode.ts once their node is up, as nodeCommand.ts's `started`. BENCH_SEMI_SPACE_MB gives
 * another cap (to compare two in one tree).
 */
export function nodeStarted(): void {
  grow(Number(process.env.BENCH_SEMI_SPACE_MB ?? STARTED_SEMI_SPACE_MB));
}

/**
 * BENCH_TRACE_YOUNG=1: the semi-spaces each time they change at a collection, and each worker
 * thread's 'online', on stderr (ms since start): to tell whether V8 passed the cap inside one
 * task or while a new worker's isolate had set the growth factor back to 2.
 */
if (isMainThread && process.env.BENCH_TRACE_YOUNG === '1') {
  let last = semiSpaceSizeMb();
  const say = (what: string) =>
    process.stderr.write(`young ${process.pid} ${performance.now().toFixed(0)} ms ${what}\n`);
  new PerformanceObserver((list) => {
    const now = semiSpaceSizeMb();
    if (now !== last)
      say(`semi ${last} -> ${now} MB (${list.getEntries().length} collections read)`);
    last = now;
  }).observe({ entryTypes: ['gc'] });
  process.on('worker', (worker) => {
    say('worker created');
    worker.once('online', () => say(`worker online, semi ${semiSpaceSizeMb()} MB`));
  });
}
