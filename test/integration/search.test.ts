/**
 * GET /api/search: the explorer's one request per query. It names what the text is on this node
 * — a block by height or hash (on any branch), a transaction (pending, confirmed or dropped), an
 * address — and answers 200 with a `problem` in words when it is nothing.
 */
import { describe, expect, it } from 'vitest';
import { bob } from '../support/chainBuilder.js';
import { addressOf, closeNodesAfterEach, get, postJson, startNode } from '../support/http.js';

closeNodesAfterEach();

describe('GET /api/search', () => {
  it('finds blocks, transactions and addresses, and says why when it finds nothing', async () => {
    const node = await startNode();
    await node.miner.mineOnce();
    const search = async (q: string) => {
      const answer = await get(`${node.url}/api/search?q=${encodeURIComponent(q)}`);
      expect(answer.status).toBe(200);
      return answer.body;
    };
    const tip = node.chain.tip;
    expect((await search('1')).found).toEqual([
      { kind: 'block', hash: tip.hashHex, height: 1, main_chain: true },
    ]);
    expect((await search(tip.hashHex.toUpperCase())).found).toEqual([
      { kind: 'block', hash: tip.hashHex, height: 1, main_chain: true },
    ]);

    const sent = await postJson(`${node.url}/transactions/new`, {
      sender: node.nodeKey.address,
      recipient: addressOf(bob.key),
      amount: 1,
    });
    const id: string = sent.body.id;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect((await search(id)).found).toEqual([{ kind: 'tx', id, status: 'pending' }]);
    await node.miner.mineOnce();
    expect((await search(id)).found).toEqual([{ kind: 'tx', id, status: 'confirmed' }]);

    const bobAddress = addressOf(bob.key);
    expect((await search(` ${bobAddress.toUpperCase()} `)).found).toEqual([
      { kind: 'address', address: bobAddress },
    ]);

    for (const [q, problem] of [
      ['99', /no block at height 99; the tip is 2/],
      ['ab'.repeat(32), /no block or transaction with that hash/],
      [`${bobAddress.slice(0, -1)}${bobAddress.endsWith('q') ? 'p' : 'q'}`, /checksum/],
      ['hello', /search for a block height/],
    ] as const) {
      const answer = await search(q);
      expect(answer.found).toEqual([]);
      expect(answer.problem).toMatch(problem);
    }
  });
});
