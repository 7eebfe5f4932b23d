/**
 * Addresses: the 32-byte Ed25519 public key itself (as the tutorials say, "the address is the
 * public key"), written as bech32m (BIP-350) with the network's prefix, e.g. `tut1…` on the
 * tutorial network. The checksum catches any single mistyped character.
 */
import { bech32m } from '@scure/base';
import { toHex } from './bytes.js';
import { fail, ok, type Result } from './result.js';

/** The 32 characters bech32 writes 5-bit groups with (BIP-173). */
const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
/** Only those characters, in either case (one case only is checked apart). */
const BECH32_DATA = new RegExp(`^[${BECH32_CHARSET}]+$`, 'i');

/** Each character's 5-bit value in bech32 (either case), -1 for a character bech32 does not use. */
const BECH32_VALUE = Int8Array.from({ length: 128 }, (_, code) =>
  BECH32_CHARSET.indexOf(String.fromCharCode(code).toLowerCase()),
);
/** BIP-350: what bech32m's checksum leaves in the polymod. */
const BECH32M_CONST = 0x2bc830a3;
/** A 32-byte key is 52 five-bit words (its last 4 bits padding), then the 6-word checksum. */
const KEY_WORDS = 52;
const KEY_DATA_LENGTH = KEY_WORDS + 6;

/** One step of BIP-173's checksum polymod. */
function polymodStep(pre: number): number {
  const b = pre >> 25;
  return (
    ((pre & 0x1ffffff) << 5) ^
    (-(b & 1) & 0x3b6a57b2) ^
    (-((b >> 1) & 1) & 0x26508e6d) ^
    (-((b >> 2) & 1) & 0x1ea119fa) ^
    (-((b >> 3) & 1) & 0x3d4233dd) ^
    (-((b >> 4) & 1) & 0x2a1462b3)
  );
}

/**
 * The 32-byte key in the data part of a key's address (58 characters already found to be bech32
 * characters of one case), 'checksum' if the bech32m checksum fails, 'padding' if its last 4
 * bits are not zero. PERF: the checksum and the 5-to-8-bit conversion in one pass over the
 * characters, where @scure/base's decode builds arrays of words on the way: parseAddress of an
 * address not in its memo (a JSON transfer's fresh recipient) 8.3–8.4 → 3.9–4.8 µs (20,000
 * random keys, tsx, alternating with the code before, load 8). The same answers for every
 * such string: the tests compare them with @scure/base's.
 */
function decodeKeyData(prefix: string, data: string): Uint8Array | 'checksum' | 'padding' {
  let chk = 1;
  for (let i = 0; i < prefix.length; i++) chk = polymodStep(chk) ^ (prefix.charCodeAt(i) >> 5);
  chk = polymodStep(chk);
  for (let i = 0; i < prefix.length; i++) chk = polymodStep(chk) ^ (prefix.charCodeAt(i) & 31);
  const key = new Uint8Array(32);
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (let i = 0; i < KEY_DATA_LENGTH; i++) {
    const value = BECH32_VALUE[data.charCodeAt(i)]!;
    chk = polymodStep(chk) ^ value;
    if (i >= KEY_WORDS) continue;
    acc = ((acc << 5) | value) & 0x1fff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      key[at++] = (acc >> bits) & 0xff;
    }
  }
  if (chk !== BECH32M_CONST) return 'checksum';
  return (acc & ((1 << bits) - 1)) === 0 ? key : 'padding';
}

declare const addressBrand: unique symbol;
/** A checksum-valid address string; made only by encodeAddress or parseAddress. */
export type Address = string & { readonly [addressBrand]: true };

/**
 * Addresses already written, by prefix and key. PERF: bech32m costs 10–16 µs an address, and a
 * block's JSON view writes two a transfer (about 130 ms of bech32m for a full block's 6,368);
 * the same senders and recipients come back block after block. Measured side by side over
 * 1,000 keys cycling (load average 8.8): 3.2–3.8 µs an address with this memo, 3–4× less.
 * Bounded: cleared when full (ADDRESS_CACHE_SIZE entries, about 1 MB). A memo of a pure
 * function: nothing else changes.
 */
