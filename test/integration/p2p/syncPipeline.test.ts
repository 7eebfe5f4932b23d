/**
 * A sync of blocks big enough for the verifier's worker threads: each batch's blocks are decoded
 * and their signatures checked a few blocks ahead of the one being connected, batches grow from
 * 1 block to 16. The node ends where a sync one block at a time would: the same tip and state,
 * or, with a bad signature deep in the chain, every block before it connected, that block marked
 * invalid, and the peer banned. A peer's garbled block answer is a failure to score it by, not
 * an exception.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MIN_WORKER_SIGNATURES } from '../../../src/chain/verifySignatures.js';
import { type Block, COIN, hashHeader, toHex } from '../../../src/core/index.js';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import { UNCAPPED_BATCH_MOST } from '../../../src/p2p/batchSizes.js';
import { alice, bob, ChainBuilder } from '../../support/chainBuilder.js';
import { chainRoutes, type FakePeer, sendJson, startFakePeer } from '../../support/fakePeer.js';
import { closeNodesAfterEach, get } from '../../support/http.js';
import { peerView, register, startP2pNode, waitForPeer, waitForTip } from '../../support/p2p.js';

closeNodesAfterEach();
const fakes: FakePeer[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** At least MIN_WORKER_SIGNATURES: the blocks go to the workers whole. */
const TRANSFERS = MIN_WORKER_SIGNATURES;
/** Across the batches of 1, 2, 4 and 8 blocks, into the first of 16. */
const BLOCKS = 18;

/**
 * Genesis, a block paying alice, then BLOCKS blocks of TRANSFERS transfers alice → bob; with
 * `badAt`, that block's first transfer has a flipped signature bit (the header commits to it:
 * only the signature is wrong), and the blocks after it are empty.
 */
function bigChain(badAt?: number): ChainBuilder {
  const builder = new ChainBuilder();
  builder.mine({ minerKey: alice.key });
  for (let b = 0; b < BLOCKS; b++) {
    if (badAt !== undefined && b > badAt) {
      builder.blocks.push(builder.next()); // on the bad block: not validated, nor appended
      continue;
    }
    const first = builder.account(alice.key)!.nonce;
    const transfers = Array.from({ length: TRANSFERS }, (_, i) =>
      builder.transfer(alice, bob, COIN / 1000n, { nonce: first + BigInt(i) }),
    );
    if (b !== badAt) {
      builder.mine({ transfers });
      continue;
    }
    const signature = Uint8Array.from(transfers[0]!.signature);
    signature[5]! ^= 1;
    builder.blocks.push(
      builder.next({ transfers: [{ ...transfers[0]!, signature }, ...transfers.slice(1)] }),
    );
  }
  return builder;
}

async function fakeWith(node: BlockyardNode, blocks: readonly Block[]) {
  const peer = await startFakePeer(node, { routes: chainRoutes(blocks) });
  fakes.push(peer);
  return peer;
}

describe('a sync of big blocks, checked ahead on the workers', () => {
  it('ends on the same tip and state as the peer', async () => {
    const chain = bigChain();
    const node = await startP2pNode();
    const peer = await fakeWith(node, chain.blocks);
    const tipHex = toHex(hashHeader(chain.tip.header));
    await register(node, [peer.url]);
    await waitForTip(node, tipHex, 80_000);
    for (const party of [alice, bob]) {
      expect(node.chain.state.getAccount(toHex(party.key))).toEqual(chain.account(party.key));
    }
    const requests = peer.requests.filter((r) => r === 'GET /api/p2p/blocks');
    // 19 blocks from a peer of 0.1.0: 1, then 2 a request (batchSizes.ts UNCAPPED_BATCH_MOST).
    expect(requests.length).toBe(1 + Math.ceil(18 / UNCAPPED_BATCH_MOST));
    // NOTE: a safety bound, not a speed claim: about 13 s alone, over 30 s on a loaded runner.
  }, 90_000);

  it('stops at a bad signature deep in the chain: the blocks before it kept, the peer banned', async () => {
    const chain = bigChain(12);
    const node = await startP2pNode();
    const peer = await fakeWith(node, chain.blocks);
    await register(node, [peer.url]);
    const banned = await waitForPeer(
      node,
      peer.url,
      (_p, isBanned) => isBanned,
      'to be banned',
      80_000,
    );
    expect(banned.lastError).toMatch(/^TX_BAD_SIGNATURE/);
    // Block 1 pays alice, blocks 2 … 13 are the first twelve big ones; the 13th is block 14.
    expect(node.chain.tip.header.height).toBe(13);
    const bad = node.chain.get(toHex(hashHeader(chain.blocks[14]!.header)));
    expect(bad?.invalid).toBe(true);
    expect((await get(`${node.url}/api/info`)).body.height).toBe(13);
    expect(await peerView(node, peer.url)).toMatchObject({ banned: true });
    // NOTE: a safety bound, as above: 15–18 s at load 9, and past vitest's 30 s at load 12.
  }, 90_000);
});

describe('a block answer that is not whole bytes of hex', () => {
  it('fails the sync with P2P_BAD_RESPONSE, and the node goes on', async () => {
    const chain = new ChainBuilder().mineEmpty(2);
    const node = await startP2pNode();
    const routes = chainRoutes(chain.blocks);
    const peer = await startFakePeer(node, {
      routes: {
        ...routes,
        // As many as were asked for, each an odd number of hex digits (the schema lets it by).
        'GET /api/p2p/blocks': (_req, res, query) =>
          sendJson(res, { blocks: (query.get('hashes') ?? '').split(',').map(() => 'abc') }),
      },
    });
    fakes.push(peer);
    await register(node, [peer.url]);
    const failed = await waitForPeer(node, peer.url, (p) => Boolean(p.lastError), 'to fail a sync');
    expect(failed.lastError).toMatch(/^P2P_BAD_RESPONSE/);
    expect(node.chain.tip.header.height).toBe(0);
    expect((await get(`${node.url}/api/info`)).status).toBe(200);
  });
});

describe('a block answer that is not the block asked for', () => {
  it('fails the sync with P2P_BAD_RESPONSE after adding the blocks before it', async () => {
    const chain = new ChainBuilder().mineEmpty(6);
    const node = await startP2pNode();
    const routes = chainRoutes(chain.blocks);
    const fourth = toHex(hashHeader(chain.blocks[4]!.header));
    const fifth = toHex(hashHeader(chain.blocks[5]!.header));
    const peer = await startFakePeer(node, {
      routes: {
        ...routes,
        // Block 5 where block 4 was asked for.
        'GET /api/p2p/blocks': (req, res, query) => {
          const hashes = (query.get('hashes') ?? '').split(',');
          const swapped = hashes.map((h) => (h === fourth ? fifth : h)).join(',');
          routes['GET /api/p2p/blocks']!(req, res, new URLSearchParams({ hashes: swapped }));
        },
      },
    });
    fakes.push(peer);
    await register(node, [peer.url]);
    const failed = await waitForPeer(node, peer.url, (p) => Boolean(p.lastError), 'to fail a sync');
    expect(failed.lastError).toMatch(/^P2P_BAD_RESPONSE/);
    expect(node.chain.tip.header.height).toBe(3);
  });
});
