/**
 * What the mempool remembers of transfers that left it unconfirmed (src/mempool/droppedTxs.ts):
 * replaced, evicted, expired, contradicted by a block or by a reorg — and not what a block
 * confirmed or what came back. Then GET /api/tx/:id on a real node answers `dropped` with the
 * reason.
 */
import { describe, expect, it } from 'vitest';
import { COIN, type Transfer, txToJson } from '../../../src/core/index.js';
import { signTransfer } from '../../../src/core/nobleEd25519.js';
import { DroppedTxs, describeDrop } from '../../../src/mempool/droppedTxs.js';
import {
  alice,
  bob,
  ChainBuilder,
  carol,
  easyParams,
  fundedChain,
  miner,
} from '../../support/chainBuilder.js';
import {
  addressOf,
  closeNodesAfterEach,
  expectError,
  get,
  mine,
  postJson,
  sendFromNode,
  startNode,
} from '../../support/http.js';
import {
  afterGenesis,
  feed,
  type MempoolNode,
  openMempoolNode,
  txHex,
  unwrap,
} from '../../support/nodeFixtures.js';

closeNodesAfterEach();

/** Genesis; block 1 pays the miner; block 2 pays alice and bob 10 coins each from it. */

/** Mines the branches: a key none of the parties holds. */
const stranger = new Uint8Array(32).fill(0x5e);

function branchFrom(b: ChainBuilder, height: number, length: number, transfers: Transfer[] = []) {
  const fork = new ChainBuilder();
  for (const block of b.blocks.slice(1, height + 1)) fork.append(block);
  fork.mine({ minerKey: stranger, transfers });
  for (let i = 1; i < length; i++) fork.mine({ minerKey: stranger });
  return fork;
}

/** Each dropped transfer's code, by id. */
const codeOf = (node: MempoolNode, tx: Transfer) => node.mempool.dropped.get(txHex(tx))?.code;

describe('DroppedTxs', () => {
  const record = (idHex: string, droppedAtMs = 0) => ({
    tx: fundedChain().transfer(alice, bob, 1n),
    idHex,
    code: 'MEMPOOL_EVICTED',
    message: 'm',
    droppedAtMs,
  });

  it('keeps at most maxEntries, forgetting the oldest first', () => {
    const dropped = new DroppedTxs(3);
    for (const id of ['a', 'b', 'c', 'd']) dropped.record(record(id));
    expect(dropped.size).toBe(3);
    expect(dropped.get('a')).toBeUndefined();
    expect(dropped.get('d')?.idHex).toBe('d');
  });

  it('makes a record dropped again the newest, and forgets on request', () => {
    const dropped = new DroppedTxs(2);
    dropped.record(record('a'));
    dropped.record(record('b'));
    dropped.record(record('a', 5));
    dropped.record(record('c'));
    expect([dropped.get('a')?.droppedAtMs, dropped.get('b')]).toEqual([5, undefined]);
    dropped.forget('a');
    expect(dropped.size).toBe(1);
  });

  it('names each reason with a stable code and a message that says what to do', () => {
    expect(describeDrop('REPLACED', { replacedBy: 'ab12' })).toMatchObject({
      code: 'MEMPOOL_REPLACED',
      message: expect.stringContaining('ab12'),
    });
    expect(describeDrop('EVICTED').code).toBe('MEMPOOL_EVICTED');
    expect(describeDrop('EXPIRED', { maxAgeMs: 86_400_000 }).message).toContain('24 h');
    expect(describeDrop('TX_INSUFFICIENT_FUNDS', { detail: 'can spend 5' }).message).toContain(
      'can spend 5',
    );
    expect(describeDrop('TX_BAD_SIGNATURE').code).toBe('TX_BAD_SIGNATURE');
  });
});

