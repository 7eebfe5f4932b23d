/**
 * GET /api/search: the explorer's one request per query. It names what the text is on this node
 * — a block by height or hash (on any branch), a transaction (pending, confirmed or dropped), an
 * address — and answers 200 with a `problem` in words when it is nothing.
 */
import { describe, expect, it } from 'vitest';
import { encodeBlock, hashHeader, toHex } from '../../src/core/index.js';
import { blockWithPrefix } from '../support/blockWithPrefix.js';
import { bob } from '../support/chainBuilder.js';
import {
  addressOf,
  closeNodesAfterEach,
  expectError,
  get,
  postJson,
  sendFromNode,
  startNode,
} from '../support/http.js';

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

    const id = await sendFromNode(node, bob.key, 1);
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

  it('finds a block or transaction by a unique prefix, and lists the candidates of a shared one', async () => {
    const node = await startNode();
    // Two rival blocks at height 1 whose hashes both start with "5eed" (ground for it; a hash under the easy target starts below 8).
    const genesis = node.chain.getBlock(node.chain.main[0]!);
    const [first, second] = [0, 1].map((i) => blockWithPrefix(genesis, '5eed', i));
    for (const block of [first!, second!]) {
      const posted = await postJson(`${node.url}/api/blocks`, { hex: toHex(encodeBlock(block)) });
      expect(posted.status).toBe(200);
    }
    const [a, b] = [first!, second!].map((block) => toHex(hashHeader(block.header)));
    const ambiguous = await get(`${node.url}/api/search?q=5EED`);
    expectError(ambiguous, 409, 'API_AMBIGUOUS_PREFIX');
    expect(ambiguous.body.error.message).toContain(`block ${a} (height 1)`);
    expect(ambiguous.body.error.message).toContain(`block ${b} (height 1)`);
    // The dashboard asks for the candidates as a plain answer (a browser logs every 4xx).
    const listed = await get(`${node.url}/api/search?q=5eed&ambiguous=list`);
    expect(listed.status).toBe(200);
    expect(listed.body.found.map((f: { hash: string }) => f.hash).sort()).toEqual([a, b].sort());
    expect(listed.body.problem).toContain('Give more characters');
    expectError(await get(`${node.url}/api/search?q=5eed&ambiguous=yes`), 400, 'API_BAD_REQUEST');

    // Eight characters, as the dashboard shows them, name each one alone.
    const unique = (hash: string, other: string) => {
      let n = 5;
      while (other.startsWith(hash.slice(0, n))) n++;
      return hash.slice(0, Math.max(n, 8));
    };
    const found = await get(`${node.url}/api/search?q=${unique(a!, b!)}`);
    expect(found.status).toBe(200);
    expect(found.body.found).toEqual([
      { kind: 'block', hash: a, height: 1, main_chain: node.chain.tip.hashHex === a },
    ]);
    // A transaction: pending, then confirmed, by its first 8 characters.
    expect((await node.miner.mineOnce()).ok).toBe(true);
    const id = await sendFromNode(node, bob.key, 1);
    const byShort = async () => (await get(`${node.url}/api/search?q=${id.slice(0, 8)}`)).body;
    expect((await byShort()).found).toEqual([{ kind: 'tx', id, status: 'pending' }]);
    expect((await node.miner.mineOnce()).ok).toBe(true);
    expect((await byShort()).found).toEqual([{ kind: 'tx', id, status: 'confirmed' }]);
    const none = await get(`${node.url}/api/search?q=${'0'.repeat(12)}a`);
    expect(none.status).toBe(200);
    expect(none.body.problem).toMatch(/no block or transaction starts with/);
  });
});
