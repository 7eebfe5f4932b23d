/**
 * The mempool following the chain: blocks remove what they confirm or contradict, a reorg puts
 * the undone blocks' transfers back (unless the new branch confirmed or invalidated them), the
 * selection for a block is valid, and signatures the mempool verified are not verified again.
 */
import { describe, expect, it } from 'vitest';
import { COIN, decodeBlock, encodeBlock, type Transfer, toHex } from '../../../src/core/index.js';
import { alice, bob, ChainBuilder, carol, fundedChain, miner } from '../../support/chainBuilder.js';
import {
  afterGenesis,
  feed,
  hexOf,
  type MempoolNode,
  openMempoolNode,
  recordRemovals,
  txHex,
  unwrap,
} from '../../support/nodeFixtures.js';

/** Genesis; block 1 pays the miner; block 2 pays alice and bob 10 coins each from it. */

/** Mines the branches: a key none of the parties holds, so they gain nothing from them. */
const stranger = new Uint8Array(32).fill(0x5e);

/** A branch from `b`'s block `height`, `length` blocks long, with `transfers` in its first. */
function branchFrom(
  b: ChainBuilder,
  height: number,
  length: number,
  transfers: readonly Transfer[] = [],
): ChainBuilder {
  const fork = new ChainBuilder();
  for (const block of b.blocks.slice(1, height + 1)) fork.append(block);
  fork.mine({ minerKey: stranger, transfers });
  for (let i = 1; i < length; i++) fork.mine({ minerKey: stranger });
  return fork;
}

const pendingIds = (node: MempoolNode) => node.mempool.entries().map((e) => e.idHex);
const aliceHex = toHex(alice.key);

describe('a connected block', () => {
  it('removes the transfers it confirms and keeps the sender’s later ones', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const removed = recordRemovals(node.mempool);
    const n0 = b.transfer(alice, bob, 1n * COIN);
    const n1 = b.transfer(alice, bob, 1n * COIN, { nonce: 1n });
    for (const tx of [n0, n1]) unwrap(await node.mempool.add(tx));
    await feed(node.chain, [b.mine({ transfers: [n0] })]);
    expect(removed).toEqual([[txHex(n0), 'CONFIRMED']]);
    expect(pendingIds(node)).toEqual([txHex(n1)]);
    expect(node.mempool.nextNonce(aliceHex)).toBe(2n);
  });

  it('drops pending transfers it contradicts: same sender and nonce, or no money left', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const removed = recordRemovals(node.mempool);
    const n0 = b.transfer(alice, bob, 1n * COIN);
    const n1 = b.transfer(alice, bob, 2n * COIN, { nonce: 1n });
    const other = b.transfer(bob, carol, 1n);
    for (const tx of [n0, n1, other]) unwrap(await node.mempool.add(tx));
    // Another transfer with alice's nonce 0, spending almost all she has.
    const conflicting = b.transfer(alice, carol, 9n * COIN);
    await feed(node.chain, [b.mine({ transfers: [conflicting] })]);
    expect(removed).toEqual([
      [txHex(n0), 'TX_NONCE_TOO_LOW'],
      [txHex(n1), 'TX_INSUFFICIENT_FUNDS'],
    ]);
    expect(pendingIds(node)).toEqual([txHex(other)]);
  });
});

