/**
 * The JSON view of transactions and blocks (snake_case, as the API speaks). JSON is only a view:
 * hashes and signatures are always over the binary encoding. Money, nonces and the block nonce
 * are written as decimal strings of base units, because a JSON number cannot hold every u64; on
 * input a safe integer is accepted too. Anything else — a fraction, a negative, an exponent, a
 * number beyond 2^53, an unknown field — is refused with JSON_INVALID_FIELD.
 */
import { encodeAddress, parseAddress } from './address.js';
import { parseHex, toHex } from './bytes.js';
import { hashHeader } from './encoding/header.js';
import { encodeTx, hashTx } from './encoding/tx.js';
import type { ErrorCode } from './errors.js';
import { sha256d } from './hash.js';
import type { NetworkParams } from './params.js';
import { fail, ok, type Result } from './result.js';
import type { Block, BlockHeader, Tx } from './types.js';

export interface TransferJson {
  type: 'transfer';
  id?: string;
  chain_id: number;
  from: string;
  to: string;
  amount: string;
  fee: string;
  nonce: string;
  signature: string;
}

export interface CoinbaseJson {
  type: 'coinbase';
  id?: string;
  chain_id: number;
  height: number;
  to: string;
  amount: string;
}

export type TxJson = TransferJson | CoinbaseJson;
/** A transaction as the node writes it: always with its id. */
export type TxJsonWithId = TxJson & { id: string };

export interface HeaderJson {
  hash: string;
  version: number;
  height: number;
  prev_hash: string;
  merkle_root: string;
  timestamp_ms: number;
  bits: number;
  nonce: string;
}

export interface BlockJson extends HeaderJson {
  transactions: TxJsonWithId[];
}

export function txToJson(tx: Tx, params: Pick<NetworkParams, 'addressPrefix'>): TxJsonWithId {
  const id = toHex(hashTx(tx));
  const to = encodeAddress(tx.to, params.addressPrefix);
  if (tx.type === 'coinbase') {
    return {
      type: 'coinbase',
      id,
      chain_id: tx.chainId,
      height: tx.height,
      to,
      amount: `${tx.amount}`,
    };
  }
  return {
    type: 'transfer',
    id,
    chain_id: tx.chainId,
    from: encodeAddress(tx.from, params.addressPrefix),
    to,
    amount: `${tx.amount}`,
    fee: `${tx.fee}`,
    nonce: `${tx.nonce}`,
    signature: toHex(tx.signature),
  };
}

export function headerToJson(header: BlockHeader): HeaderJson {
  return {
    hash: toHex(hashHeader(header)),
    version: header.version,
    height: header.height,
    prev_hash: toHex(header.prevHash),
    merkle_root: toHex(header.merkleRoot),
    timestamp_ms: header.timestampMs,
    bits: header.bits,
    nonce: `${header.nonce}`,
  };
}

export function blockToJson(block: Block, params: NetworkParams): BlockJson {
  return {
    ...headerToJson(block.header),
    transactions: block.txs.map((tx) => txToJson(tx, params)),
  };
}

class FieldError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail: string,
  ) {
    super(detail);
  }
}

/** Runs a parser that throws FieldError at the first bad field, as a Result. */
function parseWith<T>(parse: () => T): Result<T> {
  try {
    return ok(parse());
  } catch (error) {
    if (error instanceof FieldError) return fail(error.code, error.message);
    throw error;
  }
}

const U64_MAX = (1n << 64n) - 1n;

/** A u64 from a decimal string of digits or a non-negative safe integer. */
export function parseU64(value: unknown, field: string): Result<bigint> {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
    return ok(BigInt(value));
  if (typeof value === 'string' && /^(0|[1-9]\d{0,19})$/.test(value)) {
    // PERF: read once (it was read twice, for the bound and for the answer).
    const parsed = BigInt(value);
    if (parsed <= U64_MAX) return ok(parsed);
  }
  return fail(
    'JSON_INVALID_FIELD',
    `${field} must be a whole number of base units from 0 to 2^64 - 1, as a decimal string; got ${JSON.stringify(value)}`,
  );
}

function field<T>(result: Result<T>): T {
  if (!result.ok) throw new FieldError(result.code, result.detail);
  return result.value;
}

function fieldFail(message: string): never {
  throw new FieldError('JSON_INVALID_FIELD', message);
}

function u32(value: unknown, name: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff)
    return value;
  return fieldFail(`${name} must be an integer from 0 to 2^32 - 1; got ${JSON.stringify(value)}`);
}

function hex(value: unknown, bytes: number, name: string): Uint8Array {
  const parsed = typeof value === 'string' ? parseHex(value, bytes) : undefined;
  return parsed ?? fieldFail(`${name} must be ${bytes * 2} hex characters`);
}

