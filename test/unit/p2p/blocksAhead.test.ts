/**
 * A sync holds no more than VERIFY_AHEAD_BLOCKS decoded blocks ahead of the one it adds
 * (fetchBodies.ts): each full block ahead is ≈ 5 MB of heap and a shared copy of its megabyte for
 * the signature workers. A peer over real HTTP (127.0.0.1) answers every batch at once, so the
 * blocks are there to decode; the chain counts the blocks handed to verifyAhead and not yet added.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Block, blockHashHex, encodeBlock, ok } from '../../../src/core/index.js';
import { writeBlocksAnswer } from '../../../src/p2p/blocksAnswer.js';
import { fetchBodies, VERIFY_AHEAD_BLOCKS } from '../../../src/p2p/fetchBodies.js';
import { StallTimeouts } from '../../../src/p2p/stallTimeouts.js';
import { addingChain } from '../../support/addingChain.js';
import { ChainBuilder, easyParams, pendingBranch } from '../../support/chainBuilder.js';

const builder = new ChainBuilder(easyParams);
const blocks = Array.from({ length: 24 }, () => builder.mine());
const byHash = new Map(blocks.map((block) => [blockHashHex(block.header), encodeBlock(block)]));

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const hashes = new URL(request.url ?? '', 'http://peer').searchParams.get('hashes') ?? '';
    const answer = writeBlocksAnswer(hashes.split(',').map((hash) => byHash.get(hash)!));
    response.writeHead(200, { 'content-type': 'application/json' }).end(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a sync blocks ahead', () => {
  it(`holds at most ${VERIFY_AHEAD_BLOCKS} decoded blocks ahead of the one it adds`, async () => {
    const held = new Set<Block>();
    let most = 0;
    const added: string[] = [];
    const chain = addingChain({
      verifyAhead(block) {
        held.add(block);
        most = Math.max(most, held.size);
      },
      async adding(block) {
        // Let the answers on their way come, as the chain's connect takes its time.
        await new Promise((resolve) => setImmediate(resolve));
        expect(held.delete(block)).toBe(true);
        added.push(blockHashHex(block.header));
      },
    });
    const branch = pendingBranch(blocks);
    const result = await fetchBodies({ chain, stalls: new StallTimeouts() }, url, branch);
    expect(result).toEqual(ok(blocks.length));
    expect(added).toEqual(branch.map((pending) => pending.hashHex));
    // The block being added, and VERIFY_AHEAD_BLOCKS after it: two in all (five, then three
    // before, each ≈ 5 MB more at a full sync's peak, for no faster sync: fetchBodies.ts).
    expect(most).toBe(VERIFY_AHEAD_BLOCKS + 1);
    expect(most).toBeLessThanOrEqual(2);
  });
});
