/**
 * Targets and proof of work. A block's hash, read as a 256-bit big-endian number, must be at most
 * the target its header declares in compact "bits" form — the encoding Bitcoin uses for nBits:
 *
 *   bits = exponent (1 byte) << 24 | mantissa (3 bytes)
 *   target = mantissa * 256^(exponent - 3)
 *
 * Bit 0x00800000 is a sign bit; a negative, zero or overflowing target is invalid, and so is any
 * bits value that is not the one canonical encoding of its target (CONSENSUS: otherwise two
 * headers with the same target would hash differently).
 */
import { bytesToBigInt } from './bytes.js';
import { fail, ok, type Result } from './result.js';

const MAX_TARGET = (1n << 256n) - 1n;

export interface DecodedBits {
  readonly target: bigint;
  readonly negative: boolean;
  readonly overflow: boolean;
}

export function decodeBits(bits: number): DecodedBits {
  const exponent = bits >>> 24;
  let mantissa = bits & 0x007fffff;
  if (exponent <= 3) mantissa >>>= 8 * (3 - exponent);
  const target = exponent <= 3 ? BigInt(mantissa) : BigInt(mantissa) << BigInt(8 * (exponent - 3));
  // As Bitcoin Core's SetCompact: the sign bit counts only if the (shifted) mantissa is not zero.
  const negative = mantissa !== 0 && (bits & 0x00800000) !== 0;
  const overflow =
    mantissa !== 0 &&
    (exponent > 34 || (mantissa > 0xff && exponent > 33) || (mantissa > 0xffff && exponent > 32));
  return { target, negative, overflow };
}

/** The canonical compact form of a target, rounding down to 3 significant bytes. */
export function encodeBits(target: bigint): number {
  if (target < 0n || target > MAX_TARGET) throw new RangeError('target out of range');
  let size = byteLength(target);
  let mantissa =
    size <= 3 ? Number(target) << (8 * (3 - size)) : Number(target >> BigInt(8 * (size - 3)));
  if (mantissa & 0x00800000) {
    mantissa >>>= 8;
    size += 1;
  }
  return ((size << 24) | mantissa) >>> 0;
}

function byteLength(value: bigint): number {
  return value === 0n ? 0 : Math.ceil(value.toString(16).length / 2);
}

/** The target of a well-formed, canonical bits value that is no easier than `powLimitBits`. */
export function targetFromBits(bits: number, powLimitBits: number): Result<bigint> {
  const { target, negative, overflow } = decodeBits(bits);
  const hex = `0x${bits.toString(16).padStart(8, '0')}`;
  if (negative) return fail('POW_BAD_BITS', `bits ${hex} encode a negative target`);
  if (overflow) return fail('POW_BAD_BITS', `bits ${hex} overflow 256 bits`);
  if (target === 0n) return fail('POW_BAD_BITS', `bits ${hex} encode a zero target`);
  if (encodeBits(target) !== bits) {
    return fail(
      'POW_BAD_BITS',
      `bits ${hex} are not canonical; the target encodes as 0x${encodeBits(target).toString(16)}`,
    );
  }
  if (target > decodeBits(powLimitBits).target) {
    return fail('POW_BAD_BITS', `bits ${hex} are easier than the network's limit`);
  }
  return ok(target);
}

export function hashMeetsTarget(hash: Uint8Array, target: bigint): boolean {
  return bytesToBigInt(hash) <= target;
}

/** Expected number of hashes to find a block at this target: 2^256 / (target + 1). */
export function workFromTarget(target: bigint): bigint {
  return (1n << 256n) / (target + 1n);
}

/** The work of a block with these bits; 0 for bits that encode no valid target (as Bitcoin's GetBlockProof). */
export function workFromBits(bits: number): bigint {
  const { target, negative, overflow } = decodeBits(bits);
  return negative || overflow || target === 0n ? 0n : workFromTarget(target);
}