function onlyKeys(json: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(json)) {
    if (!allowed.includes(key)) fieldFail(`unknown field "${key}"; allowed: ${allowed.join(', ')}`);
  }
}

const TRANSFER_KEYS = [
  'type',
  'id',
  'chain_id',
  'from',
  'to',
  'amount',
  'fee',
  'nonce',
  'signature',
];
const COINBASE_KEYS = ['type', 'id', 'chain_id', 'height', 'to', 'amount'];
const BLOCK_KEYS = [
  'hash',
  'version',
  'height',
  'prev_hash',
  'merkle_root',
  'timestamp_ms',
  'bits',
  'nonce',
  'transactions',
];

/** Parses a transaction's JSON view; a given `id` must be the transaction's real id. */
export function txFromJson(json: unknown, params: NetworkParams): Result<Tx> {
  return parseWith(() => readTxJson(json, params).tx);
}

/**
 * As txFromJson, with the transaction's encoding (encodeTx). PERF: the id check encodes it, and
 * the mempool keeps, hashes and journals those bytes: encoded once, not twice.
 */
export function txFromJsonEncoded(
  json: unknown,
  params: NetworkParams,
): Result<{ tx: Tx; bytes: Uint8Array; idHex?: string }> {
  return parseWith(() => readTxJson(json, params));
}

/** `idHex`: SHA-256d of `bytes`, when the view gave an id to check (the caller need not hash again). */
function readTxJson(
  json: unknown,
  params: NetworkParams,
): { tx: Tx; bytes: Uint8Array; idHex?: string } {
  const o = object(json, 'a transaction');
  const address = (value: unknown, name: string) =>
    typeof value === 'string'
      ? field(parseAddress(value, params.addressPrefix))
      : fieldFail(`${name} must be an address string`);
  let tx: Tx;
  if (o.type === 'transfer') {
    onlyKeys(o, TRANSFER_KEYS);
    tx = {
      type: 'transfer',
      chainId: u32(o.chain_id, 'chain_id'),
      from: address(o.from, 'from'),
      to: address(o.to, 'to'),
      amount: field(parseU64(o.amount, 'amount')),
      fee: field(parseU64(o.fee, 'fee')),
      nonce: field(parseU64(o.nonce, 'nonce')),
      signature: hex(o.signature, 64, 'signature'),
    };
  } else if (o.type === 'coinbase') {
    onlyKeys(o, COINBASE_KEYS);
    tx = {
      type: 'coinbase',
      chainId: u32(o.chain_id, 'chain_id'),
      height: u32(o.height, 'height'),
      to: address(o.to, 'to'),
      amount: field(parseU64(o.amount, 'amount')),
    };
  } else {
    return fieldFail('type must be "transfer" or "coinbase"');
  }
  const bytes = encodeTx(tx);
  if (o.id === undefined) return { tx, bytes };
  const idHex = toHex(sha256d(bytes));
  if (o.id !== idHex) fieldFail(`id ${JSON.stringify(o.id)} is not this transaction's id ${idHex}`);
  return { tx, bytes, idHex };
}

function object(json: unknown, what: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fieldFail(`${what} is a JSON object`);
  }
  return json as Record<string, unknown>;
}

/** Parses a block's JSON view; a given `hash` must be the header's real hash. */
export function blockFromJson(json: unknown, params: NetworkParams): Result<Block> {
  return parseWith(() => {
    const o = object(json, 'a block');
    onlyKeys(o, BLOCK_KEYS);
    const timestampMs = o.timestamp_ms;
    if (typeof timestampMs !== 'number' || !Number.isSafeInteger(timestampMs) || timestampMs < 0) {
      return fieldFail('timestamp_ms must be a non-negative integer of milliseconds');
    }
    if (!Array.isArray(o.transactions)) return fieldFail('transactions must be an array');
    const header: BlockHeader = {
      version: u32(o.version, 'version'),
      height: u32(o.height, 'height'),
      prevHash: hex(o.prev_hash, 32, 'prev_hash'),
      merkleRoot: hex(o.merkle_root, 32, 'merkle_root'),
      timestampMs,
      bits: u32(o.bits, 'bits'),
      nonce: field(parseU64(o.nonce, 'nonce')),
    };
    const txs = o.transactions.map((tx, i) => {
      const parsed = txFromJson(tx, params);
      if (!parsed.ok) throw new FieldError(parsed.code, `transactions[${i}]: ${parsed.detail}`);
      return parsed.value;
    });
    if (o.hash !== undefined && o.hash !== toHex(hashHeader(header))) {
      fieldFail(`hash ${JSON.stringify(o.hash)} is not this header's hash`);
    }
    return { header, txs };
  });
}
