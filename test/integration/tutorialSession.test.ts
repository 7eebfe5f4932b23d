/**
 * The tutorials' session, typed against a real node on the real tutorial network (16-bit proof
 * of work, as their "0000"): mine twice, send two transactions (JSON and a form), list the
 * pending ones, mine them, read the chain. Then a wallet the node paid signs its own transfers
 * and sends them both ways (the tutorial route and /api/tx), and they are mined too.
 */
import { describe, expect, it } from 'vitest';
import { COIN, type Transfer, tutorialParams, txToJson } from '../../src/core/index.js';
import { signTransfer } from '../../src/core/nobleEd25519.js';
import { alice, bob, carol } from '../support/chainBuilder.js';
import {
  addressOf,
  type Body,
  closeNodesAfterEach,
  get,
  mine,
  postForm,
  postJson,
  startFundedNode,
  startNode,
} from '../support/http.js';

closeNodesAfterEach();

const params = tutorialParams;
const address = (key: Uint8Array) => addressOf(key, params);

describe('the tutorial session', () => {
  it('mines, takes transactions as JSON and as a form, and shows them in the chain', async () => {
    const node = await startNode({ params });
    const { url } = node;
    const nodeAddress = node.nodeKey.address;

    for (const index of [2, 3]) {
      const mined = await get(`${url}/mine`);
      expect(mined.status).toBe(200);
      expect(mined.body).toMatchObject({ message: 'New Block Forged', index });
      expect(mined.body.transactions).toEqual([
        expect.objectContaining({ sender: '0', recipient: nodeAddress, amount: 50 }),
      ]);
      // The nonce: a JSON number while it is exact in one, else its decimal string.
      expect(String(mined.body.proof)).toMatch(/^\d+$/);
      expect(mined.body.previous_hash).toMatch(/^[0-9a-f]{64}$/);
    }

    const asJson = await postJson(`${url}/transactions/new`, {
      sender: nodeAddress,
      recipient: address(alice.key),
      amount: 5,
    });
    expect(asJson.status).toBe(201);
    expect(asJson.body.message).toBe('Transaction will be added to Block 4');
    expect(asJson.body.index).toBe(4);

    const asForm = await postForm(`${url}/transactions/new`, {
      sender: nodeAddress,
      recipient: address(bob.key),
      amount: '2.5',
    });
    expect(asForm.status).toBe(201);
    expect(asForm.body.message).toBe('Transaction will be added to Block 4');

    const pending = await get(`${url}/transactions/get`);
    expect(pending.status).toBe(200);
    expect(pending.body.transactions).toEqual([
      expect.objectContaining({ id: asJson.body.id, sender: nodeAddress, amount: 5 }),
      expect.objectContaining({ id: asForm.body.id, sender: nodeAddress, amount: 2.5 }),
    ]);

    const third = await get(`${url}/mine`);
    expect(third.status).toBe(200);
    expect(third.body.index).toBe(4);
    expect((await get(`${url}/transactions/get`)).body.transactions).toEqual([]);

    const { status, body } = await get(`${url}/chain`);
    expect(status).toBe(200);
    expect(body.length).toBe(4);
    expect(body.chain).toHaveLength(4);
    expect(body.chain.map((b: Body) => b.index)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < body.chain.length; i++) {
      expect(body.chain[i].previous_hash).toBe(body.chain[i - 1].hash);
    }
    for (const block of body.chain) {
      // The reward comes first and, as in the tutorials, is sent by "0".
      expect(block.transactions[0]).toMatchObject({ sender: '0', type: 'coinbase' });
      expect(block.transactions.slice(1).every((tx: Body) => tx.sender !== '0')).toBe(true);
    }
    const block4 = body.chain[3];
    expect(block4.hash).toBe(third.body.hash);
    expect(block4.transactions.map((tx: Body) => tx.id)).toEqual([
      block4.transactions[0].id,
      asJson.body.id,
      asForm.body.id,
    ]);
    expect(block4.transactions[1]).toMatchObject({ recipient: address(alice.key), amount: 5 });
    expect(block4.transactions[2]).toMatchObject({ recipient: address(bob.key), amount: 2.5 });

    const info = (await get(`${url}/api/info`)).body;
    expect(info).toMatchObject({ network: 'tutorial', height: 3, tip_hash: block4.hash });
  });

  it('takes many transactions sent at once, each with the next nonce, as impatient clicks do', async () => {
    const node = await startNode({ params });
    const { url } = node;
    await mine(node);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        postJson(`${url}/transactions/new`, {
          sender: node.nodeKey.address,
          recipient: address(alice.key),
          amount: 1,
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    const nonces = answers.map((a) => a.body.transaction.nonce).sort((a, b) => a - b);
    expect(nonces).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const mined = await get(`${url}/mine`);
    expect(mined.body.transactions).toHaveLength(11);
    expect((await get(`${url}/api/address/${address(alice.key)}`)).body.balance).toBe(
      `${10n * COIN}`,
    );
  });

  it('accepts transfers a funded wallet signs, on the tutorial route and on /api/tx, and mines them', async () => {
    const node = await startFundedNode(alice.key, 10, { params });
    const { url } = node;

    const fromAlice = (nonce: bigint): Transfer =>
      signTransfer(
        {
          type: 'transfer',
          chainId: params.chainId,
          from: alice.key,
          to: carol.key,
          amount: 2n * COIN,
          fee: 1_000n,
          nonce,
        },
        alice.secret,
      );

    const viaTutorial = await postJson(`${url}/transactions/new`, txToJson(fromAlice(0n), params));
    expect(viaTutorial.status).toBe(201);
    expect(viaTutorial.body.message).toBe('Transaction will be added to Block 4');
    expect(viaTutorial.body.transaction).toMatchObject({
      sender: address(alice.key),
      recipient: address(carol.key),
      amount: 2,
    });

    const viaApi = await postJson(`${url}/api/tx`, txToJson(fromAlice(1n), params));
    expect(viaApi.status).toBe(201);
    expect(viaApi.body).toMatchObject({ status: 'pending' });

    const mined = await get(`${url}/mine`);
    expect(mined.status).toBe(200);
    expect(mined.body.index).toBe(4);
    expect(mined.body.transactions.map((tx: Body) => tx.id).slice(1)).toEqual([
      viaTutorial.body.id,
      viaApi.body.id,
    ]);
    // Fees go to the miner: the coinbase pays the subsidy plus both of them.
    expect(mined.body.transactions[0].amount_units).toBe(`${50n * COIN + 2_000n}`);

    const aliceNow = (await get(`${url}/api/address/${address(alice.key)}`)).body;
    expect(aliceNow).toMatchObject({
      balance: `${10n * COIN - 4n * COIN - 2_000n}`,
      nonce: '2',
      next_nonce: '2',
      pending: 0,
    });
    expect((await get(`${url}/api/address/${address(carol.key)}`)).body.balance).toBe(
      `${4n * COIN}`,
    );
    const confirmed = await get(`${url}/api/tx/${viaApi.body.id}`);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', height: 3, index: 2 });
  });
});