describe('after a reorg', () => {
  it('puts the undone blocks’ transfers back in nonce order, before pending ones', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const t0 = b.transfer(alice, bob, 1n * COIN);
    const t1 = b.transfer(alice, bob, 1n * COIN, { nonce: 1n });
    const m2 = b.transfer(miner, carol, 1n * COIN, { nonce: 2n });
    await feed(node.chain, [b.mine({ transfers: [t0, m2] }), b.mine({ transfers: [t1] })]);
    const t2 = b.transfer(alice, bob, 1n * COIN);
    unwrap(await node.mempool.add(t2));
    expect(t2.nonce).toBe(2n);

    const fork = branchFrom(b, 2, 3);
    await feed(node.chain, afterGenesis(fork));
    expect(node.chain.tip.hashHex).toBe(hexOf(fork.tip));
    expect(node.mempool.pendingOf(aliceHex).map((e) => e.idHex)).toEqual([t0, t1, t2].map(txHex));
    expect(node.mempool.has(txHex(m2))).toBe(true);
    expect(node.mempool.nextNonce(aliceHex)).toBe(3n);
    // And what it holds can be mined on the new tip.
    const selection = node.mempool.selectForBlock();
    expect(selection.txs.map(txHex).sort()).toEqual([t0, t1, t2, m2].map(txHex).sort());
    unwrap(await node.chain.addBlock(fork.mine({ transfers: selection.txs })));
    expect(node.mempool.size).toBe(0);
  });

  it("keeps a returned transfer in memory of its own, not as views into its block's bytes", async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const t0 = b.transfer(alice, bob, 1n * COIN);
    const mined = b.mine({ transfers: [t0] });
    // As a sync decodes a block (fetchBatch.ts decodeExpected): fields are views into its bytes.
    const bytes = encodeBlock(mined);
    const synced = decodeBlock(bytes, { views: true });
    if (!synced.ok) throw new Error(synced.detail);
    expect((synced.value.txs[1] as Transfer).from.buffer).toBe(bytes.buffer);
    unwrap(await node.chain.addBlock(synced.value, { bytes }));
    await feed(node.chain, afterGenesis(branchFrom(b, 2, 2)).slice(2));
    const [entry] = node.mempool.pendingOf(aliceHex);
    expect(entry?.idHex).toBe(txHex(t0));
    const { from, to, signature } = entry!.tx;
    expect([from, to, signature].map((f) => f.buffer.byteLength)).toEqual([32, 32, 64]);
    expect(entry!.tx).toEqual(t0);
  });

  it("records a transfer the reorg dropped in memory of its own, not as views into its block's bytes", async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const spent = b.transfer(alice, bob, 5n * COIN);
    // As a sync decodes a block (fetchBatch.ts decodeExpected): fields are views into its bytes.
    const bytes = encodeBlock(b.mine({ transfers: [spent] }));
    const synced = decodeBlock(bytes, { views: true });
    if (!synced.ok) throw new Error(synced.detail);
    unwrap(await node.chain.addBlock(synced.value, { bytes }));
    // The new branch spends alice's nonce 0 elsewhere: the returned transfer is dropped.
    const doubleSpend = b.transfer(alice, carol, 5n * COIN, { nonce: 0n });
    await feed(node.chain, afterGenesis(branchFrom(b, 2, 2, [doubleSpend])).slice(2));
    const record = node.mempool.dropped.get(txHex(spent));
    expect(record?.code).toBe('TX_NONCE_TOO_LOW');
    const { from, to, signature } = record!.tx as Transfer;
    expect([from, to, signature].map((f) => f.buffer.byteLength)).toEqual([32, 32, 64]);
    expect(record!.tx).toEqual(spent);
  });

  it('leaves out what the new branch confirmed or double-spent', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const confirmedBoth = b.transfer(bob, carol, 1n * COIN);
    const spent = b.transfer(alice, bob, 5n * COIN);
    await feed(node.chain, [b.mine({ transfers: [confirmedBoth, spent] })]);
    // The branch has bob's transfer too, and alice's nonce 0 spent elsewhere.
    const doubleSpend = b.transfer(alice, carol, 5n * COIN, { nonce: 0n });
    const fork = branchFrom(b, 2, 2, [confirmedBoth, doubleSpend]);
    await feed(node.chain, afterGenesis(fork).slice(2));
    expect(node.chain.tip.header.height).toBe(4);
    expect(node.mempool.size).toBe(0);
  });

  it('leaves out transfers paid with money the undone blocks brought', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const toCarol = b.transfer(miner, carol, 5n * COIN, { nonce: 2n });
    await feed(node.chain, [b.mine({ transfers: [toCarol] })]);
    const fromCarol = b.transfer(carol, bob, 1n * COIN);
    await feed(node.chain, [b.mine({ transfers: [fromCarol] })]);
    const fork = branchFrom(b, 2, 3);
    await feed(node.chain, afterGenesis(fork).slice(2));
    // The miner can pay carol again; carol has nothing confirmed, so hers waits outside.
    expect(pendingIds(node)).toEqual([txHex(toCarol)]);
  });

  it('drops pending transfers the undone blocks were paying for', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const removed = recordRemovals(node.mempool);
    const more = b.transfer(miner, alice, 5n * COIN, { nonce: 2n });
    await feed(node.chain, [b.mine({ transfers: [more] })]);
    // alice now holds 15 coins and has 12 of them pending.
    const big = b.transfer(alice, bob, 12n * COIN);
    unwrap(await node.mempool.add(big));
    const fork = branchFrom(b, 2, 2);
    await feed(node.chain, afterGenesis(fork).slice(2));
    expect(node.mempool.has(txHex(big))).toBe(false);
    expect(removed).toContainEqual([txHex(big), 'TX_INSUFFICIENT_FUNDS']);
    expect(pendingIds(node)).toEqual([txHex(more)]);
  });

  it('keeps a pending transfer whose predecessor the new branch has not confirmed yet', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const removed = recordRemovals(node.mempool);
    const n0 = b.transfer(alice, bob, 1n * COIN);
    const n1 = b.transfer(alice, bob, 1n * COIN, { nonce: 1n });
    await feed(node.chain, [b.mine({ transfers: [n0, n1] })]);
    const n2 = b.transfer(alice, bob, 1n * COIN);
    unwrap(await node.mempool.add(n2));
    const added: string[] = [];
    node.mempool.on('added', (entry) => added.push(entry.idHex));
    // The branch confirms n0 only: n1 comes back, and n2 must stay behind it.
    const fork = branchFrom(b, 2, 2, [n0]);
    await feed(node.chain, afterGenesis(fork).slice(2));
    expect(node.mempool.pendingOf(aliceHex).map((e) => e.idHex)).toEqual([n1, n2].map(txHex));
    // Only n1 is new to the mempool: n2 never left it.
    expect(added).toEqual([txHex(n1)]);
    expect(removed).toEqual([]);
  });

  it('after a reorg that failed and came back, holds what it held before', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const n0 = b.transfer(alice, bob, 1n * COIN);
    const n1 = b.transfer(alice, bob, 1n * COIN, { nonce: 1n });
    for (const tx of [n0, n1]) unwrap(await node.mempool.add(tx));
    await feed(node.chain, [b.mine(), b.mine()]);
    // A heavier branch whose first block confirms n0 and whose third overspends.
    const fork = branchFrom(b, 2, 2, [n0]);
    const bad = fork.next({ transfers: [fork.transfer(alice, bob, 100n * COIN)] });
    const [f3, f4] = afterGenesis(fork).slice(2);
    await feed(node.chain, [f3!, f4!]);
    expect(await node.chain.addBlock(bad)).toMatchObject({ ok: false });
    expect(node.chain.tip.hashHex).toBe(hexOf(b.tip));
    expect(pendingIds(node).sort()).toEqual([n0, n1].map(txHex).sort());
    expect(node.mempool.pendingOf(aliceHex).map((e) => e.tx.nonce)).toEqual([0n, 1n]);
  });
});

