/**
 * A block's or a transaction's canonical bytes laid out field by field, for the explorer's
 * "Bytes" view: where each field starts, how long it is, its bytes, its decoded value, and the
 * section of docs/protocol.md that specifies it.
 *
 * NOTE: no second encoder or decoder. The bytes are read by the core's own readers (readBlock,
 * readHeader, readTx) through a Reader that also notes where each read started and ended, under
 * the name the reader already gives it. So the layout cannot drift from the encoding: a test
 * checks that the fields, put back together, are exactly the bytes and hash to the same id.
 */
import { toHex } from '../bytes.js';
import { ok, type Result } from '../result.js';
import { readBlock } from './block.js';
import { readHeader } from './header.js';
import { Reader } from './reader.js';
import { decodeWith, readTx, TX_TYPE_COINBASE } from './tx.js';

export type FieldValue = number | bigint | Uint8Array;

export interface ByteField {
  /** The name the core's reader gives the field: `prev_hash`, `amount`, `transaction count`. */
  readonly name: string;
  /** `header`, `transaction 0`, `transaction 1`, … (a block's); `transaction` (a lone one's). */
  readonly part: string;
  readonly offset: number;
  readonly length: number;
  readonly bytes: Uint8Array;
  readonly value: FieldValue;
  /** What the field is, in a few words. */
  readonly meaning: string;
  /** The anchor of its section in docs/protocol.md (GitHub's heading slugs). */
  readonly section: string;
}

/** Reads with the core's readers, noting each outermost read (a varint's inner u16 is not one). */
class LayoutReader extends Reader {
  readonly reads: { name: string; offset: number; length: number; value: FieldValue }[] = [];
  private depth = 0;

  private note<T extends FieldValue>(name: string, read: () => T): T {
    const offset = this.position;
    this.depth++;
    try {
      const value = read();
      if (this.depth === 1)
        this.reads.push({ name, offset, length: this.position - offset, value });
      return value;
    } finally {
      this.depth--;
    }
  }

  override u8(what: string): number {
    return this.note(what, () => super.u8(what));
  }
  override u16(what: string): number {
    return this.note(what, () => super.u16(what));
  }
  override u32(what: string): number {
    return this.note(what, () => super.u32(what));
  }
  override u64(what: string): bigint {
    return this.note(what, () => super.u64(what));
  }
  override safeU64(what: string): number {
    return this.note(what, () => super.safeU64(what));
  }
  override varint(what: string): number {
    return this.note(what, () => super.varint(what));
  }
  override raw(length: number, what: string): Uint8Array {
    return this.note(what, () => super.raw(length, what));
  }
}

const HEADER: Record<string, [meaning: string, section: string]> = {
  version: ['the block format: 1', 'block-header'],
  height: ["the parent's height + 1", 'block-header'],
  prev_hash: ["the parent block's hash: the link that makes a chain", 'block-header'],
  merkle_root: ["the root of the merkle tree of the block's transaction ids", 'merkle-root'],
  timestamp_ms: ['milliseconds since 1970, after the median of the last 11 blocks', 'timestamps'],
  bits: ['the target the hash must meet, in compact form', 'compact-bits'],
  nonce: ['what the miner varies until the hash meets the target', 'proof-of-work'],
};
const TRANSFER = 'transfer-type-01-157-bytes';
const COINBASE = 'coinbase-type-00-49-bytes';
const TX: Record<string, [meaning: string, transfer: string, coinbase: string]> = {
  'transaction type': ['01 a transfer, 00 a coinbase', TRANSFER, COINBASE],
  chain_id: ['the network: a transaction cannot be replayed on another', TRANSFER, COINBASE],
  from: ["the sender's Ed25519 public key: the account debited, the key that signs", TRANSFER, ''],
  to: ["the recipient's Ed25519 public key", TRANSFER, COINBASE],
  amount: ['base units moved', TRANSFER, 'coinbase'],
  fee: ['base units paid to the miner', TRANSFER, ''],
  nonce: ["the sender's count of earlier transfers: stops replays", TRANSFER, ''],
  signature: ['Ed25519 signature (R ‖ S) of the signing preimage', 'signatures', ''],
  height: ['the height of the block it belongs to', '', COINBASE],
};

type Read = LayoutReader['reads'][number];

function field(read: Read, part: string, input: Uint8Array, meaning: string, section: string) {
  const bytes = input.subarray(read.offset, read.offset + read.length);
  return { ...read, part, bytes, meaning, section };
}

function headerField(read: Read, input: Uint8Array): ByteField {
  const [meaning, section] = HEADER[read.name] ?? ['', 'block-header'];
  return field(read, 'header', input, meaning, section);
}

function txFields(reads: readonly Read[], part: string, input: Uint8Array): ByteField[] {
  const coinbase = reads[0]?.value === TX_TYPE_COINBASE;
  return reads.map((read) => {
    const [meaning, transfer, base] = TX[read.name] ?? ['', TRANSFER, COINBASE];
    const what =
      coinbase && read.name === 'amount'
        ? 'base units created and paid to `to`: at most the subsidy plus the fees'
        : meaning;
    return field(read, part, input, what, (coinbase ? base : transfer) || TRANSFER);
  });
}

function laidOut<T>(
  bytes: Uint8Array,
  what: string,
  read: (r: Reader) => T,
  fields: (reads: readonly Read[], input: Uint8Array) => ByteField[],
): Result<ByteField[]> {
  const reader = new LayoutReader(bytes);
  const decoded = decodeWith(bytes, what, read, reader);
  return decoded.ok ? ok(fields(reader.reads, bytes)) : decoded;
}

/** A block's 92 header bytes, field by field. */
export function layoutHeader(bytes: Uint8Array): Result<ByteField[]> {
  return laidOut(bytes, 'header', readHeader, (reads, input) =>
    reads.map((r) => headerField(r, input)),
  );
}

/** A transaction's bytes (a transfer's 157, a coinbase's 49), field by field. */
export function layoutTx(bytes: Uint8Array): Result<ByteField[]> {
  return laidOut(bytes, 'transaction', readTx, (reads, input) =>
    txFields(reads, 'transaction', input),
  );
}

/** A whole block: the header's fields, the transaction count, then each transaction's fields. */
export function layoutBlock(bytes: Uint8Array): Result<ByteField[]> {
  return laidOut(bytes, 'block', readBlock, (reads, input) => {
    const out = reads.slice(0, 7).map((r) => headerField(r, input));
    const count = reads[7];
    if (!count) return out;
    out.push(field(count, 'block', input, 'how many transactions follow, as a varint', 'varint'));
    // Each transaction starts with its type byte (and has no length prefix).
    const txs: Read[][] = [];
    for (const read of reads.slice(8)) {
      if (read.name === 'transaction type') txs.push([]);
      txs[txs.length - 1]?.push(read);
    }
    for (const [i, tx] of txs.entries()) out.push(...txFields(tx, `transaction ${i}`, input));
    return out;
  });
}

/** The fields' bytes as hex, joined in order: what a test compares with the encoding. */
export function joinFields(fields: readonly ByteField[]): string {
  return fields.map((f) => toHex(f.bytes)).join('');
}
