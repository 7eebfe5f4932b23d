/**
 * A sync starts checking a block (chain.verifyAhead) as soon as its batch's answer comes, while
 * the block before it is still being added, not once that add is over: a chain turning full had
 * its first full blocks wait, undecoded, while this thread connected the block paying their
 * senders (fetchBodies.ts). A peer over real HTTP (127.0.0.1) holds its answer of the second
 * batch until the first block's add has begun; that add then waits for the second block's check
 * to start, which never happens if checks only start between adds (the test then times out).
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

const builder = new ChainBuilder(easyParams);
const blocks = Array.from({ length: 6 }, () => builder.mine());
const byHash = new Map(blocks.map((block) => [blockHashHex(block.header), encodeBlock(block)]));
const secondHash = blockHashHex(blocks[1]!.header);

let server: Server;
let url: string;
/** Lets the peer answer the request that holds the second block. */
let releaseSecond: () => void = () => {};
const secondReleased = new Promise<void>((resolve) => {
  releaseSecond = resolve;
});

beforeAll(async () => {
  server = createServer((request, response) => {
    const hashes = new URL(request.url ?? '', 'http://peer').searchParams.get('hashes') ?? '';
    const list = hashes.split(',');
    const answer = () => {
      const body = writeBlocksAnswer(list.map((hash) => byHash.get(hash)!));
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    };
    if (list.includes(secondHash)) void secondReleased.then(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a sync checking blocks ahead', () => {
  it('starts on a block as soon as its batch comes, while the one before is being added', async () => {
    const checked: number[] = [];
    const added: number[] = [];
    let secondChecked: () => void = () => {};
    const secondCheckStarted = new Promise<void>((resolve) => {
      secondChecked = resolve;
    });
    const chain = addingChain({
      verifyAhead(block) {
        checked.push(block.header.height);
        if (block.header.height === 2) secondChecked();
      },
      async adding(block) {
        if (block.header.height === 1) {
          // The second block's batch is held until now: it comes while this block is added.
          expect(checked).toEqual([1]);
          releaseSecond();
          await secondCheckStarted;
        }
        added.push(block.header.height);
      },
    });
    const branch = pendingBranch(blocks);
    const result = await fetchBodies({ chain, stalls: new StallTimeouts() }, url, branch);
    expect(result).toEqual(ok(blocks.length));
    expect(added).toEqual([1, 2, 3, 4, 5, 6]);
    // Each block checked once, in order (the bound on blocks held ahead: blocksAhead.test.ts).
    expect(checked).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
