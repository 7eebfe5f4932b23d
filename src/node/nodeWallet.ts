/**
 * The node's own wallet: its key (node-key.json) pays out what the node mined, when the operator
 * asks (the tutorials' unsigned POST /transactions/new). It signs with the next nonce the mempool
 * expects and submits at once, one transfer at a time: two concurrent sends would otherwise both
 * claim the same nonce. The fee, unless given, is the wallet's default (src/wallet/transfer.ts),
 * the same as `blockyard wallet send` and the wallet page pay.
 */
import type { NodeWallet } from '../api/deps.js';
import { type NetworkParams, type Result, toHex } from '../core/index.js';
import { keyPairOfSecret, signTransferWith } from '../crypto/nodeEd25519.js';
import type { Mempool, MempoolEntry } from '../mempool/mempool.js';
import { DEFAULT_FEE_UNITS } from '../wallet/fee.js';
import type { NodeKey } from './nodeKey.js';

export function createNodeWallet(
  key: NodeKey,
  mempool: Mempool,
  params: Pick<NetworkParams, 'chainId'>,
): NodeWallet {
  let signing: Promise<unknown> = Promise.resolve();
  const { privateKey } = keyPairOfSecret(key.secretKey);
  return {
    address: key.address,
    send(to: Uint8Array, amount: bigint, fee = DEFAULT_FEE_UNITS) {
      const sent = signing.then((): Promise<Result<MempoolEntry>> => {
        const nonce = mempool.nextNonce(toHex(key.publicKey));
        const tx = { type: 'transfer' as const, chainId: params.chainId, from: key.publicKey };
        return mempool.add(signTransferWith({ ...tx, to, amount, fee, nonce }, privateKey));
      });
      signing = sent.catch(() => undefined);
      return sent;
    },
  };
}
