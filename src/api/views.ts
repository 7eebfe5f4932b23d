/**
 * How blocks and transactions look over HTTP. The API's own routes use the JSON view of
 * src/core/json.ts (exact base units as strings); the tutorials' routes use the tutorials' names
 * (`index`, `proof`, `previous_hash`, `sender`, `recipient`, `amount` in coins) beside ours.
 * `index` counts from 1 as the tutorials do (genesis is block 1); `height` counts from 0.
 */
import {
  type Block,
  blockToJson,
  decodeBits,
  encodeAddress,
  formatCoins,
  hashHeader,
  hashTx,
  type NetworkParams,
  type Tx,
  toHex,
  txToJson,
} from '../core/index.js';

/** A u64 as a JSON number when exact, else a decimal string. */
function jsonInteger(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : `${value}`;
}

const coins = (units: bigint) => Number(formatCoins(units));

/** `id`: the transaction's id, if the caller has it (hashTx's). */
export function tutorialTx(tx: Tx, params: NetworkParams, id?: Uint8Array) {
  const recipient = encodeAddress(tx.to, params.addressPrefix);
  const common = {
    id: toHex(id ?? hashTx(tx)),
    recipient,
    amount: coins(tx.amount),
    amount_units: `${tx.amount}`,
  };
  if (tx.type === 'coinbase') return { sender: '0' as const, ...common, type: tx.type };
  return {
    sender: encodeAddress(tx.from, params.addressPrefix),
    ...common,
    type: tx.type,
    fee: coins(tx.fee),
    fee_units: `${tx.fee}`,
    nonce: jsonInteger(tx.nonce),
    signature: toHex(tx.signature),
  };
}

/**
 * `known`: the block's hash and its transactions' ids, if the caller has them (a block just
 * connected: src/api/blockViews.ts), so that nothing is hashed again.
 */
export function tutorialBlock(
  block: Block,
  params: NetworkParams,
  known?: { readonly hashHex: string; readonly txIds: readonly Uint8Array[] },
) {
  const h = block.header;
  return {
    index: h.height + 1,
    height: h.height,
    hash: known?.hashHex ?? toHex(hashHeader(h)),
    timestamp: h.timestampMs / 1000,
    timestamp_ms: h.timestampMs,
    transactions: block.txs.map((tx, i) => tutorialTx(tx, params, known?.txIds[i])),
    proof: jsonInteger(h.nonce),
    previous_hash: toHex(h.prevHash),
    merkle_root: toHex(h.merkleRoot),
    bits: h.bits,
    target: decodeBits(h.bits).target.toString(16).padStart(64, '0'),
  };
}

export function apiBlock(
  block: Block,
  params: NetworkParams,
  extra: { confirmations: number; mainChain: boolean; chainWork: bigint },
) {
  return {
    ...blockToJson(block, params),
    target: decodeBits(block.header.bits).target.toString(16).padStart(64, '0'),
    confirmations: extra.confirmations,
    main_chain: extra.mainChain,
    chain_work: `${extra.chainWork}`,
  };
}

export { txToJson };
