/**
 * `blockyard chain info|block|tx|address` for real: the command in its own process reads a real
 * node's chain, for people and with --json (amounts in coins), and fails with the right exit
 * code on what does not exist, on what is mistyped, and without a node.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAddress } from '../../../src/core/index.js';
import { createInlineNonceSearch } from '../../../src/miner/inlineNonceSearch.js';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import { alice, easyParams } from '../../support/chainBuilder.js';
import { mine, sendFromNode, startNode } from '../../support/http.js';
import { runCli } from './runCli.js';

let node: BlockyardNode;
let transferId: string;
const aliceAddress = encodeAddress(alice.key, easyParams.addressPrefix);
const chain = (args: readonly string[]) =>
  runCli(['chain', ...args], { env: { BLOCKYARD_NODE: node.url } });

beforeAll(async () => {
  node = await startNode({ search: createInlineNonceSearch() });
  await mine(node);
  transferId = await sendFromNode(node, alice.key, 5);
  await mine(node);
});

afterAll(async () => {
  await node?.close();
});

describe('blockyard chain', { timeout: 120_000 }, () => {
  it('info: the node and its tip', async () => {
    const json = await chain(['info', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json).toMatchObject({
      node: node.url,
      network: 'tutorial',
      height: 2,
      tip_hash: node.chain.tip.hashHex,
      node_address: node.nodeKey.address,
    });
    const text = await chain(['info']);
    expect(text.stdout).toMatch(/^ {2}network +tutorial \(chain id 1, addresses tut1…\)$/m);
    expect(text.stdout).toMatch(/^ {2}height +2$/m);
  });

  it('block: the tip by default, or by height or hash; amounts in coins', async () => {
    const tip = await chain(['block', '--json']);
    expect(tip.code, tip.stderr).toBe(0);
    expect(tip.json).toMatchObject({ height: 2, hash: node.chain.tip.hashHex });
    expect(tip.json.transactions).toEqual([
      expect.objectContaining({ type: 'coinbase', to: node.nodeKey.address }),
      expect.objectContaining({
        id: transferId,
        to: aliceAddress,
        amount: '5',
        fee: expect.stringMatching(/^0\.\d{1,8}$/),
      }),
    ]);
    const byHash = await chain(['block', node.chain.tip.hashHex, '--json']);
    expect(byHash.json.height).toBe(2);
    const genesis = await chain(['block', '0']);
    expect(genesis.stdout).toMatch(/^Block 0 {2}[0-9a-f]{64}$/m);
    expect(genesis.stdout).toMatch(/^ {2}0 +coinbase +\(block reward\)/m);
  });

  it('tx: where a transaction is, and how many blocks confirm it', async () => {
    const json = await chain(['tx', transferId, '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json).toMatchObject({
      status: 'confirmed',
      height: 2,
      confirmations: 1,
      transaction: { id: transferId, amount: '5', from: node.nodeKey.address },
    });
    const text = await chain(['tx', transferId]);
    expect(text.stdout).toMatch(/^ {2}status +confirmed: 1 confirmation, block 2 /m);
  });

  it('address: balance, nonce and transactions of any address, no wallet needed', async () => {
    const json = await chain(['address', aliceAddress, '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json).toMatchObject({
      address: aliceAddress,
      balance: '5',
      spendable: '5',
      nonce: '0',
      pending: [],
    });
    expect(json.json.transactions).toEqual([
      expect.objectContaining({ id: transferId, direction: 'in', amount: '5', height: 2 }),
    ]);
    const text = await chain(['address', aliceAddress]);
    expect(text.stdout).toMatch(/^ {2}balance +5$/m);
    expect(text.stdout).toMatch(/^ {2}2 +1 +in +\+5 /m);
  });

  it('fails with its exit code: 5 not found or refused, 2 mistyped, 3 no node', async () => {
    const unknown = await chain(['tx', 'ab'.repeat(32), '--json']);
    expect(unknown.code).toBe(5);
    expect(unknown.json.error.code).toBe('API_NOT_FOUND');
    const tooHigh = await chain(['block', '99']);
    expect(tooHigh.code).toBe(5);
    expect(tooHigh.stderr).toMatch(/\[API_NOT_FOUND\]/);
    const typo = await chain([
      'address',
      `${aliceAddress.slice(0, -1)}${aliceAddress.endsWith('q') ? 'p' : 'q'}`,
      '--json',
    ]);
    expect(typo.code).toBe(5);
    expect(typo.json.error.code).toMatch(/^ADDRESS_/);
    expect((await chain(['block', 'latest'])).code).toBe(2);
    expect((await chain(['tx'])).code).toBe(2);
    expect((await chain(['frob'])).code).toBe(2);

    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const offline = await runCli(['chain', 'info', '--node', `127.0.0.1:${port}`, '--json']);
    expect(offline.code).toBe(3);
    expect(offline.json.error.code).toBe('CLIENT_UNREACHABLE');
  });
});
