/**
 * A batch whose answer runs out of time is asked again from the same slow peer (fetchBatch.ts
 * fetchBatch: a peer that keeps sending is not cut), unless every block of it came from another
 * peer meanwhile (slowDripPeer.test.ts: a drip peer was asked again for ≈ 11 minutes). Here the
 * line between the two: a batch of two, one of them come meanwhile, is still asked again.
 *
 * A peer over real HTTP (127.0.0.1) drips its first answer for the batch of two a byte at a time,
 * and answers the same request at once when asked again. The peer's stall timeouts are those of
 * StallTimeouts at a twentieth of the time (a batch's deadline under half a second), so that the
 * first answer runs out of time at once; whether it ends by its stall timeout or its deadline (a
 * busy machine), the batch is asked again or not by the same rule.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockHashHex, encodeBlock, ok } from '../../../src/core/index.js';
import { writeBlocksAnswer } from '../../../src/p2p/blocksAnswer.js';
import { fetchBodies } from '../../../src/p2p/fetchBodies.js';
import { StallTimeouts } from '../../../src/p2p/stallTimeouts.js';
import { addingChain } from '../../support/addingChain.js';
import { ChainBuilder, easyParams, pendingBranch } from '../../support/chainBuilder.js';

/** Three blocks: the slow start asks for [1], then [2, 3] (batchSizes.ts FIRST_BATCHES). */
const builder = new ChainBuilder(easyParams);
const blocks = Array.from({ length: 3 }, () => builder.mine());
const hexes = blocks.map((block) => blockHashHex(block.header));
const byHash = new Map(blocks.map((block) => [blockHashHex(block.header), encodeBlock(block)]));
const SLOW_BATCH = `${hexes[1]},${hexes[2]}`;
/** A byte this often: never a stall (100 ms here), never a whole answer in its deadline. */
const DRIP_MS = 10;

/** StallTimeouts at a twentieth of the time. */
class QuickStalls extends StallTimeouts {
  override of(url: string): number {
    return super.of(url) / 20;
  }
  override stalled(url: string, usedMs: number): boolean {
    return super.stalled(url, usedMs * 20);
  }
}

let server: Server;
let url: string;
/** How many times each batch was asked for (its hashes, comma-separated). */
const asked = new Map<string, number>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const hashes = new URL(request.url ?? '', 'http://peer').searchParams.get('hashes') ?? '';
    const times = (asked.get(hashes) ?? 0) + 1;
    asked.set(hashes, times);
    const answer = writeBlocksAnswer(hashes.split(',').map((hash) => byHash.get(hash)!));
    response.writeHead(200, { 'content-type': 'application/json' });
    if (hashes !== SLOW_BATCH || times > 1) {
      response.end(answer);
      return;
    }
    let at = 0;
    const drip = setInterval(() => {
      if (at < answer.length) response.write(answer.subarray(at, ++at));
    }, DRIP_MS);
    response.on('close', () => clearInterval(drip));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A chain that holds the blocks `came` (from another peer) and adds whatever it is given. */
const chainHolding = (came: readonly string[]) =>
  addingChain({ holds: (hashHex) => came.includes(hashHex) });

const branch = pendingBranch(blocks);

describe('a batch that ran out of time at a slow peer', () => {
  it('is asked again while one of its blocks has not come from elsewhere', async () => {
    asked.clear();
    const result = await fetchBodies(
      { chain: chainHolding([hexes[2]!]), stalls: new QuickStalls() },
      url,
      branch,
    );
    expect(result).toEqual(ok(3));
    expect(asked.get(SLOW_BATCH)).toBe(2);
  });

  it('is not asked again once all its blocks came from elsewhere: a time-out', async () => {
    asked.clear();
    const result = await fetchBodies(
      { chain: chainHolding([hexes[1]!, hexes[2]!]), stalls: new QuickStalls() },
      url,
      branch,
    );
    expect(result).toMatchObject({ ok: false, code: 'P2P_TIMEOUT' });
    expect(asked.get(SLOW_BATCH)).toBe(1);
  });
});
