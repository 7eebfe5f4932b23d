/**
 * The live stream, GET /api/events (Server-Sent Events), read as a browser's EventSource would:
 * a `block` event for every block connected, a `tx` event for every transaction accepted, and
 * `miner` events when the miner starts and stops. Every event is awaited; nothing sleeps.
 */
import { describe, expect, it } from 'vitest';
import { COIN, txToJson } from '../../src/core/index.js';
import { signTransfer } from '../../src/core/nobleEd25519.js';
import { bob, easyParams } from '../support/chainBuilder.js';
import {
  addressOf,
  closeNodesAfterEach,
  get,
  postJson,
  readEvents,
  startNode,
  stopNode,
} from '../support/http.js';

closeNodesAfterEach();

async function openStream(url: string) {
  const response = await fetch(`${url}/api/events`, { headers: { accept: 'text/event-stream' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  expect(response.headers.get('access-control-allow-origin')).toBe('*');
  return readEvents(response);
}

describe('GET /api/events', () => {
  it('streams a block event when a block is mined and a tx event when a transfer is accepted', async () => {
    const node = await startNode();
    const events = await openStream(node.url);

    const mined = await get(`${node.url}/mine`);
    expect(mined.status).toBe(200);
    const block = await events.next('block');
    expect(block.data).toMatchObject({ hash: mined.body.hash, height: 1, tx_count: 1 });

    const unsigned = await postJson(`${node.url}/transactions/new`, {
      sender: node.nodeKey.address,
      recipient: addressOf(bob.key),
      amount: 1,
    });
    expect(unsigned.status).toBe(201);
    expect((await events.next('tx')).data).toEqual({ id: unsigned.body.id });

    const signed = signTransfer(
      {
        type: 'transfer',
        chainId: easyParams.chainId,
        from: node.nodeKey.publicKey,
        to: bob.key,
        amount: COIN,
        fee: 5_000n,
        nonce: 1n,
      },
      node.nodeKey.secretKey,
    );
    const sent = await postJson(`${node.url}/api/tx`, txToJson(signed, easyParams));
    expect(sent.status).toBe(201);
    expect((await events.next('tx')).data).toEqual({ id: sent.body.id });

    const second = await get(`${node.url}/mine`);
    expect(await events.next('block')).toMatchObject({
      event: 'block',
      data: { hash: second.body.hash, height: 2, tx_count: 3 },
    });
    await events.close();
  });

  it('gives every open stream the same events, and miner events on start and stop', async () => {
    const node = await startNode({ minerIntervalMs: 0 });
    const first = await openStream(node.url);
    const second = await openStream(node.url);

    expect((await postJson(`${node.url}/api/miner/start`, {})).status).toBe(200);
    expect((await first.next('miner')).data).toMatchObject({ running: true });
    const [a, b] = await Promise.all([first.next('block'), second.next('block')]);
    expect(a.data.hash).toBe(b.data.hash);
    expect((await postJson(`${node.url}/api/miner/stop`, {})).status).toBe(200);
    expect((await second.next('miner')).data).toMatchObject({ running: false });
    await Promise.all([first.close(), second.close()]);
  });

  it('ends open streams when the node closes, so closing does not wait for the clients', async () => {
    const node = await startNode();
    const events = await openStream(node.url);
    await stopNode(node);
    await expect(events.next()).rejects.toThrow(/ended/);
  });
});
