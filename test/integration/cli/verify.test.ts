/**
 * `blockyard wallet verify`: a light client's check of a merkle proof and the headers above its
 * block, against a real node — and against nodes that lie about one hash of the path, one link
 * of the headers, or their tip, which the check must catch (CLI_PROOF_INVALID, exit 5) without
 * trusting the node's word.
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/io.js';
import { bob } from '../../support/chainBuilder.js';
import { closeNodesAfterEach, get, sendFromNode, startNode } from '../../support/http.js';
import { runCli } from './runCli.js';

closeNodesAfterEach();

// biome-ignore lint/suspicious/noExplicitAny: the node's JSON, changed field by field
type Json = any;

describe('blockyard wallet verify', { timeout: 120_000 }, () => {
  it('checks a real proof here, and refuses one a node altered', async () => {
    const node = await startNode();
    expect((await node.miner.mineOnce()).ok).toBe(true);
    const ids: string[] = [];
    for (const amount of [1, 2, 3]) ids.push(await sendFromNode(node, bob.key, amount));
    expect((await get(`${node.url}/api/tx/${ids[0]}/proof`)).status).toBe(404);
    expect((await node.miner.mineOnce()).ok).toBe(true);
    const proof = (await get(`${node.url}/api/tx/${ids[2]}/proof`)).body;
    // Four leaves (the reward and three transfers): two steps up to the root.
    expect(proof).toMatchObject({ height: 2, index: 3, confirmations: 1 });
    expect(proof.path.map((s: { side: string }) => s.side)).toEqual(['left', 'left']);

    const ok = await runCli(['wallet', 'verify', ids[2]!, '--node', node.url, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json).toMatchObject({ id: ids[2], verified: true, height: 2, index: 3 });
    expect(ok.json.checks.map((c: { ok: boolean }) => c.ok)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    const words = await runCli(['wallet', 'verify', ids[2]!, '--node', node.url]);
    expect(words.stdout).toContain(`is in block #2 ${proof.block_hash}`);
    expect(words.stdout).toContain("= the header's merkle root");

    // Liars in front of the real node, each changing one thing of what it answers: the check
    // here catches each, without trusting the node's word.
    const flip = (hex: string) => `${hex.slice(0, 63)}${hex.endsWith('0') ? '1' : '0'}`;
    const lies: Record<string, (url: string, body: Json) => Json> = {
      "merkle path ends at the header's merkle root": (url, body) =>
        url.includes('/proof')
          ? {
              ...body,
              path: body.path.map((s: Json, i: number) =>
                i === 0 ? { ...s, hash: flip(s.hash) } : s,
              ),
            }
          : body,
      'headers above link it to the tip': (url, body) =>
        url.startsWith('/api/p2p/headers')
          ? {
              headers: body.headers.map((h: string, i: number) =>
                i === 0 ? `${h.slice(0, 16)}${'0'.repeat(64)}${h.slice(80)}` : h,
              ),
            }
          : body,
      "the node's tip is on them": (url, body) =>
        url === '/api/info' ? { ...body, tip_hash: flip(body.tip_hash) } : body,
    };
    // Two blocks above the transaction's, so the headers have something to link.
    expect((await node.miner.mineOnce()).ok).toBe(true);
    expect((await node.miner.mineOnce()).ok).toBe(true);
    const deep = await runCli(['wallet', 'verify', ids[2]!, '--node', node.url, '--json']);
    expect(deep.code, deep.stderr).toBe(0);
    expect(deep.json.confirmations).toBe(3);
    for (const [check, lie] of Object.entries(lies)) {
      const liar = createServer(async (req, res) => {
        const real = await fetch(`${node.url}${req.url}`);
        const body = lie(req.url!, await real.json());
        res.writeHead(real.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
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
        expect(refused.code, check).toBe(EXIT.refused);
        expect(refused.json.error.code).toBe('CLI_PROOF_INVALID');
        expect(refused.json.error.message).toContain(check);
      } finally {
        liar.close();
      }
    }
  });
});
