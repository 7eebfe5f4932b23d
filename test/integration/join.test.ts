/**
 * Joining a class: where the node can be reached and what a student types (GET /api/join), and
 * the faucet that pays a new wallet from the node's own coins — once per address and per
 * computer an hour, never more than the node holds, and off when the operator says so.
 */
import { describe, expect, it } from 'vitest';
import { COIN } from '../../src/core/index.js';
import { createInlineNonceSearch } from '../../src/miner/inlineNonceSearch.js';
import { joinInfo } from '../../src/node/joinInfo.js';
import { DEFAULT_FEE_UNITS } from '../../src/wallet/fee.js';
import { alice, bob } from '../support/chainBuilder.js';
import {
  addressOf,
  closeNodesAfterEach,
  expectError,
  get,
  postJson,
  startNode,
} from '../support/http.js';
import { balanceOf, mine } from '../support/p2p.js';

closeNodesAfterEach();

describe('how to join', () => {
  it('lists every non-loopback IPv4 address when listening on all, and the command', () => {
    const interfaces = {
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
      eth0: [
        { address: '192.168.1.10', family: 'IPv4', internal: false },
        { address: 'fe80::1', family: 'IPv6', internal: false },
      ],
      wlan0: [{ address: '10.0.0.7', family: 'IPv4', internal: false }],
      // biome-ignore lint/suspicious/noExplicitAny: only the fields joinInfo reads
    } as any;
    expect(joinInfo('0.0.0.0', 5000, interfaces)).toEqual({
      host: '0.0.0.0',
      port: 5000,
      urls: ['http://192.168.1.10:5000', 'http://10.0.0.7:5000'],
      command: 'node bin/blockyard.js node --host 0.0.0.0 --peers http://192.168.1.10:5000',
      problem: undefined,
    });
    expect(joinInfo('192.168.1.10', 5001, interfaces).urls).toEqual(['http://192.168.1.10:5001']);
  });

  it('on loopback, says nobody can join and how to change that', async () => {
    const node = await startNode();
    const join = await get(`${node.url}/api/join`);
    expect(join.status).toBe(200);
    expect(join.body).toMatchObject({ urls: [], dashboard_url: null, command: null });
    expect(join.body.problem).toMatch(/--host 0\.0\.0\.0/);
    expect(join.body.faucet).toMatchObject({ available: false, enabled: false });
  });
});

describe('the faucet', () => {
  it('pays once per address and per computer, only what the node holds, and can be turned off', async () => {
    const node = await startNode({ faucetUnits: 5n * COIN, search: createInlineNonceSearch() });
    const aliceAddress = addressOf(alice.key);
    // Nothing mined yet: the node's own address has nothing to give.
    expectError(
      await postJson(`${node.url}/api/faucet`, { address: aliceAddress }),
      503,
      'FAUCET_EMPTY',
    );
    await mine(node);

    const paid = await postJson(`${node.url}/api/faucet`, { address: aliceAddress });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ amount: `${5n * COIN}`, amount_coins: '5' });
    expect(node.mempool.has(paid.body.id)).toBe(true);
    // The same address again, or another address from the same computer: not within the hour.
    expectError(
      await postJson(`${node.url}/api/faucet`, { address: aliceAddress }),
      429,
      'FAUCET_LIMIT',
    );
    expectError(
      await postJson(`${node.url}/api/faucet`, { address: addressOf(bob.key) }),
      429,
      'FAUCET_LIMIT',
    );
    expectError(
      await postJson(`${node.url}/api/faucet`, { address: 'tut1nope' }),
      400,
      'ADDRESS_MALFORMED',
    );

    await mine(node);
    expect(await balanceOf(node, alice.key)).toBe(5n * COIN);

    // The operator turns it off (from this machine; a foreign page may not).
    const foreign = await postJson(
      `${node.url}/api/faucet/config`,
      { enabled: false },
      { origin: 'http://evil.example' },
    );
    expectError(foreign, 401, 'API_UNAUTHORIZED');
    const off = await postJson(`${node.url}/api/faucet/config`, { enabled: false });
    expect(off.body).toMatchObject({ available: true, enabled: false });
    expect((await get(`${node.url}/api/join`)).body.faucet.enabled).toBe(false);
    expectError(
      await postJson(`${node.url}/api/faucet`, { address: aliceAddress }),
      403,
      'FAUCET_OFF',
    );
  });

  it('pays one of two requests sent at once from one computer, and refuses the other', async () => {
    const node = await startNode({ faucetUnits: 5n * COIN, search: createInlineNonceSearch() });
    await mine(node);
    const answers = await Promise.all(
      [alice, bob].map((p) => postJson(`${node.url}/api/faucet`, { address: addressOf(p.key) })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 429]);
    expectError(answers.find((a) => a.status === 429)!, 429, 'FAUCET_LIMIT');
    // The one paid pays the node wallet's default fee, as every other send of the node does.
    const paid = answers.find((a) => a.status === 201)!;
    expect(node.mempool.get(paid.body.id)!.tx.fee).toBe(DEFAULT_FEE_UNITS);
  });
});
