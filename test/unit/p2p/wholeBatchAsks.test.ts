/**
 * A capped batch (fetchBatch.ts fetchWholeBatch) is asked in parts, one request a part after the
 * first; MAX_BATCH_ASKS counts the requests that ran out of time for the whole batch. A peer that
 * lets every other request run out of time and answers the next with one block (allowed: "at
 * least one") made each part its own count, so a batch of n blocks took 2n requests and n
 * timeouts; now the third timeout ends it with P2P_TOO_SLOW.
 *
 * Over real HTTP (127.0.0.1). The peer's stall timeout is held at 100 ms (STALL_MS is 2 s), so
 * that a request runs out of time in a fraction of a second.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Chain } from '../../../src/chain/chain.js';
import { blockHashHex, encodeBlock } from '../../../src/core/index.js';
import { writeBlocksAnswer } from '../../../src/p2p/blocksAnswer.js';
import { fetchWholeBatch, MAX_BATCH_ASKS } from '../../../src/p2p/fetchBatch.js';
import { StallTimeouts } from '../../../src/p2p/stallTimeouts.js';
import { alice, bob, fundedChain, pendingBranch } from '../../support/chainBuilder.js';

const builder = fundedChain();
const blocks = Array.from({ length: 6 }, () =>
  builder.mine({ transfers: [builder.transfer(alice, bob, 1n)] }),
);
const byHash = new Map(blocks.map((block) => [blockHashHex(block.header), encodeBlock(block)]));

class QuickStalls extends StallTimeouts {
  override of(): number {
    return 100;
  }
}

let server: Server;
let url: string;
let requests = 0;
/** Requests left unanswered (closed when the test ends). */
const held: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests++;
    if (requests % 2 === 1) {
      held.push(response);
      return;
    }
    const first = new URL(request.url ?? '', 'http://peer').searchParams.get('hashes')!;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(writeBlocksAnswer([byHash.get(first.split(',')[0]!)!]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of held) response.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('a peer that times out every other request ends the batch at its third timeout', async () => {
  const chain = { get: () => undefined } as unknown as Chain;
  const result = await fetchWholeBatch(
    { chain, stalls: new QuickStalls() },
    url,
    pendingBranch(blocks),
    2_000_000,
  );
  expect(result.ok).toBe(false);
  expect(!result.ok && result.code).toBe('P2P_TOO_SLOW');
  // Timed out, one block, timed out, one block, timed out: not 2 × 6 requests.
  expect(requests).toBe(2 * MAX_BATCH_ASKS - 1);
});
