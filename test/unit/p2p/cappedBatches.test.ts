/**
 * Where a branch turns from small blocks to full ones, a batch asked while the first full ones
 * were on their way was sized by the small blocks before them: an answer of 4 full blocks (8 MB
 * of hex) where BATCH_HEX_CHARS allows 2. From a peer that takes max_bytes, every batch is now
 * asked with BATCH_REQUEST_BYTES and its rest asked again (fetchBatch.ts fetchWholeBatch): no
 * answer holds more than that, and every block comes, in order.
 *
 * A peer over real HTTP (127.0.0.1) answers as the node's route does (blocks.ts: the first block
 * always, then those that fit in max_bytes). The "full" blocks are small blocks' headers with a
 * megabyte of transfers copied in: they decode, and their hashes are the headers' (nothing here
 * checks more; a fake chain adds them).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Block, blockHashHex, encodeBlock, ok } from '../../../src/core/index.js';
import { BATCH_REQUEST_BYTES } from '../../../src/p2p/batchSizes.js';
import { writeBlocksAnswer } from '../../../src/p2p/blocksAnswer.js';
import { CAPPED_BLOCKS_SINCE } from '../../../src/p2p/capabilities.js';
import { fetchBodies } from '../../../src/p2p/fetchBodies.js';
import { StallTimeouts } from '../../../src/p2p/stallTimeouts.js';
import { addingChain } from '../../support/addingChain.js';
import { alice, bob, fundedChain, pendingBranch } from '../../support/chainBuilder.js';

const SMALL = 3;
const FULL = 6;
const builder = fundedChain();
const mined = Array.from({ length: SMALL + FULL }, () =>
  builder.mine({ transfers: [builder.transfer(alice, bob, 1n)] }),
);
/** ≈ 1 MB: the block's own transactions and copies of its transfer. */
const full = (block: Block): Block => ({
  header: block.header,
  txs: [...block.txs, ...Array.from({ length: 6_000 }, () => block.txs[1]!)],
});
const blocks = mined.map((block, i) => (i < SMALL ? block : full(block)));
const byHash = new Map(blocks.map((block) => [blockHashHex(block.header), encodeBlock(block)]));

let server: Server;
let url: string;
/** The block bytes each answer held. */
const answered: number[] = [];
/** The peer answers every block asked for, as one before 0.2.0 does. */
let ignoresMaxBytes = false;

beforeAll(async () => {
  server = createServer((request, response) => {
    const query = new URL(request.url ?? '', 'http://peer').searchParams;
    const cap = ignoresMaxBytes
      ? Number.POSITIVE_INFINITY
      : Number(query.get('max_bytes') ?? Number.POSITIVE_INFINITY);
    const chosen: Uint8Array[] = [];
    let bytes = 0;
    for (const hash of (query.get('hashes') ?? '').split(',')) {
      const block = byHash.get(hash)!;
      if (chosen.length > 0 && bytes + block.length > cap) break;
      bytes += block.length;
      chosen.push(block);
    }
    answered.push(bytes);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(writeBlocksAnswer(chosen));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A chain that adds whatever it is given, in order, into `added`. */
const chainAdding = (added: string[]) =>
  addingChain({ adding: (block) => void added.push(blockHashHex(block.header)) });

describe('a branch that turns from small blocks to full ones', () => {
  it('comes whole, in order, and no answer holds more than BATCH_REQUEST_BYTES of blocks', async () => {
    expect(byHash.get(blockHashHex(blocks.at(-1)!.header))!.length).toBeGreaterThan(900_000);
    const added: string[] = [];
    const result = await fetchBodies(
      { chain: chainAdding(added), stalls: new StallTimeouts(), peerVersion: CAPPED_BLOCKS_SINCE },
      url,
      pendingBranch(blocks),
    );
    expect(result).toEqual(ok(blocks.length));
    expect(added).toEqual(blocks.map((block) => blockHashHex(block.header)));
    // The first request's max_bytes is smaller; every one after it at most BATCH_REQUEST_BYTES.
    expect(Math.max(...answered)).toBeLessThanOrEqual(BATCH_REQUEST_BYTES);
    expect(answered.filter((bytes) => bytes > 1_500_000).length).toBeGreaterThan(0);
  });
});

describe('the same branch from a peer before 0.2.0, which ignores max_bytes', () => {
  it('is asked for no more blocks a request than BATCH_REQUEST_BYTES holds at the largest block size', async () => {
    answered.length = 0;
    ignoresMaxBytes = true;
    const added: string[] = [];
    try {
      const result = await fetchBodies(
        { chain: chainAdding(added), stalls: new StallTimeouts(), peerVersion: '0.1.0' },
        url,
        pendingBranch(blocks),
      );
      expect(result).toEqual(ok(blocks.length));
    } finally {
      ignoresMaxBytes = false;
    }
    expect(added).toEqual(blocks.map((block) => blockHashHex(block.header)));
    process.stdout.write(
      `a peer before 0.2.0: answers of ${answered.join(', ')} bytes of blocks\n`,
    );
    // NOTE: a request sized by the small blocks before it held 4 full blocks (≈ 4 MB).
    expect(Math.max(...answered)).toBeLessThanOrEqual(BATCH_REQUEST_BYTES);
  });
});
