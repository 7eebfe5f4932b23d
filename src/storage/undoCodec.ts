/**
 * A block's undo data as the SQLite store keeps it (undo.diff, sqliteSchema.ts): the accounts the
 * block changed, as they were before it (`null`: did not exist). Never part of consensus.
 *
 * Layout (a BLOB), written by encodeUndo:
 *
 *   0x01                                  the layout's version
 *   then per account, in the diff's order:
 *     key        32 bytes                 the public key (the diff's key, lower-case hex)
 *     present    1 byte                   0: the account did not exist (nothing follows)
 *                                         1: it did, and these follow:
 *     balance    varint                   unsigned LEB128, 7 bits a byte, low bits first
 *     nonce      varint
 *     locks      varint                   how many coinbase locks, then each:
 *       maturesAt  varint
 *       amount     varint
 *
 * Older files hold JSON text (accountCodec.ts's encodeDiff): decodeUndo reads both, told apart by
 * SQLite's type (a BLOB comes back as a Buffer, TEXT as a string). A diff this layout cannot hold
 * (a key that is not 32 bytes of lower-case hex, a negative or huge number) is written as that
 * text still.
 * PERF: the text was JSON.stringify of every changed account's key in hex and its numbers as
 * decimal strings, 1,038,079 bytes for a full block's undo (6,368 senders, 6,369 new recipients),
 * then made UTF-8 again by the binding, in one SQL value written to the WAL at each connect; this
 * layout is 452,170 bytes of it. The connect's SQL parts alone (a /tmp split of connectRows, fresh
 * store, this thread, load 10-14, 2 runs each): encode + put 0.9-1.3 + 1.3-2.7 → 1.1-1.6 + 0-0.5
 * µs a transfer. Chain.addBlock of full blocks, integ's build against this one fed the same blocks
 * alternately (`npx tsx bench/lib/connectAlternate.ts OLD NEW 3 0`, then `… 2 60`), this
 * thread's CPU a transfer: fresh stores, 3 rounds of 6 at load 17, median ratio 0.950, lower in
 * 14 of 18 (medians 27.7 → 25.0 µs); stores grown as 60 full blocks, 2 rounds at load 16, 0.967,
 * lower in 8 of 12 (42.0 → 39.9 µs), again 0.931, lower in 10 of 12 (45.9 → 40.7 µs). With
 * the locks' room counted first, at load 18-19: fresh 1.022 (8 of 18: noise), 0.945 (14 of 18);
 * grown 0.950 (7 of 12). The process's CPU, the same runs: fresh 0.970, 1.010, 0.975; grown
 * 0.997, 0.953, 0.994. Decoding (a disconnect) takes what JSON.parse did: 7.4 against 7.7 ms a
 * full block's (fastest of 30, tsx, load 14).
 */
import { type Account, type CoinbaseLock, type StateDiff, toHex } from '../core/index.js';
import { decodeDiff, encodeDiff } from './accountCodec.js';

const VERSION = 1;
const KEY_BYTES = 32;
/** A varint holds numbers below 2^70 here (10 bytes): far above any balance, nonce or height. */
const MAX_VARINT_BYTES = 10;
const VARINT_LIMIT = 1n << 70n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** Each character code's value as a lower-case hex digit, -1 for any other. */
const HEX_DIGITS = new Int8Array(128).fill(-1);
for (let d = 0; d < 16; d++) HEX_DIGITS['0123456789abcdef'.charCodeAt(d)] = d;

/**
 * Writes `key`, 32 bytes in lower-case hex as toHex makes them, at `at`; false for any other key
 * (nothing then is of use). PERF: a loop over a table, not Buffer#write's hex (a call into its
 * binding a key, 12,737 a full block): encodeUndo of a full block's undo 15-21 → 6-12 ms (tsx,
 * means of 20, load 14), and this checks the key's case, which Buffer#write does not.
 */
