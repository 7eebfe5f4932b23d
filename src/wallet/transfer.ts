/**
 * Building and signing a transfer on the user's side: the node only ever sees the signed result.
 * Amounts are typed in coins ("1.5") and become base units here, at the edge.
 */
import { parseAddress } from '../core/address.js';
import { toHex } from '../core/bytes.js';
import { hashTx } from '../core/encoding/tx.js';
import { type TransferJson, txToJson } from '../core/json.js';
import { formatCoins, MAX_MONEY, parseCoins } from '../core/money.js';
import { publicKeyFromSecret, signTransfer } from '../core/nobleEd25519.js';
import type { NetworkParams } from '../core/params.js';
import { fail, ok, type Result } from '../core/result.js';
import type { Transfer } from '../core/types.js';
import { DEFAULT_FEE_UNITS } from './fee.js';

/** What a wallet needs to know of a network: its chain id and its address prefix. */
export type WalletNetwork = Pick<NetworkParams, 'chainId' | 'addressPrefix'>;

export interface TransferRequest {
  secretKey: Uint8Array;
  to: string;
  amountCoins: string;
  feeCoins?: string;
  nonce: bigint;
}

export interface SignedTransfer {
  readonly tx: Transfer;
  readonly id: string;
  /** The body for POST /api/tx. */
  readonly json: TransferJson;
}

/** Parses an amount in coins: a positive decimal with at most 8 places. */
export function parseAmount(text: string, what: string): Result<bigint> {
  const units = parseCoins(text);
  if (units === undefined && /^\s*\d+(\.\d{1,8})?\s*$/.test(text)) {
    return fail(
      'TX_AMOUNT_TOO_LARGE',
      `the ${what} "${text}" is more than the ${formatCoins(MAX_MONEY)} coins that can exist`,
    );
  }
  if (units === undefined || units === 0n) {
    return fail(
      what === 'fee' ? 'TX_FEE_NOT_POSITIVE' : 'TX_AMOUNT_NOT_POSITIVE',
      `the ${what} "${text}" is not a positive amount of coins such as 1.5 (at most 8 decimals)`,
    );
  }
  return ok(units);
}

export function createTransfer(
  params: WalletNetwork,
  request: TransferRequest,
): Result<SignedTransfer> {
  const to = parseAddress(request.to, params.addressPrefix);
  if (!to.ok) return to;
  const amount = parseAmount(request.amountCoins, 'amount');
  if (!amount.ok) return amount;
  const fee =
    request.feeCoins === undefined ? ok(DEFAULT_FEE_UNITS) : parseAmount(request.feeCoins, 'fee');
  if (!fee.ok) return fee;
  if (request.nonce < 0n || request.nonce >= 2n ** 64n) {
    return fail('ENCODING_OUT_OF_RANGE', `the nonce ${request.nonce} is not in [0, 2^64)`);
  }
  const tx = signTransfer(
    {
      type: 'transfer',
      chainId: params.chainId,
      from: publicKeyFromSecret(request.secretKey),
      to: to.value,
      amount: amount.value,
      fee: fee.value,
      nonce: request.nonce,
    },
    request.secretKey,
  );
  return ok({ tx, id: toHex(hashTx(tx)), json: txToJson(tx, params) as TransferJson });
}

/** What the confirm dialog shows: exactly the fields that get signed, amounts in coins. */
export function describeTransfer(tx: Transfer, params: WalletNetwork) {
  const json = txToJson(tx, params) as TransferJson;
  return {
    chain_id: tx.chainId,
    from: json.from,
    to: json.to,
    amount: formatCoins(tx.amount),
    fee: formatCoins(tx.fee),
    total: formatCoins(tx.amount + tx.fee),
    nonce: `${tx.nonce}`,
  };
}
