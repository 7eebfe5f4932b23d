/**
 * Canonical block header bytes: 92 bytes, integers big-endian (docs/protocol.md §Block header).
 *
 *   off size field
 *     0    4 version u32
 *     4    4 height u32
 *     8   32 prev_hash
 *    40   32 merkle_root
 *    72    8 timestamp_ms u64
 *    80    4 bits u32 (compact target)
 *    84    8 nonce u64
 *
 * PERF: the block hash is SHA-256d of these bytes. The first 64 bytes (one SHA-256 block) hold
 * nothing a miner varies, so a miner hashes them once (the midstate) and each nonce then costs
 * two compressions: the last 28 bytes with padding, and the 32-byte digest.
 */
import { toHex } from '../bytes.js';
import { sha256d } from '../hash.js';
import type { Result } from '../result.js';
import type { BlockHeader } from '../types.js';
import type { Reader } from './reader.js';
import { decodeWith } from './tx.js';
import { Writer } from './writer.js';

export const HEADER_SIZE = 92;
export const HEADER_NONCE_OFFSET = 84;
export const HEADER_TIMESTAMP_OFFSET = 72;

export function writeHeader(w: Writer, h: BlockHeader): void {
  w.u32(h.version)
    .u32(h.height)
    .raw(h.prevHash, 32)
    .raw(h.merkleRoot, 32)
    .u64(h.timestampMs)
    .u32(h.bits)
    .u64(h.nonce);
}

export function encodeHeader(h: BlockHeader): Uint8Array {
  const w = new Writer(HEADER_SIZE);
  writeHeader(w, h);
  return w.finish();
}

export function readHeader(r: Reader): BlockHeader {
  return {
    version: r.u32('version'),
    height: r.u32('height'),
    prevHash: r.raw(32, 'prev_hash'),
    merkleRoot: r.raw(32, 'merkle_root'),
    timestampMs: r.safeU64('timestamp_ms'),
    bits: r.u32('bits'),
    nonce: r.u64('nonce'),
  };
}

export function decodeHeader(bytes: Uint8Array): Result<BlockHeader> {
  return decodeWith(bytes, 'header', readHeader);
}

/** The block hash: SHA-256d of the header, shown as hex in byte order (no reversal). */
export function hashHeader(h: BlockHeader): Uint8Array {
  return sha256d(encodeHeader(h));
}

export function blockHashHex(h: BlockHeader): string {
  return toHex(hashHeader(h));
}
