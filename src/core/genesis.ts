/**
 * The genesis block of each network: fixed, so every node starts from the same block. Its only
 * transaction is a coinbase paying 0 to a key nobody holds (SHA-256 of a text), and it is never
 * validated or applied: the account state after genesis is empty.
 */
import { utf8ToBytes } from './bytes.js';
import { hashTx } from './encoding/tx.js';
import { sha256 } from './hash.js';
import { merkleRoot } from './merkle.js';
import type { NetworkParams } from './params.js';
import type { Block, Coinbase } from './types.js';

export const BLOCK_VERSION = 1;

const cache = new WeakMap<NetworkParams, Block>();

export function genesisBlock(params: NetworkParams): Block {
  const cached = cache.get(params);
  if (cached) return cached;
  const coinbase: Coinbase = {
    type: 'coinbase',
    chainId: params.chainId,
    height: 0,
    to: sha256(utf8ToBytes(`blockyard genesis: ${params.name}`)),
    amount: 0n,
  };
  const block: Block = {
    header: {
      version: BLOCK_VERSION,
      height: 0,
      prevHash: new Uint8Array(32),
      merkleRoot: merkleRoot([hashTx(coinbase)]),
      timestampMs: params.genesisTimestampMs,
      bits: params.genesisBits,
      nonce: params.genesisNonce,
    },
    txs: [coinbase],
  };
  cache.set(params, block);
  return block;
}
