/** Little-endian integers as Ed25519 encodes scalars and field elements (the Ed25519 tests). */

/** `value` as 32 little-endian bytes. */
export function le32(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0, v = value; i < 32; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/** Little-endian `bytes` as an integer. */
export function leToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}
