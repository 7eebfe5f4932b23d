/**
 * `blockyard wallet verify`: a light client's check of a merkle proof, against a real node
 * (GET /api/tx/:id/proof) — and against a node that lies about one hash of the path, which the
 * check must catch (CLI_PROOF_INVALID, exit 5) without trusting the node's word.
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/io.js';
import { bob } from '../../support/chainBuilder.js';
import { addressOf, closeNodesAfterEach, get, postJson, startNode } from '../../support/http.js';
import { runCli } from './runCli.js';

closeNodesAfterEach();

describe('blockyard wallet verify', { timeout: 120_000 }, () => {
  it('checks a real proof here, and refuses one a node altered', async () => {
    const node = await startNode();
    expect((await node.miner.mineOnce()).ok).toBe(true);
    const ids: string[] = [];
    for (const amount of [1, 2, 3]) {
      const sent = await postJson(`${node.url}/transactions/new`, {
        sender: node.nodeKey.address,
        recipient: addressOf(bob.key),
        amount,
      });
      expect(sent.status).toBe(201);
      ids.push(sent.body.id);
    }
    expect((await get(`${node.url}/api/tx/${ids[0]}/proof`)).status).toBe(404);
    expect((await node.miner.mineOnce()).ok).toBe(true);
    const proof = (await get(`${node.url}/api/tx/${ids[2]}/proof`)).body;
    // Four leaves (the reward and three transfers): two steps up to the root.
    expect(proof).toMatchObject({ height: 2, index: 3, confirmations: 1 });
    expect(proof.path.map((s: { side: string }) => s.side)).toEqual(['left', 'left']);

    const ok = await runCli(['wallet', 'verify', ids[2]!, '--node', node.url, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json).toMatchObject({ id: ids[2], verified: true, height: 2, index: 3 });
    expect(ok.json.checks.map((c: { ok: boolean }) => c.ok)).toEqual([true, true, true]);
    const words = await runCli(['wallet', 'verify', ids[2]!, '--node', node.url]);
    expect(words.stdout).toContain(`is in block #2 ${proof.block_hash}`);
    expect(words.stdout).toContain("= the header's merkle root");

    // A node that changes one sibling of the path: the check here catches it.
    const liar = createServer((req, res) => {
      const lied = {
        ...proof,
        path: proof.path.map((s: { hash: string }, i: number) =>
          i === 0 ? { ...s, hash: `${s.hash.slice(0, 63)}${s.hash.endsWith('0') ? '1' : '0'}` } : s,
        ),
      };
      res.writeHead(req.url === `/api/tx/${ids[2]}/proof` ? 200 : 404, {
        'content-type': 'application/json',
      });
      res.end(JSON.stringify(lied));
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = liar.address() as { port: number };
      const refused = await runCli([
        'wallet',
        'verify',
        ids[2]!,
        '--node',
        `http://127.0.0.1:${port}`,
        '--json',
      ]);
      expect(refused.code).toBe(EXIT.refused);
      expect(refused.json.error.code).toBe('CLI_PROOF_INVALID');
      expect(refused.json.error.message).toContain("merkle path ends at the header's merkle root");
    } finally {
      liar.close();
    }
  });
});
