/**
 * The API client (src/api/client.ts) against a real node on 127.0.0.1 port 0, and against tiny
 * HTTP servers that misbehave on purpose: every failure is a ClientError with a stable code, the
 * node's own code and status when it answered one, CLIENT_BAD_RESPONSE when something else
 * answered, CLIENT_UNREACHABLE (status 0) when nothing did. A wallet's whole round trip runs
 * through it too: mine to an account, read it, sign with src/wallet, submit, find it pending.
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, ClientError, createClient } from '../../src/api/client.js';
import { httpStatus } from '../../src/api/httpStatus.js';
import { COIN_DECIMALS, type ErrorCode } from '../../src/core/index.js';
import { accountAddress, accountsOf, createTransfer } from '../../src/wallet/index.js';
import { easyParams } from '../support/chainBuilder.js';
import { closeNodesAfterEach, startNode } from '../support/http.js';

closeNodesAfterEach();

const account = accountsOf(
  'legal winner thank year wave sausage worth useful legal winner thank yellow',
);
const [alice, bob] = [account(0), account(1)];
const aliceAddress = accountAddress(alice, easyParams.addressPrefix);
const bobAddress = accountAddress(bob, easyParams.addressPrefix);

const servers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

/** A plain HTTP server on 127.0.0.1 port 0, closed after the test (open connections too). */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${port}`;
}

/** The ClientError a call rejects with (fails the test if it resolves or throws anything else). */
async function clientError(call: Promise<unknown>): Promise<ClientError> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected a ClientError, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientError);
  return error as ClientError;
}

describe('the client against a node', () => {
  it('reads /api/info, with the fields a wallet needs', async () => {
    const node = await startNode();
    const info = await createClient({ baseUrl: `${node.url}/` }).info();
    expect(info).toMatchObject({
      network: easyParams.name,
      chain_id: easyParams.chainId,
      address_prefix: easyParams.addressPrefix,
      coin_decimals: COIN_DECIMALS,
      coinbase_maturity: easyParams.coinbaseMaturity,
      height: 0,
      node_address: node.nodeKey.address,
    });
  });

  it("passes on the node's error code and status", async () => {
    const node = await startNode();
    const client = createClient({ baseUrl: node.url });

    const badAddress = await clientError(client.account('tut1bad'));
    expect(badAddress.code).toMatch(/^ADDRESS_/);
    expect(badAddress.status).toBe(400);
    expect(badAddress.message).toContain('tut1bad');

    for (const call of [client.block('ab'.repeat(32)), client.tx('cd'.repeat(32))]) {
      const error = await clientError(call);
      expect(error.status).toBe(404);
      expect(httpStatus[error.code as ErrorCode]).toBe(404);
    }
  });

  it('carries a wallet round trip: mine, read the balance, sign, submit, see it pending', async () => {
    const node = await startNode({ minerAddress: aliceAddress });
    const client = createClient({ baseUrl: node.url });
    const info = await client.info();

    await client.request('minePost');
    const before = await client.account(aliceAddress);
    expect(before).toMatchObject({ address: aliceAddress, balance: 5_000_000_000n, pending: 0 });

    const signed = createTransfer(
      { chainId: info.chain_id, addressPrefix: info.address_prefix },
      {
        secretKey: alice.secretKey,
        to: bobAddress,
        amountCoins: '1.5',
        nonce: BigInt(before.next_nonce),
      },
    );
    if (!signed.ok) throw new Error(`${signed.code}: ${signed.detail}`);
    expect(await client.submitTx(signed.value.json)).toEqual({
      id: signed.value.id,
      status: 'pending',
    });
    expect(await client.tx(signed.value.id)).toMatchObject({
      status: 'pending',
      transaction: { id: signed.value.id, from: aliceAddress, to: bobAddress },
    });
    expect((await client.mempool()).count).toBe(1);
    expect((await client.account(aliceAddress)).pending).toBe(1);

    const again = await clientError(client.submitTx(signed.value.json));
    expect(again.code).toMatch(/^TX_/);
    expect(again.status).toBe(httpStatus[again.code as ErrorCode]);

    const broke = createTransfer(easyParams, {
      secretKey: bob.secretKey,
      to: aliceAddress,
      amountCoins: '1',
      nonce: 0n,
    });
    if (!broke.ok) throw new Error(broke.code);
    const refused = await clientError(client.submitTx(broke.value.json));
    expect({ code: refused.code, status: refused.status }).toEqual({
      code: 'TX_INSUFFICIENT_FUNDS',
      status: httpStatus.TX_INSUFFICIENT_FUNDS,
    });
  });
});

describe('the client when no node answers', () => {
  it('says CLIENT_UNREACHABLE, status 0, for a closed port', async () => {
    const url = await serve(() => {});
    await servers.pop()!(); // closed again: nothing listens on the port now
    const error = await clientError(createClient({ baseUrl: url }).info());
    expect({ code: error.code, status: error.status }).toEqual({
      code: 'CLIENT_UNREACHABLE',
      status: 0,
    });
    expect(error.message).toContain(url);
  });

  it('says CLIENT_UNREACHABLE when the server takes longer than timeoutMs', async () => {
    const url = await serve(() => {}); // reads the request, never answers
    const started = performance.now();
    const error = await clientError(createClient({ baseUrl: url, timeoutMs: 100 }).info());
    expect({ code: error.code, status: error.status }).toEqual({
      code: 'CLIENT_UNREACHABLE',
      status: 0,
    });
    expect(error.message).toContain('no answer in 100 ms');
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('the client when something else answers', () => {
  const answering =
    (status: number, type: string, body: string): RequestListener =>
    (_request, response) => {
      response.writeHead(status, { 'content-type': type }).end(body);
    };

  it.each([
    ['an HTML page', 200, 'text/html', '<!doctype html><title>router</title>'],
    ['an HTML error page', 502, 'text/html', '<h1>Bad Gateway</h1>'],
    ['an empty body', 200, 'application/json', ''],
    ['JSON without an error code', 500, 'application/json', '{"message":"oops"}'],
    ['an error code that is not a string', 400, 'application/json', '{"error":{"code":7}}'],
    ['JSON null', 500, 'application/json', 'null'],
  ])('says CLIENT_BAD_RESPONSE for %s (status %i)', async (_, status, type, body) => {
    const url = await serve(answering(status, type, body));
    const error = await clientError(createClient({ baseUrl: url }).info());
    expect({ code: error.code, status: error.status }).toEqual({
      code: 'CLIENT_BAD_RESPONSE',
      status,
    });
  });

  it("passes on another server's error in the node's shape as it is", async () => {
    const body = '{"error":{"code":"API_UNAUTHORIZED","message":"token please"}}';
    const url = await serve(answering(401, 'application/json', body));
    const error = await clientError(createClient({ baseUrl: url }).request('minePost'));
    expect({ code: error.code, status: error.status, message: error.message }).toEqual({
      code: 'API_UNAUTHORIZED',
      status: 401,
      message: 'token please',
    });
  });

  it('sends the API token, JSON bodies and encoded path segments', async () => {
    const url = await serve((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const echo = {
          method: request.method,
          url: request.url,
          authorization: request.headers.authorization ?? null,
          type: request.headers['content-type'] ?? null,
          body,
        };
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(echo));
      });
    });
    const client: Client = createClient({ baseUrl: url, apiToken: 'secret' });
    expect(await client.request('minerStart')).toEqual({
      method: 'POST',
      url: '/api/miner/start',
      authorization: 'Bearer secret',
      type: 'application/json',
      body: '{}',
    });
    const account = createClient({ baseUrl: url }).request('account', {
      params: { address: 'a/b?c' },
    });
    expect(await account).toMatchObject({
      method: 'GET',
      url: '/api/address/a%2Fb%3Fc',
      authorization: null,
      type: null,
    });
  });
});
