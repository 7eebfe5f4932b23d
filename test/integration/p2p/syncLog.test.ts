/**
 * What a node logs as it adopts a peer's chain: a synced run of blocks is the sync's lines
 * (src/p2p/syncLog.ts: progress at most once a second, then `synced from peer` with the count),
 * not a line a block; a single new block at the tip still has its own `block N connected` line.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/node/logger.js';
import { ChainBuilder, easyParams } from '../../support/chainBuilder.js';
import { closeNodesAfterEach, get } from '../../support/http.js';
import { afterGenesis, feed } from '../../support/nodeFixtures.js';
import { register, startP2pNode, submitBlock, waitForTip } from '../../support/p2p.js';

closeNodesAfterEach();

/** A json logger whose lines are kept, parsed. */
function loggedLines() {
  const lines: Record<string, unknown>[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('json', 'info', out), lines };
}

const blockLines = (lines: readonly Record<string, unknown>[]) =>
  lines.filter((l) => /^block \d+ connected$/.test(String(l.msg)));

describe('the log of a sync', () => {
  it('reports a synced run by its count, and a new block at the tip by its own line', async () => {
    const builder = new ChainBuilder(easyParams);
    for (let i = 0; i < 20; i++) builder.mine();
    const peer = await startP2pNode({ params: easyParams });
    await feed(peer.chain, afterGenesis(builder));
    const { logger, lines } = loggedLines();
    const node = await startP2pNode({ params: easyParams, logger });

    await register(node, [peer]);
    // The resolve joins the sync under way and answers once it is over.
    expect((await get(`${node.url}/nodes/resolve`)).status).toBe(200);
    expect(node.chain.tip.hashHex).toBe(peer.chain.tip.hashHex);
    expect(blockLines(lines)).toEqual([]);
    const synced = lines.filter((l) => l.msg === 'synced from peer');
    expect(synced).toEqual([
      expect.objectContaining({ peer: peer.url, blocks: 20, height: 20, ms: expect.any(Number) }),
    ]);

    // One block more at the peer, announced to the node: it has its own line.
    await register(peer, [node]);
    const next = builder.mine();
    await submitBlock(peer, next);
    await waitForTip(node, peer.chain.tip.hashHex);
    expect(blockLines(lines)).toEqual([
      expect.objectContaining({ msg: 'block 21 connected', hash: peer.chain.tip.hashHex }),
    ]);
  });
});
