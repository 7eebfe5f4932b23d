/**
 * bench/intake.ts's requests: senders funded over HTTP, their transfers signed in nonce order
 * and encoded as the requests of a mode (one transfer a POST /api/tx, or batches), as JSON views
 * or {hex}.
 */
import { encodeBlock, encodeTx, type Transfer, toHex, txToJson } from '../../src/core/index.js';
import { ChainBuilder, easyParams } from '../../test/support/chainBuilder.js';
import { type BenchKey, transferToNewAddress } from './ed25519.js';
import type { NodeChild } from './intakeClients.js';
import { encodePost } from './rawHttp.js';

const FEE = 1_000n;
const params = easyParams;

export interface Mode {
  readonly name: string;
  readonly form: 'json' | 'hex';
  /** Transfers per request; 1 is POST /api/tx, more is POST /api/tx/batch. */
  readonly perRequest: number;
  /** Requests per sender. */
  readonly requests: number;
  readonly aim: number;
}

/** Gives each sender 50 coins: one easy block per sender whose coinbase pays it, over HTTP. */
export async function fundSenders(node: NodeChild, senders: readonly BenchKey[]): Promise<void> {
  const builder = new ChainBuilder(params);
  const connection = await node.connect();
  for (const sender of senders) {
    const block = builder.mine({ minerKey: sender.publicKey });
    const json = JSON.stringify({ hex: toHex(encodeBlock(block)) });
    const answer = await connection.request(encodePost(node.host, '/api/blocks', json));
    if (answer.status !== 200 || !answer.body.includes('"connected"')) {
      throw new Error(`funding block refused: ${answer.status} ${answer.body}`);
    }
  }
  connection.close();
}

/** `count` transfers of `sender` from `firstNonce` on, to fresh addresses, as JSON views. */
export function signTransfers(sender: BenchKey, firstNonce: bigint, count: number): Transfer[] {
  return Array.from({ length: count }, (_, i) =>
    transferToNewAddress(sender, firstNonce + BigInt(i), FEE, params.chainId),
  );
}

/** Each sender's requests of a mode, its transfers numbered on from `firstNonce`. */
export function encodeRequests(
  node: NodeChild,
  mode: Mode,
  firstNonce: bigint,
  senders: readonly BenchKey[],
): Buffer[][] {
  const view = (tx: Transfer) =>
    mode.form === 'json' ? txToJson(tx, params) : { hex: toHex(encodeTx(tx)) };
  return senders.map((sender) => {
    const txs = signTransfers(sender, firstNonce, mode.requests * mode.perRequest);
    return Array.from({ length: mode.requests }, (_, r) => {
      if (mode.perRequest === 1)
        return encodePost(node.host, '/api/tx', JSON.stringify(view(txs[r]!)));
      const slice = txs.slice(r * mode.perRequest, (r + 1) * mode.perRequest);
      const json = JSON.stringify({ transactions: slice.map(view) });
      return encodePost(node.host, '/api/tx/batch', json);
    });
  });
}