const ADDRESS_CACHE_SIZE = 8_192;
const written = new Map<string, Address>();

export function encodeAddress(publicKey: Uint8Array, prefix: string): Address {
  if (publicKey.length !== 32) throw new RangeError('a public key is 32 bytes');
  const key = prefix + toHex(publicKey);
  const known = written.get(key);
  if (known !== undefined) return known;
  const address = bech32m.encode(prefix, bech32m.toWords(publicKey)) as Address;
  if (written.size >= ADDRESS_CACHE_SIZE) written.clear();
  written.set(key, address);
  return address;
}

/**
 * Keys of addresses already read, by prefix and text. PERF: the bech32m decode (its checksum)
 * is most of a JSON transfer's parsing, and a sender's address comes back with every transfer
 * it submits. Reading a transfer's two addresses, 16 senders and fresh recipients (100,000 in
 * a loop, node 20, load 8–9, alternating with the code before): 14.3–17.2 µs → 9.3–11.5 µs,
 * this memo and the character check by one regular expression (it spread the string into an
 * array of characters). Valid addresses only; each answer is the caller's own copy. Cleared
 * when full, as `written` is.
 */
const read = new Map<string, Uint8Array>();

/** The public key inside an address, if it is a valid address of the network with `prefix`. */
export function parseAddress(text: string, prefix: string): Result<Uint8Array> {
  const memo = `${prefix} ${text}`;
  const known = read.get(memo);
  if (known !== undefined) return ok(Uint8Array.from(known));
  const parsed = decodeAddress(text, prefix);
  if (parsed.ok) {
    if (read.size >= ADDRESS_CACHE_SIZE) read.clear();
    read.set(memo, Uint8Array.from(parsed.value));
  }
  return parsed;
}

function decodeAddress(text: string, prefix: string): Result<Uint8Array> {
  const trimmed = text.trim();
  const separator = trimmed.lastIndexOf('1');
  if (separator < 1 || !/^[a-z0-9]+$/i.test(trimmed) || trimmed.length > 90) {
    return fail(
      'ADDRESS_MALFORMED',
      `"${text}" is not an address; expected ${prefix}1 followed by 58 characters`,
    );
  }
  const found = trimmed.slice(0, separator).toLowerCase();
  if (found !== prefix) {
    return fail(
      'ADDRESS_WRONG_NETWORK',
      `"${text}" is a ${found}1… address; this network's start with ${prefix}1`,
    );
  }
  const data = trimmed.slice(separator + 1);
  const mixedCase = trimmed !== trimmed.toLowerCase() && trimmed !== trimmed.toUpperCase();
  if (mixedCase || data.length < 6 || !BECH32_DATA.test(data)) {
    return fail(
      'ADDRESS_MALFORMED',
      `"${text}" is not bech32m: one case only, and after ${prefix}1 only the characters ${BECH32_CHARSET}`,
    );
  }
  if (data.length === KEY_DATA_LENGTH) {
    const key = decodeKeyData(found, data);
    if (key === 'checksum') return badChecksum(text);
    return key === 'padding' ? notAKey(text) : ok(key);
  }
  // Well-formed, so a failure to decode can only be the checksum.
  const decoded = bech32m.decodeUnsafe(trimmed);
  if (!decoded) return badChecksum(text);
  const bytes = bech32m.fromWordsUnsafe(decoded.words);
  if (bytes === undefined || bytes.length !== 32) return notAKey(text);
  return ok(Uint8Array.from(bytes));
}

const badChecksum = (text: string) =>
  fail('ADDRESS_BAD_CHECKSUM', `"${text}" has a bad checksum: check it for a mistyped character`);

const notAKey = (text: string) =>
  fail('ADDRESS_MALFORMED', `"${text}" does not hold a 32-byte public key`);
