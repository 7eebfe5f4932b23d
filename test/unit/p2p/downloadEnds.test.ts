/**
 * When a download ends (a batch failed, or the sync was stopped), the requests still on their way
 * are cancelled (fetchBodies.ts): they went on after it, to their deadlines, were counted as the
 * peer's stalls and asked again (fetchBatch.ts), beside the next sync from the same peer
 * (slowDripPeer.test.ts: a request for blocks 4 and 5 went out as the download from a drip peer
 * ended, and dripped on).
 *
 * A peer over real HTTP (127.0.0.1) answers the first batch of the slow start ([1]) with a block
 * that is not the one asked for (P2P_BAD_RESPONSE: the download ends) once the second ([2, 3]) is
 * on its way, which it answers a byte now and then, never to the end. The second request must be
 * closed by the node as the download ends: before its deadline, so never counted as a stall.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockHashHex, encodeBlock } from '../../../src/core/index.js';
import { writeBlocksAnswer } from '../../../src/p2p/blocksAnswer.js';
import { fetchBodies } from '../../../src/p2p/fetchBodies.js';
import { StallTimeouts } from '../../../src/p2p/stallTimeouts.js';
import { addingChain } from '../../support/addingChain.js';
import { ChainBuilder, easyParams, pendingBranch } from '../../support/chainBuilder.js';

const builder = new ChainBuilder(easyParams);
const blocks = Array.from({ length: 3 }, () => builder.mine());
const hexes = blocks.map((block) => blockHashHex(block.header));

let server: Server;
let url: string;
let second: ((closed: Promise<void>) => void) | undefined;
const secondAsked = new Promise<Promise<void>>((resolve) => {
  second = resolve;
});
let answerFirst: (() => void) | undefined;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const hashes = new URL(request.url ?? '', 'http://peer').searchParams.get('hashes') ?? '';
    response.writeHead(200, { 'content-type': 'application/json' });
    if (hashes === hexes[0]) {
      // Answered wrongly once the second batch is on its way.
      answerFirst = () => response.end(writeBlocksAnswer([encodeBlock(blocks[2]!)]));
      return;
    }
    const answer = writeBlocksAnswer([encodeBlock(blocks[1]!), encodeBlock(blocks[2]!)]);
    let at = 0;
    const drip = setInterval(() => {
      if (at < answer.length - 1) response.write(answer.subarray(at, ++at));
    }, 100);
    const closed = new Promise<void>((resolve) =>
      response.on('close', () => {
        clearInterval(drip);
        resolve();
      }),
    );
    second?.(closed);
    answerFirst?.();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A chain that holds nothing and adds whatever it is given. */
const chain = addingChain();

describe('a download that ends with a request on its way', () => {
  it('closes that request at once: not left to run to its deadline and be asked again', async () => {
    const stalls = new StallTimeouts();
    const result = await fetchBodies({ chain, stalls }, url, pendingBranch(blocks));
    expect(result).toMatchObject({ ok: false, code: 'P2P_BAD_RESPONSE' });
    // The second batch's request, closed by the node: before its deadline (7 s and more), so the
    // peer was never counted as stalling.
    await await secondAsked;
    expect(stalls.stallCount(url)).toBe(0);
  }, 60_000);
});
