/**
 * GET /api/p2p/blocks with `max_bytes` (since 0.2.0, src/p2p/capabilities.ts), both ways:
 * a node answers the first blocks asked for that fit (at least one); it asks a peer since 0.2.0
 * for a short branch in one request and goes on with the slow start when the answer held fewer;
 * and it asks an older peer in the older form only, which that peer's schema accepts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Block, encodeBlock, hashHeader, toHex } from '../../../src/core/index.js';
import {
  BATCH_REQUEST_BYTES,
  FIRST_REQUEST_BYTES,
  UNCAPPED_BATCH_MOST,
} from '../../../src/p2p/batchSizes.js';
import { ChainBuilder, easyParams } from '../../support/chainBuilder.js';
import {
  chainRoutes,
  type FakePeer,
  type Handler,
  sendJson,
  startFakePeer,
} from '../../support/fakePeer.js';
import { closeNodesAfterEach, get } from '../../support/http.js';
import { afterGenesis, feed } from '../../support/nodeFixtures.js';
import { peerView, register, startP2pNode, waitForTip } from '../../support/p2p.js';

closeNodesAfterEach();
const fakes: FakePeer[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/**
 * The requests for a 20-block branch to a peer before 0.2.0: 1 block, then 2 a request; those
 * after the first two go out together, in no set order (sorted here).
 */
const OLDER_FORM_20 = [1, 2, 1, ...Array.from({ length: 8 }, () => UNCAPPED_BATCH_MOST)];
const hashOf = (block: Block) => toHex(hashHeader(block.header));

/** A blocks route that records each request's hashes and max_bytes before `serve` answers. */
function recorded(serve: Handler) {
  const asked: { hashes: number; maxBytes: string | null }[] = [];
  const route: Handler = (req, res, query) => {
    asked.push({
      hashes: (query.get('hashes') ?? '').split(',').length,
      maxBytes: query.get('max_bytes'),
    });
    serve(req, res, query);
  };
  return { asked, route };
}

describe('a node answering max_bytes', () => {
  it('answers the first blocks asked for that fit, always at least one, in the order asked', async () => {
    const builder = new ChainBuilder(easyParams);
    for (let i = 0; i < 5; i++) builder.mine();
    const node = await startP2pNode({ params: easyParams });
    const blocks = afterGenesis(builder);
    await feed(node.chain, blocks);
    const hashes = blocks.map(hashOf).join(',');
    const sizes = blocks.map((b) => encodeBlock(b).length);
    const ask = async (maxBytes: number) =>
      (await get(`${node.url}/api/p2p/blocks?hashes=${hashes}&max_bytes=${maxBytes}`)).body.blocks;

    expect(await ask(1)).toEqual([toHex(encodeBlock(blocks[0]!))]);
    expect(await ask(sizes[0]! + sizes[1]! + sizes[2]! - 1)).toHaveLength(2);
    expect(await ask(sizes[0]! + sizes[1]! + sizes[2]!)).toHaveLength(3);
    expect(await ask(999_999_999)).toEqual(blocks.map((b) => toHex(encodeBlock(b))));
    // Up to 64 hashes with max_bytes (the same block may be asked for twice).
    const many = Array(64).fill(hashOf(blocks[0]!)).join(',');
    const answer = await get(`${node.url}/api/p2p/blocks?hashes=${many}&max_bytes=100000`);
    expect(answer.status).toBe(200);
    expect(answer.body.blocks).toHaveLength(64);
  });
});

/**
 * A node at genesis syncs a 20-block chain from a fake peer of `version` whose blocks route is
 * `blocksRoute` (given the honest one); returns what the route was asked and the peer.
 */
async function syncTwentyFrom(
  version: string,
  blocksRoute: (honest: Handler, blocks: readonly Block[]) => Handler,
) {
  const builder = new ChainBuilder(easyParams);
  for (let i = 0; i < 20; i++) builder.mine();
  const node = await startP2pNode({ params: easyParams });
  const serve = chainRoutes(builder.blocks);
  const { asked, route } = recorded(blocksRoute(serve['GET /api/p2p/blocks']!, builder.blocks));
  const peer = await startFakePeer(node, {
    routes: { ...serve, 'GET /api/p2p/blocks': route },
    hello: { version },
  });
  fakes.push(peer);
  await register(node, [peer.url]);
  await waitForTip(node, hashOf(builder.blocks[20]!));
  return { asked, node, peer };
}

describe('a node asking a peer since 0.2.0', () => {
  it('goes on with 2, 4, 8 blocks a request when the capped first answer held fewer than asked', async () => {
    // As a peer whose first blocks are big: the first capped answer holds the first block only.
    // The batches after it carry max_bytes too (BATCH_REQUEST_BYTES: fetchBatch.ts
    // fetchWholeBatch), which these small blocks fit in.
    const { asked } = await syncTwentyFrom('0.2.0', (honest, blocks) => (req, res, query) => {
      if (query.get('max_bytes') !== `${FIRST_REQUEST_BYTES}`) return honest(req, res, query);
      const first = blocks.find((b) => hashOf(b) === query.get('hashes')!.split(',')[0]);
      sendJson(res, { blocks: [toHex(encodeBlock(first!))] });
    });
    expect(asked).toEqual([
      { hashes: 20, maxBytes: `${512 * 1024}` },
      ...[2, 4, 8, 5].map((hashes) => ({ hashes, maxBytes: `${BATCH_REQUEST_BYTES}` })),
    ]);
  });
});

describe('a node asking a peer of 0.1.0', () => {
  it('asks in the older form only: the peer refuses nothing, and the branch comes', async () => {
    // 0.1.0's schema: hashes only, at most 16; anything else is 400 API_BAD_REQUEST.
    let refused = 0;
    const { asked, node, peer } = await syncTwentyFrom('0.1.0', (honest) => (req, res, query) => {
      const hashes = (query.get('hashes') ?? '').split(',');
      if ([...query.keys()].some((k) => k !== 'hashes') || hashes.length > 16) {
        refused++;
        return sendJson(res, { error: { code: 'API_BAD_REQUEST', message: 'old' } }, 400);
      }
      honest(req, res, query);
    });
    expect(refused).toBe(0);
    // 1, then UNCAPPED_BATCH_MOST (2) a request: its answers cannot be capped (batchSizes.ts).
    const [first, second, ...rest] = asked;
    expect([first, second, ...rest.sort((a, b) => a.hashes - b.hashes)]).toEqual(
      OLDER_FORM_20.map((hashes) => ({ hashes, maxBytes: null })),
    );
    expect(await peerView(node, peer.url)).toMatchObject({ score: 0, version: '0.1.0' });
  });
});
