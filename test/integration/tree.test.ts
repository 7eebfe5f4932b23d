/**
 * GET /api/tree: the recent block tree, over HTTP. A node's own chain is one row of main blocks;
 * after two nodes that mined apart meet, the lighter one's blocks are a stale branch beside the
 * main chain; a block found invalid is shown as such; `depth` bounds the window, yet a branch
 * that forked below it still shows; and on 10,000 blocks it looks at each block once.
 */
import { describe, expect, it } from 'vitest';
import { MAX_SIDE_BLOCKS, recentTree } from '../../src/api/routes/tree.js';
import { BlockIndex, type BlockTreeReader } from '../../src/chain/blockIndex.js';
import {
  type Block,
  type BlockHeader,
  encodeBlock,
  hashHeader,
  toHex,
} from '../../src/core/index.js';
import type { BlockyardNode } from '../../src/node/createNode.js';
import { blockOn, bobOverspends } from '../support/chainBuilder.js';
import { type Body, closeNodesAfterEach, expectError, get, postJson } from '../support/http.js';
import { mine, register, startP2pNode, waitForTip } from '../support/p2p.js';

closeNodesAfterEach();

interface TreeBlock {
  hash: string;
  prev_hash: string;
  height: number;
  main: boolean;
  invalid: boolean;
  timestamp_ms: number;
  chain_work: string;
}

