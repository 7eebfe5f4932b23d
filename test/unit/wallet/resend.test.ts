/**
 * follow() (src/wallet/resend.ts), what both wallets do with a transfer they sent: the node's
 * answer decides, and only a transfer the node does not know (or dropped) is sent again.
 */
import { describe, expect, it } from 'vitest';
import { ClientError, type TxView } from '../../../src/api/client.js';
import type { TransferJson } from '../../../src/core/json.js';
import { follow, type SentTransfer, stillFollowed } from '../../../src/wallet/resend.js';

const sent: SentTransfer = {
  id: 'ab'.repeat(32),
  tx: { type: 'transfer', nonce: '0' } as unknown as TransferJson,
  nodeUrl: 'http://127.0.0.1:1',
  sentAtMs: 0,
};

function client(view: TxView | ClientError, submit: ClientError | 'ok' = 'ok') {
  const submitted: TransferJson[] = [];
  return {
    submitted,
    tx: async () => {
      if (view instanceof ClientError) throw view;
      return view;
    },
    submitTx: async (tx: TransferJson) => {
      submitted.push(tx);
      if (submit instanceof ClientError) throw submit;
      return { id: sent.id };
    },
  };
}

const notFound = new ClientError('API_NOT_FOUND', 'no transaction', 404);

describe('follow', () => {
  it('leaves a pending or confirmed transfer alone', async () => {
    const pending = client({ status: 'pending', transaction: {} as never });
    expect(await follow(pending, sent)).toEqual({ state: 'pending' });
    const confirmed = client({
      status: 'confirmed',
      transaction: {} as never,
      block_hash: '00',
      height: 7,
      index: 1,
      confirmations: 2,
    } as TxView);
    expect(await follow(confirmed, sent)).toEqual({
      state: 'confirmed',
      height: 7,
      confirmations: 2,
    });
    expect(pending.submitted).toEqual([]);
    expect(confirmed.submitted).toEqual([]);
  });

  it('sends again a transfer the node does not know, or dropped', async () => {
    const lost = client(notFound);
    expect(await follow(lost, sent)).toEqual({ state: 'resent', before: 'unknown to the node' });
    expect(lost.submitted).toEqual([sent.tx]);
    const dropped = client({
      status: 'dropped',
      transaction: {} as never,
      reason: { code: 'MEMPOOL_EXPIRED', message: '' },
      dropped_at_ms: 0,
    });
    expect(await follow(dropped, sent)).toEqual({
      state: 'resent',
      before: 'dropped: MEMPOOL_EXPIRED',
    });
  });

  it('stops following what the node refuses for good; keeps what it could not ask', async () => {
    const used = new ClientError('TX_NONCE_TOO_LOW', 'nonce 0 is used', 422);
    const refused = await follow(client(notFound, used), sent);
    expect(refused).toMatchObject({ state: 'refused', code: 'TX_NONCE_TOO_LOW' });
    expect(stillFollowed(refused)).toBe(false);
    const down = new ClientError('CLIENT_UNREACHABLE', 'refused', 0);
    const unknown = await follow(client(down), sent);
    expect(unknown).toMatchObject({ state: 'unknown' });
    expect(stillFollowed(unknown)).toBe(true);
    expect(
      await follow(client(notFound, new ClientError('TX_ALREADY_KNOWN', '', 409)), sent),
    ).toEqual({ state: 'pending' });
  });
});
