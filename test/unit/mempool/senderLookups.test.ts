/**
 * How often admission looks a transfer's sender up in a Map (the sender queues, the account
 * cache): each a hash lookup of a 64-character key, on the main thread, for every transfer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COIN, toHex } from '../../../src/core/index.js';
import { alice, bob, carol, fundedChain } from '../../support/chainBuilder.js';
import { afterGenesis, openMempoolNode, unwrap } from '../../support/nodeFixtures.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('admission of a transfer', () => {
  it('looks its sender up in Maps at most 5 times: queue and account before and after the signature, and the insert', async () => {
    const b = fundedChain();
    const { mempool } = await openMempoolNode(afterGenesis(b));
    // A pending transfer first: the sender has a queue to read.
    unwrap(await mempool.add(b.transfer(alice, bob, 1n * COIN)));
    const senderHex = toHex(alice.key);
    const get = vi.spyOn(Map.prototype, 'get');
    const has = vi.spyOn(Map.prototype, 'has');
    const second = unwrap(await mempool.add(b.transfer(alice, carol, 1n * COIN, { nonce: 1n })));
    const bySender = [...get.mock.calls, ...has.mock.calls].filter(([key]) => key === senderHex);
    get.mockRestore();
    has.mockRestore();
    expect(second.senderHex).toBe(senderHex);
    // PERF: 7 before (withNonce twice, get and totalCost of the queue, and the push; the
    // account's twice): one queue read before the signature's check, one after, one to insert.
    expect(bySender.length).toBeLessThanOrEqual(5);
    expect(mempool.pendingOf(senderHex)).toHaveLength(2);
  });
});
