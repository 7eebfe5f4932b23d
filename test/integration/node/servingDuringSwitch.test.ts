/**
 * A node on SQLite answering HTTP while it switches to a branch that leaves its main chain deeper
 * than its undo window: the switch runs in slices with the event loop's turns between them
 * (src/chain/switchSlices.ts; here after every step), so requests are answered during it, and
 * each answer is the old chain's or the new one's, never a mixture (the store's readers see the
 * chain before the switch until it commits: src/storage/sqliteSwitch.ts), and never the old
 * chain's again once one was the new one's.
 */
import { describe, expect, it } from 'vitest';
import { COIN, encodeAddress, hashTx, toHex } from '../../../src/core/index.js';
import { alice, bob, ChainBuilder, carol, easyParams, miner } from '../../support/chainBuilder.js';
import { closeNodesAfterEach, get, startNode, stopNode } from '../../support/http.js';
import { afterGenesis, feed, hexOf, makeTempDir, unwrap } from '../../support/nodeFixtures.js';

closeNodesAfterEach();

/** Main: G A1 … A12, each paying; the branch from A2: B3 … B13, paying otherwise. */
function branches() {
  const a = new ChainBuilder();
  a.mine();
  for (let i = 2; i <= 12; i++)
    a.mine({ transfers: [a.transfer(miner, i % 2 ? alice : bob, BigInt(i) * COIN)] });
  const b = a.forkAt(3);
  for (let i = 0; i < 11; i++)
    b.mine({ minerKey: carol.key, transfers: [b.transfer(miner, carol, BigInt(i + 1) * COIN)] });
  return { a, b };
}

/** A node on SQLite (windows of 2 and 3 blocks, a turn after every step) holding branches()' main. */
async function nodeOnMain() {
  const { a, b } = branches();
  const temp = makeTempDir();
  const node = await startNode({
    dataDir: temp.dir,
    storeWindows: { undoBlocks: 2, snapshotBlocks: 3 },
    switchSliceMs: 0,
  });
  await feed(node.chain, afterGenesis(a));
  return { a, b, temp, node };
}

describe('a node serving HTTP during a switch deeper than its undo window', () => {
  it('answers during it, each answer the old chain or the new, never one after the other', async () => {
    const { a, b, temp, node } = await nodeOnMain();
    const onlyA = toHex(hashTx(a.blocks[8]!.txs[1]!));
    const onlyB = toHex(hashTx(b.blocks.at(-1)!.txs[1]!));
    const paths = [
      '/api/info',
      ...[alice, bob, carol, miner].map(
        (p) => `/api/address/${encodeAddress(p.key, easyParams.addressPrefix)}`,
      ),
      `/api/tx/${onlyA}`,
      `/api/tx/${onlyB}`,
    ];
    /** What a request answers that depends on the chain: info's tip, the rest whole. */
    const ask = async (path: string) => {
      const { status, body } = await get(`${node.url}${path}`);
      const view =
        path === '/api/info' ? { height: body.height, tip: body.tip_hash } : { status, body };
      return JSON.stringify(view);
    };
    const askAll = () => Promise.all(paths.map(ask));
    const before = await askAll();

    // The branch's blocks but its last are side blocks; the last makes the switch.
    await feed(node.chain, b.blocks.slice(3, -1));
    expect(node.chain.tip.hashHex).toBe(hexOf(a.tip));
    let switched = false;
    const switching = node.chain.addBlock(b.tip).then((added) => {
      switched = true;
      return added;
    });
    const answers: { at: number; during: boolean; text: string }[] = [];
    let polls = 0;
    while (!switched) {
      const texts = await askAll();
      const during = !switched;
      for (const [at, text] of texts.entries()) answers.push({ at, during, text });
      polls++;
    }
    expect(unwrap(await switching)).toMatchObject({ status: 'connected', reorgDepth: 10 });
    const after = await askAll();
    expect(after).not.toEqual(before);

    expect(answers.filter((x) => x.during).length).toBeGreaterThan(0);
    const seenNew = new Set<number>();
    for (const { at, text } of answers) {
      expect([before[at], after[at]]).toContain(text);
      if (text === after[at] && text !== before[at]) seenNew.add(at);
      else if (seenNew.has(at)) throw new Error(`${paths[at]}: the old chain after the new one`);
    }
    expect(polls).toBeGreaterThan(0);
    await stopNode(node);
    temp.remove();
  }, 60_000);

  it('takes a block for the old tip and one for the new branch that come during it', async () => {
    const { a, b, temp, node } = await nodeOnMain();
    await feed(node.chain, b.blocks.slice(3, -1));
    const switching = node.chain.addBlock(b.tip);
    // Once the node answers during the switch, a block on each tip comes (a miner of each side).
    const during = await get(`${node.url}/api/info`);
    expect(during.body.tip_hash).toBe(hexOf(a.tip));
    const onOld = node.chain.addBlock(a.mine());
    const onNew = node.chain.addBlock(b.mine());
    expect(unwrap(await switching)).toMatchObject({ status: 'connected', reorgDepth: 10 });
    // The old tip's child only ties the new branch's work: kept aside, the first seen stays.
    expect(unwrap(await onOld)).toMatchObject({ status: 'side' });
    expect(unwrap(await onNew)).toMatchObject({ status: 'connected' });
    expect(node.chain.tip.hashHex).toBe(hexOf(b.tip));
    const info = await get(`${node.url}/api/info`);
    expect({ height: info.body.height, tip: info.body.tip_hash }).toEqual({
      height: b.tip.header.height,
      tip: hexOf(b.tip),
    });
    await stopNode(node);
    temp.remove();
  }, 60_000);
});
