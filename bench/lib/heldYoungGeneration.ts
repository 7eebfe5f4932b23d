/**
 * Loaded before a bench's node child (p2pNode.ts and intakeNode.ts; nodeChild.ts and intakeClients.ts pass `--import` this), so before
 * the node's modules load: V8's young generation held small for the process's life, as `blockyard
 * node` holds it (src/cli/youngGeneration.ts, src/cli/nodeCommand.ts), so that the bench measures
 * the node users run. NOTE: as p2pNode.ts's first import it would come too late: every module of
 * the graph is read and compiled before the first one runs (the young generation had grown to 8 MB
 * semi-spaces by then).
 */
import { isMainThread } from 'node:worker_threads';
import { holdYoungGeneration, STARTED_SEMI_SPACE_MB } from '../../src/cli/youngGeneration.js';

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