describe('the mempool records what leaves it unconfirmed', () => {
  it('a transfer replaced by a higher fee, naming the replacement', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const first = b.transfer(alice, bob, 1n * COIN, { fee: 1000n });
    const better = b.transfer(alice, carol, 1n * COIN, { fee: 5000n });
    unwrap(await node.mempool.add(first));
    unwrap(await node.mempool.add(better));
    const record = node.mempool.dropped.get(txHex(first));
    expect(record).toMatchObject({ tx: first, code: 'MEMPOOL_REPLACED' });
    expect(record?.message).toContain(txHex(better));
    expect(node.mempool.dropped.size).toBe(1);
  });

  it('a transfer evicted from a full mempool', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b), { maxCount: 1 });
    const cheap = b.transfer(alice, bob, 1n, { fee: 1000n });
    unwrap(await node.mempool.add(cheap));
    unwrap(await node.mempool.add(b.transfer(bob, alice, 1n, { fee: 2000n })));
    expect(codeOf(node, cheap)).toBe('MEMPOOL_EVICTED');
  });

  it('an expired transfer and its successor; and forgets one that comes back', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b), { maxAgeMs: 1000 });
    const n0 = b.transfer(alice, bob, 1n);
    const n1 = b.transfer(alice, bob, 1n, { nonce: 1n });
    for (const tx of [n0, n1]) unwrap(await node.mempool.add(tx));
    node.clock.nowMs += 1001;
    node.mempool.expire();
    expect([codeOf(node, n0), codeOf(node, n1)]).toEqual(['MEMPOOL_EXPIRED', 'TX_NONCE_TOO_HIGH']);
    expect(node.mempool.dropped.get(txHex(n0))?.droppedAtMs).toBe(node.clock.nowMs);
    unwrap(await node.mempool.add(n0));
    expect(codeOf(node, n0)).toBeUndefined();
  });

  it('not a confirmed transfer; but a pending one a block contradicts', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const mined = b.transfer(bob, carol, 1n);
    const pending = b.transfer(alice, bob, 1n * COIN);
    for (const tx of [mined, pending]) unwrap(await node.mempool.add(tx));
    const conflicting = b.transfer(alice, carol, 2n * COIN);
    await feed(node.chain, [b.mine({ transfers: [mined, conflicting] })]);
    expect(codeOf(node, mined)).toBeUndefined();
    expect(codeOf(node, pending)).toBe('TX_NONCE_TOO_LOW');
    expect(node.mempool.dropped.size).toBe(1);
  });

  it('a transfer a reorg took off the chain that the new branch double-spent', async () => {
    const b = fundedChain();
    const node = await openMempoolNode(afterGenesis(b));
    const inBoth = b.transfer(bob, carol, 1n * COIN);
    const spent = b.transfer(alice, bob, 5n * COIN);
    const returns = b.transfer(miner, carol, 1n * COIN, { nonce: 2n });
    await feed(node.chain, [b.mine({ transfers: [inBoth, spent, returns] })]);
    const doubleSpend = b.transfer(alice, carol, 5n * COIN, { nonce: 0n });
    const fork = branchFrom(b, 2, 2, [inBoth, doubleSpend]);
    await feed(node.chain, afterGenesis(fork).slice(2));
    expect(node.chain.tip.header.height).toBe(4);
    expect(codeOf(node, spent)).toBe('TX_NONCE_TOO_LOW');
    expect(node.mempool.dropped.get(txHex(spent))?.message).toContain('nonce');
    // Confirmed on both branches, or back in the mempool: not dropped.
    expect(codeOf(node, inBoth)).toBeUndefined();
    expect(node.mempool.has(txHex(returns))).toBe(true);
    expect(node.mempool.dropped.size).toBe(1);
  });
});

describe('GET /api/tx/:id on a real node', () => {
  it('answers dropped, with the transaction and the reason, for a replaced transfer', async () => {
    const node = await startNode();
    await mine(node);
    const sentId = await sendFromNode(node, bob.key, 1);
    const replacement = signTransfer(
      {
        type: 'transfer',
        chainId: easyParams.chainId,
        from: node.nodeKey.publicKey,
        to: carol.key,
        amount: COIN,
        fee: 50_000n,
        nonce: 0n,
      },
      node.nodeKey.secretKey,
    );
    expect((await postJson(`${node.url}/api/tx`, txToJson(replacement, easyParams))).status).toBe(
      201,
    );

    const dropped = await get(`${node.url}/api/tx/${sentId}`);
    expect(dropped.status).toBe(200);
    expect(dropped.body).toMatchObject({
      status: 'dropped',
      transaction: { id: sentId, to: addressOf(bob.key), amount: `${COIN}` },
      reason: { code: 'MEMPOOL_REPLACED' },
    });
    expect(dropped.body.reason.message).toContain(txHex(replacement));
    expect(typeof dropped.body.dropped_at_ms).toBe('number');
    expect((await get(`${node.url}/api/tx/${txHex(replacement)}`)).body.status).toBe('pending');

    // Once mined, the replacement is confirmed and the replaced one stays dropped.
    await mine(node);
    expect((await get(`${node.url}/api/tx/${txHex(replacement)}`)).body.status).toBe('confirmed');
    expect((await get(`${node.url}/api/tx/${sentId}`)).body.status).toBe('dropped');
    expectError(await get(`${node.url}/api/tx/${'ab'.repeat(32)}`), 404, 'API_NOT_FOUND');
  });
});