describe('with the chain', () => {
  it('selects a valid block: fee order, nonce order per sender', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const txs = [
      b.transfer(alice, bob, 1n * COIN, { fee: 100n }),
      b.transfer(alice, carol, 1n * COIN, { nonce: 1n, fee: 9000n }),
      b.transfer(bob, carol, 1n * COIN, { fee: 5000n }),
      b.transfer(miner, carol, 1n * COIN, { nonce: 2n, fee: 7000n }),
    ];
    for (const tx of txs) unwrap(await node.mempool.add(tx));
    const selection = node.mempool.selectForBlock();
    expect(selection.txs.map(txHex)).toEqual([txs[3]!, txs[2]!, txs[0]!, txs[1]!].map(txHex));
    expect(selection.fees).toBe(21_100n);
    expect(node.mempool.selectForBlock(2).txs).toHaveLength(2);
    const block = b.mine({ transfers: selection.txs });
    expect(unwrap(await node.chain.addBlock(block)).status).toBe('connected');
    expect(node.mempool.size).toBe(0);
  });

  it('skips signatures the mempool verified when connecting a block', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const pooled = [b.transfer(alice, bob, 1n), b.transfer(bob, alice, 1n)];
    for (const tx of pooled) unwrap(await node.mempool.add(tx));
    const before = node.verifier.calls();
    const outsider = b.transfer(miner, carol, 1n, { nonce: 2n });
    unwrap(await node.chain.addBlock(b.mine({ transfers: [...pooled, outsider] })));
    expect(node.verifier.calls() - before).toBe(1);
  });
});
