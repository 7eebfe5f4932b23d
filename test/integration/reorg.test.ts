/**
 * A reorganisation seen from outside: a node mines a block with a transfer in it, then receives
 * a heavier branch that left that block out. The node must switch, get every balance right, put
 * the dropped transfer back in its mempool, and mine it again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Block,
  encodeAddress,
  encodeBlock,
  encodeTx,
  hashHeader,
  parseAddress,
  toHex,
} from '../../src/core/index.js';
import { signTransfer } from '../../src/core/nobleEd25519.js';
import { type BlockyardNode, createNode } from '../../src/node/createNode.js';
import { blockOn, bob, easyParams, miner } from '../support/chainBuilder.js';

let node: BlockyardNode | undefined;
afterEach(async () => {
  await node?.close();
  node = undefined;
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below
type Body = any;
const json = async (response: Response) => ({
  status: response.status,
  body: (await response.json()) as Body,
});

describe('a reorganisation over HTTP', () => {
  it('switches to the heavier branch, restores balances, and re-mines the dropped transfer', async () => {
    node = await createNode({ params: easyParams, port: 0 });
    const { url, nodeKey } = node;
    const mine = () => fetch(`${url}/mine`).then(json);
    const balance = async (key: Uint8Array) => {
      const address = encodeAddress(key, easyParams.addressPrefix);
      return BigInt((await json(await fetch(`${url}/api/address/${address}`))).body.balance);
    };

    expect((await mine()).status).toBe(200);
    expect((await mine()).status).toBe(200);
    const forkParent = node.chain.getBlock(node.chain.tip);

    const transfer = signTransfer(
      {
        type: 'transfer',
        chainId: easyParams.chainId,
        from: nodeKey.publicKey,
        to: bob.key,
        amount: 7n,
        fee: 3n,
        nonce: 0n,
      },
      nodeKey.secretKey,
    );
    const submitted = await json(
      await fetch(`${url}/api/tx`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ hex: toHex(encodeTx(transfer)) }),
      }),
    );
    expect(submitted.status).toBe(201);
    expect((await mine()).body.transactions).toHaveLength(2);
    expect(await balance(bob.key)).toBe(7n);
    const nodeBalanceBefore = await balance(nodeKey.publicKey);

    // Two rival blocks on block 2 outweigh the node's one: the node must move to them.
    const rival3 = blockOn(forkParent);
    const rival4 = blockOn(rival3);
    const post = (block: Block) =>
      fetch(`${url}/api/blocks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ hex: toHex(encodeBlock(block)) }),
      }).then(json);
    expect((await post(rival3)).body.status).toBe('side');
    const reorg = new Promise<number>((resolve) =>
      node!.chain.once('reorg', ({ depth }) => resolve(depth)),
    );
    expect((await post(rival4)).body.status).toBe('connected');
    expect(await reorg).toBe(1);

    const info = (await json(await fetch(`${url}/api/info`))).body;
    expect(info.height).toBe(4);
    expect(info.tip_hash).toBe(toHex(hashHeader(rival4.header)));
    // Bob's payment and the node's third reward are gone with block 3; the rival miner has two rewards.
    expect(await balance(bob.key)).toBe(0n);
    expect(await balance(miner.key)).toBe(2n * easyParams.initialSubsidy);
    expect(await balance(nodeKey.publicKey)).toBe(2n * easyParams.initialSubsidy);
    expect(nodeBalanceBefore).toBe(3n * easyParams.initialSubsidy - 7n);

    const pending = (await json(await fetch(`${url}/transactions/get`))).body.transactions;
    expect(pending.map((tx: { id: string }) => tx.id)).toEqual([submitted.body.id]);

    const remined = await mine();
    expect(remined.body.index).toBe(6);
    expect(remined.body.transactions.map((tx: { id: string }) => tx.id)).toContain(
      submitted.body.id,
    );
    expect(await balance(bob.key)).toBe(7n);
    const located = (await json(await fetch(`${url}/api/tx/${submitted.body.id}`))).body;
    expect(located).toMatchObject({ status: 'confirmed', height: 5, confirmations: 1 });
    expect(parseAddress(located.transaction.to, easyParams.addressPrefix).ok).toBe(true);
  });
});
