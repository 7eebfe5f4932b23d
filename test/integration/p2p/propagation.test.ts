/**
 * Five real nodes wired in a line (each registers the one before it): a block mined at one end
 * reaches the other end by announcements alone, and a transfer submitted to one node is mined
 * by another. The sync timer is a minute long, so nothing here is carried by the timer.
 */
import { describe, expect, it } from 'vitest';
import { signTransfer } from '../../../src/core/nobleEd25519.js';
import { bob, easyParams } from '../../support/chainBuilder.js';
import { addressOf, closeNodesAfterEach, get } from '../../support/http.js';
import {
  balanceOf,
  mine,
  startP2pNodes,
  submitTx,
  waitForAll,
  waitForMempool,
  wireLine,
} from '../../support/p2p.js';

closeNodesAfterEach();

describe('propagation across five nodes', () => {
  it('registers both ways along a line', async () => {
    const nodes = await startP2pNodes(5);
    await wireLine(nodes);
    const known = async (i: number) => (await get(`${nodes[i]!.url}/nodes/get`)).body.nodes.sort();
    expect(await known(0)).toEqual([nodes[1]!.url]);
    for (let i = 1; i < 4; i++)
      expect(await known(i)).toEqual([nodes[i - 1]!.url, nodes[i + 1]!.url].sort());
    expect(await known(4)).toEqual([nodes[3]!.url]);
  });

  it('carries a block mined at one end to every node', async () => {
    const nodes = await startP2pNodes(5);
    await wireLine(nodes);
    const first = await mine(nodes[0]!);
    await waitForAll(nodes, first.hash);
    // And back the other way, from the far end.
    const second = await mine(nodes[4]!);
    await waitForAll(nodes, second.hash);
    for (const node of nodes) expect(node.chain.tip.header.height).toBe(2);
  });

  it('has a transfer submitted to one node mined by another', async () => {
    const nodes = await startP2pNodes(5);
    await wireLine(nodes);
    const [a, , , , e] = nodes as [(typeof nodes)[0], ...typeof nodes];
    const funding = await mine(a);
    await waitForAll(nodes, funding.hash);

    const transfer = signTransfer(
      {
        type: 'transfer',
        chainId: easyParams.chainId,
        from: a.nodeKey.publicKey,
        to: bob.key,
        amount: 12_345n,
        fee: 1_000n,
        nonce: 0n,
      },
      a.nodeKey.secretKey,
    );
    const id = await submitTx(a, transfer);
    await Promise.all(nodes.map((node) => waitForMempool(node, id)));

    const block = await mine(e!);
    expect(block.transactions.map((tx: { id: string }) => tx.id)).toContain(id);
    await waitForAll(nodes, block.hash);
    for (const node of nodes) {
      expect(node.mempool.size).toBe(0);
      expect(await balanceOf(node, bob.key)).toBe(12_345n);
    }
    const tx = (await get(`${a.url}/api/tx/${id}`)).body;
    expect(tx).toMatchObject({ status: 'confirmed', height: 2 });
    expect(tx.transaction.to).toBe(addressOf(bob.key));
  });
});
