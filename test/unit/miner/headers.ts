/** Deterministic "random" headers and a node:crypto reference for the miner's tests. */
import { createHash } from 'node:crypto';
import { encodeHeader } from '../../../src/core/encoding/header.js';
import type { Block, BlockHeader } from '../../../src/core/types.js';

/** Bytes from a seed: reproducible, so that a failure can be replayed. */
export function seededBytes(seed: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0, filled = 0; filled < length; i++) {
    const chunk = createHash('sha256').update(`${seed}/${i}`).digest();
    out.set(chunk.subarray(0, length - filled), filled);
    filled += chunk.length;
  }
  return out;
}

export function seededHeader(seed: string, bits: number): BlockHeader {
  const bytes = seededBytes(seed, 72);
  return {
    version: 1,
    height: new DataView(bytes.buffer).getUint32(0) >>> 8,
    prevHash: bytes.slice(8, 40),
    merkleRoot: bytes.slice(40, 72),
    timestampMs: 1_700_000_000_000 + (bytes[4]! << 16),
    bits,
    nonce: 0n,
  };
}

export function seededBlock(seed: string, bits: number): Block {
  return { header: seededHeader(seed, bits), txs: [] };
}

/** SHA-256d of the header bytes with `nonce` written at 84..91, by node:crypto. */
export function referenceHash(header: Uint8Array, nonce: bigint): Uint8Array {
  const bytes = Buffer.from(header);
  bytes.writeBigUInt64BE(nonce, 84);
  const once = createHash('sha256').update(bytes).digest();
  return new Uint8Array(createHash('sha256').update(once).digest());
}

export function headerBytes(header: BlockHeader): Uint8Array {
  return encodeHeader(header);
}

export const MAX_TARGET = new Uint8Array(32).fill(0xff);
export const ZERO_TARGET = new Uint8Array(32);