function writeKey(out: Buffer, at: number, key: string): boolean {
  if (key.length !== 2 * KEY_BYTES) return false;
  for (let i = 0; i < KEY_BYTES; i++) {
    const high = HEX_DIGITS[key.charCodeAt(2 * i)] ?? -1;
    const low = HEX_DIGITS[key.charCodeAt(2 * i + 1)] ?? -1;
    if ((high | low) < 0) return false;
    out[at + i] = (high << 4) | low;
  }
  return true;
}

/** The stored form of `diff`: this file's layout, or encodeDiff's text if it cannot hold it. */
export function encodeUndo(diff: StateDiff): Buffer | string {
  let locks = 0;
  for (const account of diff.values()) locks += account?.locks.length ?? 0;
  const out = Buffer.allocUnsafe(
    1 + diff.size * (KEY_BYTES + 1 + 3 * MAX_VARINT_BYTES) + locks * 2 * MAX_VARINT_BYTES,
  );
  out[0] = VERSION;
  let at = 1;
  /** Writes `value` (false: it is negative or too big for this layout). */
  const varint = (value: bigint | number): boolean => {
    if (typeof value === 'bigint') {
      if (value < 0n || value >= VARINT_LIMIT) return false;
      if (value > MAX_SAFE) {
        let rest = value;
        while (rest >= 0x80n) {
          out[at++] = Number(rest & 0x7fn) | 0x80;
          rest >>= 7n;
        }
        out[at++] = Number(rest);
        return true;
      }
      value = Number(value);
    } else if (!Number.isSafeInteger(value) || value < 0) return false;
    while (value >= 0x80) {
      out[at++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    out[at++] = value;
    return true;
  };
  for (const [key, account] of diff) {
    if (!writeKey(out, at, key)) return encodeDiff(diff);
    at += KEY_BYTES;
    if (account === null) {
      out[at++] = 0;
      continue;
    }
    out[at++] = 1;
    if (!varint(account.balance) || !varint(account.nonce) || !varint(account.locks.length))
      return encodeDiff(diff);
    for (const lock of account.locks)
      if (!varint(lock.maturesAt) || !varint(lock.amount)) return encodeDiff(diff);
  }
  return out.subarray(0, at);
}

/** The diff `stored` holds: encodeUndo's layout (a Buffer) or an older file's JSON text. */
export function decodeUndo(stored: Uint8Array | string): Map<string, Account | null> {
  if (typeof stored === 'string') return decodeDiff(stored);
  if (stored[0] !== VERSION) throw new Error(`undo data of an unknown layout (${stored[0]})`);
  const diff = new Map<string, Account | null>();
  let at = 1;
  const byte = (): number => {
    if (at >= stored.length) throw new Error('undo data cut short');
    return stored[at++]!;
  };
  const varint = (): bigint => {
    // The first 7 bytes (49 bits) as a number, exactly; the rest, if any, as a bigint.
    let low = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const b = byte();
      if (i < 7) low += (b & 0x7f) * scale;
      else return bigTail(BigInt(low), b, i);
      if (b < 0x80) return BigInt(low);
      scale *= 0x80;
    }
    throw new Error('undo data holds a varint too long');
  };
  /** The rest of a varint from its byte `i` (`b`, read), above the `low` bits read. */
  const bigTail = (low: bigint, b: number, i: number): bigint => {
    let value = low;
    for (let shift = BigInt(7 * i); ; shift += 7n) {
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return value;
      if (++i >= MAX_VARINT_BYTES) throw new Error('undo data holds a varint too long');
      b = byte();
    }
  };
  while (at < stored.length) {
    if (at + KEY_BYTES > stored.length) throw new Error('undo data cut short');
    const key = toHex(stored.subarray(at, at + KEY_BYTES));
    at += KEY_BYTES;
    const present = byte();
    if (present === 0) {
      diff.set(key, null);
      continue;
    }
    if (present !== 1) throw new Error(`undo data of an unknown layout (account tag ${present})`);
    const balance = varint();
    const nonce = varint();
    const count = Number(varint());
    const locks: CoinbaseLock[] = [];
    for (let i = 0; i < count; i++) {
      const maturesAt = Number(varint());
      locks.push({ maturesAt, amount: varint() });
    }
    diff.set(key, { balance, nonce, locks });
  }
  return diff;
}