async function tree(node: BlockyardNode, query = ''): Promise<Body> {
  const answer = await get(`${node.url}/api/tree${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

const hashesOf = (blocks: TreeBlock[], main: boolean) =>
  blocks.filter((b) => b.main === main).map((b) => b.hash);

/** The main chain's hashes from `from` to the tip, by /api/blocks/:height. */
async function mainHashes(node: BlockyardNode, from: number): Promise<string[]> {
  const hashes = [];
  for (let h = from; h <= node.chain.tip.header.height; h++) {
    hashes.push((await get(`${node.url}/api/blocks/${h}`)).body.hash as string);
  }
  return hashes;
}

const post = (node: BlockyardNode, block: Block) =>
  postJson(`${node.url}/api/blocks`, { hex: toHex(encodeBlock(block)) });

describe('GET /api/tree', () => {
  it("shows a lone node's chain as one row of main blocks, lowest first", async () => {
    const node = await startP2pNode();
    for (let i = 0; i < 3; i++) await mine(node);
    const body = await tree(node);
    expect(body).toMatchObject({
      tip_height: 3,
      tip_hash: node.chain.tip.hashHex,
      from_height: 0,
      truncated: false,
    });
    const blocks = body.blocks as TreeBlock[];
    expect(blocks.map((b) => b.height)).toEqual([0, 1, 2, 3]);
    expect(blocks.every((b) => b.main && !b.invalid)).toBe(true);
    expect(hashesOf(blocks, true)).toEqual(await mainHashes(node, 0));
    for (const [i, block] of blocks.entries()) {
      if (i > 0) expect(block.prev_hash).toBe(blocks[i - 1]!.hash);
    }
    expect(BigInt(blocks[3]!.chain_work)).toBe(node.chain.tip.chainWork);
    expect(Object.keys(blocks[0]!).sort()).toEqual(
      ['chain_work', 'hash', 'height', 'invalid', 'main', 'prev_hash', 'timestamp_ms'].sort(),
    );
  });

  it('shows the lighter side of two nodes that mined apart as a stale branch after they meet', async () => {
    const [a, b] = [await startP2pNode(), await startP2pNode()];
    for (let i = 0; i < 2; i++) await mine(a);
    for (let i = 0; i < 4; i++) await mine(b);
    const staleHashes = await mainHashes(a, 1);
    const bTip = b.chain.tip.hashHex;

    await register(a, [b]);
    await waitForTip(a, bTip);

    const body = await tree(a);
    expect(body.tip_hash).toBe(bTip);
    const blocks = body.blocks as TreeBlock[];
    expect(hashesOf(blocks, true)).toEqual(await mainHashes(b, 0));
    expect(hashesOf(blocks, false)).toEqual(staleHashes);
    const stale = blocks.filter((block) => !block.main);
    expect(stale.map((block) => [block.height, block.invalid])).toEqual([
      [1, false],
      [2, false],
    ]);
    // The stale branch hangs off genesis, which is in the answer.
    expect(stale[0]!.prev_hash).toBe(blocks[0]!.hash);
  });

  it('marks a block found invalid, and never puts it on the main chain', async () => {
    const node = await startP2pNode();
    await mine(node);
    const tip = node.chain.getBlock(node.chain.tip);
    // Bob has nothing: a block spending his coins passes every check until it is connected.
    const theft = bobOverspends();
    const bad = blockOn(tip, [theft]);
    const answer = await post(node, bad);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(node.chain.tip.hashHex).toBe(toHex(hashHeader(tip.header)));

    const blocks = (await tree(node)).blocks as TreeBlock[];
    const shown = blocks.find((b) => b.hash === toHex(hashHeader(bad.header)));
    expect(shown).toMatchObject({ height: 2, main: false, invalid: true });
    expect(blocks.filter((b) => b.main).map((b) => b.height)).toEqual([0, 1]);
  });

  it('keeps to `depth`, yet shows a branch that forked below it', async () => {
    const node = await startP2pNode();
    await mine(node);
    const forkParent = node.chain.getBlock(node.chain.tip);
    for (let i = 0; i < 5; i++) await mine(node);
    // A side branch of 5 blocks on block 1 (heights 2 to 6, as much work as the main chain,
    // which was seen first): its top two are within depth 2 of the tip (6).
    let parent = forkParent;
    const side: string[] = [];
    for (let i = 0; i < 5; i++) {
      parent = blockOn(parent);
      expect((await post(node, parent)).body.status).toBe('side');
      side.push(toHex(hashHeader(parent.header)));
    }

    const deep = await tree(node, '?depth=2');
    expect(deep).toMatchObject({ tip_height: 6, from_height: 5 });
    const blocks = deep.blocks as TreeBlock[];
    expect(blocks.filter((b) => b.main).map((b) => b.height)).toEqual([5, 6]);
    expect(hashesOf(blocks, false)).toEqual(side.slice(3));

    const all = (await tree(node, '?depth=200')).blocks as TreeBlock[];
    expect(all).toHaveLength(7 + 5);
    const top = (await tree(node, '?depth=1')).blocks as TreeBlock[];
    expect(top.map((b) => [b.height, b.main])).toEqual([
      [6, true],
      [6, false],
    ]);
  });

  it('refuses a depth out of range with a stable code', async () => {
    const node = await startP2pNode();
    for (const depth of ['0', '201', '999999', 'abc', '-1', '2.5', '']) {
      expectError(await get(`${node.url}/api/tree?depth=${depth}`), 400, 'API_BAD_REQUEST');
    }
    expectError(await get(`${node.url}/api/tree?limit=5`), 400, 'API_BAD_REQUEST');
  });
});

describe('recentTree', () => {
  /** An index of `height` + 1 main blocks and side branches, with made-up hashes (no PoW). */
  function bigIndex(height: number) {
    const index = new BlockIndex();
    let seen = 0;
    const hashOf = (n: number) => {
      const hash = new Uint8Array(32);
      new DataView(hash.buffer).setUint32(0, n);
      return hash;
    };
    const add = (parent: Uint8Array | undefined, h: number) => {
      const header: BlockHeader = {
        version: 1,
        height: h,
        prevHash: parent ?? new Uint8Array(32),
        merkleRoot: new Uint8Array(32),
        timestampMs: h * 1000,
        bits: 0x207fffff,
        nonce: 0n,
      };
      const hash = hashOf(++seen);
      return index.add({ hash, header, chainWork: BigInt(h + 1), seenOrder: seen, invalid: false });
    };
    let tip = add(undefined, 0);
    index.main.push(tip);
    for (let h = 1; h <= height; h++) {
      tip = add(tip.hash, h);
      index.main.push(tip);
    }
    return { index, add };
  }

  it('answers for a 10,000-block chain looking at each block once, deep forks included', () => {
    const { index, add } = bigIndex(10_000);
    // 100 short stale forks all along the chain, and one 60-block branch forked at 9,900.
    for (let f = 50; f < 10_000; f += 100) add(index.main[f]!.hash, f + 1);
    let parent = index.main[9_900]!;
    for (let h = 9_901; h <= 9_960; h++) parent = add(parent.hash, h);

    // The work counted, not timed (a shared machine's clock says little): one children lookup
    // per block at most, main and side, whatever the chain's shape.
    let lookups = 0;
    const counted: BlockTreeReader = {
      tip: index.tip,
      main: index.main,
      get: (hashHex) => index.get(hashHex),
      isOnMain: (entry) => index.isOnMain(entry),
      childrenOf: (entry) => {
        lookups++;
        return index.childrenOf(entry);
      },
    };
    const tree = recentTree(counted, 30);
    expect(lookups).toBeLessThanOrEqual(index.size);

    expect(tree.fromHeight).toBe(9_971);
    expect(tree.main).toHaveLength(30);
    // Nothing from the stale forks: the 60-block branch ends at 9,960, below the window.
    expect(tree.side).toEqual([]);
    expect(recentTree(index, 100).side.map((e) => e.header.height)).toEqual(
      [...Array.from({ length: 60 }, (_, i) => 9_901 + i), 9_951].sort((x, y) => x - y),
    );
  });

  it(`lists at most ${MAX_SIDE_BLOCKS} side blocks, the highest, and says so`, () => {
    const { index, add } = bigIndex(10);
    for (let i = 0; i < MAX_SIDE_BLOCKS + 5; i++) add(index.main[9]!.hash, 10);
    const tree = recentTree(index, 5);
    expect(tree.truncated).toBe(true);
    expect(tree.side).toHaveLength(MAX_SIDE_BLOCKS);
  });
});
