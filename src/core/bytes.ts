import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export { concatBytes, utf8ToBytes };

/** Each byte's two hex digits as character codes, at 2 × the byte and the next index. */
const HEX_CODES = Uint8Array.from({ length: 512 }, (_, i) =>
  (i >> 1)
    .toString(16)
    .padStart(2, '0')
    .charCodeAt(i & 1),
);
const ascii = new TextDecoder();

/**
 * Lower-case hex. PERF: written as character codes and decoded once, the text is one flat
 * string. @noble/hashes' bytesToHex added two digits at a time, and V8 keeps such a string as a
 * tree of pieces (a ConsString): every Map lookup that found an id or a key made of it compared
 * the pieces one character at a time (String::SlowEquals, ConsString::Get): 12 % of the main
 * thread's CPU on single POST /api/tx (perf record on bench intake's node, load 6), the
 * mempool's decisions reading its maps by idHex and senderHex. A conversion and three lookups
 * of a 32-byte key: 3.0–5.5 µs → 0.4–1.2 µs (20,000 keys, tsx, load 6).
 */
export function toHex(bytes: Uint8Array): string {
  const codes = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    const at = bytes[i]! * 2;
    codes[2 * i] = HEX_CODES[at]!;
    codes[2 * i + 1] = HEX_CODES[at + 1]!;
  }
  return ascii.decode(codes);
}

/** Each ASCII character's value as a hex digit, -1 if it is not one. */
const HEX_DIGIT = Int8Array.from({ length: 128 }, (_, code) => {
  const c = String.fromCharCode(code);
  return /[0-9a-fA-F]/.test(c) ? Number.parseInt(c, 16) : -1;
});

/**
 * Lower- or upper-case hex of an exact byte length; anything else is `undefined`.
 * PERF: one pass over a table, where a regular expression then @noble/hashes' hexToBytes read
 * the text twice: 14–22 µs → ≈ 2 µs for a transfer's 314 characters (tsx, load 5), which
 * every POST /api/tx {hex} and every hex transfer of a batch pays.
 */
export function parseHex(hex: string, byteLength?: number): Uint8Array | undefined {
  if (hex.length % 2 !== 0) return undefined;
  if (byteLength !== undefined && hex.length !== byteLength * 2) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    // A character beyond ASCII reads undefined from the table: not a digit.
    const high = HEX_DIGIT[hex.charCodeAt(2 * i)] ?? -1;
    const low = HEX_DIGIT[hex.charCodeAt(2 * i + 1)] ?? -1;
    if ((high | low) < 0) return undefined;
    bytes[i] = (high << 4) | low;
  }
  return bytes;
}

/** Hex that is known to be valid (constants, vectors); throws otherwise. */
export function fromHex(hex: string): Uint8Array {
  const bytes = parseHex(hex);
  if (bytes === undefined) throw new Error(`invalid hex: ${hex.slice(0, 20)}`);
  return bytes;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Compare as unsigned big-endian numbers of equal length. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`);
}

export function bigIntToBytes(value: bigint, byteLength: number): Uint8Array {
  if (value < 0n || value >= 1n << BigInt(8 * byteLength)) {
    throw new RangeError(`${value} does not fit in ${byteLength} bytes`);
  }
  return fromHex(value.toString(16).padStart(byteLength * 2, '0'));
}
