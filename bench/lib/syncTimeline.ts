/**
 * A syncing node's timeline (bench/lib/p2pNode.ts, BENCH_TIMELINE=1): when each block's checks
 * were started ahead (chain.verifyAhead) and when each was added, in ms from the sync's start,
 * written to /tmp/timeline-<pid>.txt when the process exits. For seeing where the workers wait.
 */
import { writeFileSync } from 'node:fs';
import type { Chain } from '../../src/chain/chain.js';

export function recordSyncTimeline(chain: Chain): void {
  const started = performance.now();
  const lines: string[] = [];
  const at = (what: string) => lines.push(`${(performance.now() - started).toFixed(1)} ${what}`);
  const verifyAhead = chain.verifyAhead.bind(chain);
  chain.verifyAhead = (block, bytes, hash) => {
    at(`verifyAhead ${block.header.height} (${block.txs.length} txs)`);
    verifyAhead(block, bytes, hash);
    at(`verifyAhead ${block.header.height} returned`);
  };
  const addBlock = chain.addBlock.bind(chain);
  chain.addBlock = async (block, origin) => {
    at(`addBlock ${block.header.height} start`);
    const added = await addBlock(block, origin);
    at(`addBlock ${block.header.height} end`);
    return added;
  };
  process.on('exit', () => writeFileSync(`/tmp/timeline-${process.pid}.txt`, lines.join('\n')));
  at('sync start');
}
