/**
 * Canonical transaction bytes (all integers big-endian; docs/protocol.md §Transactions).
 *
 *   transfer, 157 bytes              coinbase, 49 bytes
 *   off size field                   off size field
 *     0    1 type = 0x01               0    1 type = 0x00
 *     1    4 chain_id u32              1    4 chain_id u32
 *     5   32 from (Ed25519 key)        5    4 height u32
 *    37   32 to                        9   32 to
 *    69    8 amount u64               41    8 amount u64
 *    77    8 fee u64
 *    85    8 nonce u64
 *    93   64 signature
 *
 * The signature signs TX_SIGNING_TAG followed by the first 93 bytes (everything but itself).
 * The transaction id is SHA-256d of all the bytes, signature included.
 */
import { concatBytes, toHex, utf8ToBytes } from '../bytes.js';
import { sha256d } from '../hash.js';
import { fail, ok, type Result } from '../result.js';
import type { Coinbase, Transfer, Tx, UnsignedTransfer } from '../types.js';
import { DecodeError, Reader } from './reader.js';
import { Writer } from './writer.js';

export const TX_TYPE_COINBASE = 0x00;
export const TX_TYPE_TRANSFER = 0x01;
export const TRANSFER_SIZE = 157;
export const COINBASE_SIZE = 49;
const UNSIGNED_TRANSFER_SIZE = TRANSFER_SIZE - 64;

/** Domain separation: these bytes can never be mistaken for a header or another protocol's. */
export const TX_SIGNING_TAG = utf8ToBytes('blockyard/tx/v1');

export function txSize(tx: Tx): number {
  return tx.type === 'transfer' ? TRANSFER_SIZE : COINBASE_SIZE;
}

function writeUnsignedTransfer(w: Writer, tx: UnsignedTransfer): Writer {
  return w
    .u8(TX_TYPE_TRANSFER)
    .u32(tx.chainId)
    .raw(tx.from, 32)
    .raw(tx.to, 32)
    .u64(tx.amount)
    .u64(tx.fee)
    .u64(tx.nonce);
}

export function writeTx(w: Writer, tx: Tx): void {
  if (tx.type === 'transfer') {
    writeUnsignedTransfer(w, tx).raw(tx.signature, 64);
  } else {
    w.u8(TX_TYPE_COINBASE).u32(tx.chainId).u32(tx.height).raw(tx.to, 32).u64(tx.amount);
  }
}

export function encodeTx(tx: Tx): Uint8Array {
  const w = new Writer(txSize(tx));
  writeTx(w, tx);
  return w.finish();
}

/** The exact bytes an Ed25519 signature of a transfer signs. */
export function txSigningBytes(tx: UnsignedTransfer): Uint8Array {
  const body = writeUnsignedTransfer(new Writer(UNSIGNED_TRANSFER_SIZE), tx).finish();
  return concatBytes(TX_SIGNING_TAG, body);
}

export function hashTx(tx: Tx): Uint8Array {
  return sha256d(encodeTx(tx));
}

export function txIdHex(tx: Tx): string {
  return toHex(hashTx(tx));
}

export function readTx(r: Reader): Tx {
  const type = r.u8('transaction type');
  if (type !== TX_TYPE_TRANSFER && type !== TX_TYPE_COINBASE) {
    throw new DecodeError(
      'ENCODING_UNKNOWN_TX_TYPE',
      `unknown transaction type 0x${type.toString(16)}`,
    );
  }
  const chainId = r.u32('chain_id');
  if (type === TX_TYPE_TRANSFER) {
    const transfer: Transfer = {
      type: 'transfer',
      chainId,
      from: r.field(32, 'from'),
      to: r.field(32, 'to'),
      amount: r.u64('amount'),
      fee: r.u64('fee'),
      nonce: r.u64('nonce'),
      signature: r.field(64, 'signature'),
    };
    return transfer;
  }
  const coinbase: Coinbase = {
    type: 'coinbase',
    chainId,
    height: r.u32('height'),
    to: r.field(32, 'to'),
    amount: r.u64('amount'),
  };
  return coinbase;
}

/**
 * `bytes` as memory of their own: a copy if they are a view into a buffer from an offset (a
 * transaction's field decoded with decodeBlock's `views`: never at its buffer's first byte, as a
 * type byte or a header comes first), else the same array. For what keeps a field longer than
 * its block.
 *
 * PERF: `bytes.buffer` is not read. An array of up to 64 bytes (a key, a signature) lives on
 * V8's heap, and reading its buffer moves its bytes into a new ArrayBuffer of their own: the
 * mempool's ownTx of every transfer admitted paid that three times. decodeTx of a transfer's 157
 * bytes, then ownTx, 4 rounds of 50,000 each way alternated in one process (tsx, load 16),
 * CPU a transfer: decodeTx alone 1.05–2.11 µs; with ownTx 2.35–3.33 → 1.16–1.94 µs.
 */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 ? bytes : new Uint8Array(bytes);
}

/**
 * `tx` with byte fields of their own: whatever keeps a transaction longer than the block it came
 * in (the mempool, when a reorg returns it) takes it through here, so that a transaction decoded
 * as views into its block's bytes (decodeBlock's `views`) does not keep that block's megabyte
 * alive. The same object when nothing is a view.
 */
export function ownTx<T extends Tx>(tx: T): T {
  if (tx.type === 'transfer') {
    const { from, to, signature } = tx;
    const own = { from: ownBytes(from), to: ownBytes(to), signature: ownBytes(signature) };
    return own.from === from && own.to === to && own.signature === signature
      ? tx
      : { ...tx, ...own };
  }
  const to = ownBytes(tx.to);
  return to === tx.to ? tx : { ...tx, to };
}

export function decodeTx(bytes: Uint8Array): Result<Tx> {
  return decodeWith(bytes, 'transaction', readTx);
}

/**
 * Runs a reader-based decoder over the whole input and turns DecodeErrors into failures. `r` is
 * a Reader of `bytes` (fieldLayout.ts passes one that notes where each field lies).
 */
export function decodeWith<T>(
  bytes: Uint8Array,
  what: string,
  read: (r: Reader) => T,
  r: Reader = new Reader(bytes),
): Result<T> {
  try {
    const value = read(r);
    r.end(what);
    return ok(value);
  } catch (error) {
    if (error instanceof DecodeError) return fail(error.code, error.message);
    throw error;
  }
}
