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
/** As BECH32_VALUE, lower case only (an address as encodeAddress writes it). */
const BECH32_LOWER_VALUE = Int8Array.from({ length: 128 }, (_, code) =>
  BECH32_CHARSET.indexOf(String.fromCharCode(code)),
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
 * The 32-byte key in the data part of a key's address (58 characters of `data` from `start`),
 * 'character' if one of them is not in `values` (bech32's characters, of either case unless
 * given), 'checksum' if the bech32m checksum fails, 'padding' if its last 4 bits are not zero. PERF: the checksum and the 5-to-8-bit conversion in one pass over the
 * characters, where @scure/base's decode builds arrays of words on the way: parseAddress of an
 * address not in its memo (a JSON transfer's fresh recipient) 8.3–8.4 → 3.9–4.8 µs (20,000
 * random keys, tsx, alternating with the code before, load 8). The same answers for every
 * such string: the tests compare them with @scure/base's.
 */
function decodeKeyData(
  prefix: string,
  data: string,
  start = 0,
  values = BECH32_VALUE,
): Uint8Array | 'checksum' | 'padding' | 'character' {
  let chk = 1;
  for (let i = 0; i < prefix.length; i++) chk = polymodStep(chk) ^ (prefix.charCodeAt(i) >> 5);
  chk = polymodStep(chk);
  for (let i = 0; i < prefix.length; i++) chk = polymodStep(chk) ^ (prefix.charCodeAt(i) & 31);
  const key = new Uint8Array(32);
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (let i = 0; i < KEY_DATA_LENGTH; i++) {
    const value = values[data.charCodeAt(start + i)] ?? -1;
    if (value < 0) return 'character';
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
 * Keys of addresses already read, by prefix and text, for text not in the written form
 * (readWritten reads that faster than a lookup). PERF: the bech32m decode (its checksum)
 * is most of a JSON transfer's parsing, and a sender's address comes back with every transfer
 * it submits. Reading a transfer's two addresses, 16 senders and fresh recipients (100,000 in
 * a loop, node 20, load 8–9, alternating with the code before): 14.3–17.2 µs → 9.3–11.5 µs,
 * this memo and the character check by one regular expression (it spread the string into an
 * array of characters). Valid addresses only; each answer is the caller's own copy. Cleared
 * when full, as `written` is.
 */
const read = new Map<string, Network>();

/** A prefix's memo, and whether its addresses can be read in one pass (readWritten). */
interface Network {
  readonly keys: Map<string, Uint8Array>;
  readonly plain: boolean;
}

/** The public key inside an address, if it is a valid address of the network with `prefix`. */
export function parseAddress(text: string, prefix: string): Result<Uint8Array> {
  let network = read.get(prefix);
  if (network === undefined) {
    const plain = /^[a-z0-9]+$/.test(prefix) && prefix.length + 1 + KEY_DATA_LENGTH <= 90;
    network = { keys: new Map(), plain };
    read.set(prefix, network);
  }
  const written = network.plain ? readWritten(text, prefix) : undefined;
  if (written !== undefined) return written;
  const known = network.keys.get(text);
  if (known !== undefined) return ok(Uint8Array.from(known));
  const parsed = decodeAddress(text, prefix);
  if (parsed.ok) {
    if (network.keys.size >= ADDRESS_CACHE_SIZE) network.keys.clear();
    network.keys.set(text, Uint8Array.from(parsed.value));
  }
  return parsed;
}

/**
 * An address as encodeAddress writes it (`prefix`, "1", 58 lower-case bech32 characters) read in
 * one pass, or undefined for any other text, which decodeAddress reads (and names what is wrong
 * with it). The same answer as decodeAddress for such text: decodeAddress's checks all pass
 * (no space to trim, one case, bech32's characters after the only "1" after the prefix, which
 * parseAddress checked is lower-case letters and digits), and then it reads the key the same way.
 * PERF: decodeAddress trims, tests the text twice by regular expressions, slices it and makes
 * lower- and upper-case copies of it before it reads the characters; and the memo's key was a
 * string `${prefix} ${text}` built and hashed on every call, and held every fresh recipient.
 * A JSON transfer's two addresses as bench intake sends them (16 senders, a fresh recipient
 * each), the code before and this alternated in one process, 8 rounds of 40,000 (a loop under
 * tsx, load 11–16), CPU a transfer, medians: 3.5 → 1.5 µs (2.95–4.15 → 1.26–2.05); behind a
 * memo by prefix and text it was 2.0–2.2 µs (alternated with this three times). Of a JSON
 * transfer's ≈ 9 µs of parsing against {hex}'s 2.5 µs.
 */
function readWritten(text: string, prefix: string): Result<Uint8Array> | undefined {
  if (text.length !== prefix.length + 1 + KEY_DATA_LENGTH || !text.startsWith(prefix)) return;
  if (text.charCodeAt(prefix.length) !== 0x31) return; // "1"
  const key = decodeKeyData(prefix, text, prefix.length + 1, BECH32_LOWER_VALUE);
  if (key === 'character') return undefined;
  if (key === 'checksum') return badChecksum(text);
  return key === 'padding' ? notAKey(text) : ok(key);
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
    if (key === 'checksum' || key === 'character') return badChecksum(text); // none: tested above
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
