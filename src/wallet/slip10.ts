/**
 * SLIP-0010 key derivation for Ed25519: a BIP-32 tree in which every step is hardened, because
 * Ed25519 has no public-key arithmetic to derive unhardened children with.
 *
 *   master:  I = HMAC-SHA512(key = "ed25519 seed", data = seed);       key = I[0..32), chain = I[32..64)
 *   child i: I = HMAC-SHA512(key = chain, data = 0x00 ‖ key ‖ ser32(2^31 + i))
 *
 * blockyard's accounts sit at m/44'/1'/0'/0'/i' (BIP-44 shape; coin type 1 is SLIP-44's "any
 * test network", which a learning chain is).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

export const HARDENED = 0x8000_0000;
const MASTER_KEY = utf8ToBytes('ed25519 seed');

export interface ExtendedKey {
  /** The 32-byte Ed25519 secret key (RFC 8032 seed) of this node of the tree. */
  readonly secretKey: Uint8Array;
  readonly chainCode: Uint8Array;
}

export function masterKey(seed: Uint8Array): ExtendedKey {
  const i = hmac(sha512, MASTER_KEY, seed);
  return { secretKey: i.slice(0, 32), chainCode: i.slice(32) };
}

/** The hardened child `index` (0 ≤ index < 2^31) of `parent`. */
export function childKey(parent: ExtendedKey, index: number): ExtendedKey {
  if (!Number.isInteger(index) || index < 0 || index >= HARDENED) {
    throw new RangeError(`a child index is an integer in [0, 2^31), got ${index}`);
  }
  const data = new Uint8Array(37);
  data.set(parent.secretKey, 1);
  new DataView(data.buffer).setUint32(33, HARDENED + index);
  const i = hmac(sha512, parent.chainCode, data);
  return { secretKey: i.slice(0, 32), chainCode: i.slice(32) };
}

/** "m/44'/1'/0'" → [44, 1, 0]. Every step must be hardened (a trailing ' or h). */
export function parsePath(path: string): number[] {
  const parts = path.split('/');
  if (parts[0] !== 'm') throw new RangeError(`a path starts with m/, got "${path}"`);
  return parts.slice(1).map((part) => {
    const match = /^(\d{1,10})['h]$/.exec(part);
    const index = match ? Number(match[1]) : Number.NaN;
    if (!(index < HARDENED)) {
      throw new RangeError(`"${part}" in "${path}" is not a hardened index such as 0'`);
    }
    return index;
  });
}

export function deriveKey(seed: Uint8Array, path: string): ExtendedKey {
  return parsePath(path).reduce(childKey, masterKey(seed));
}

/** The path of account `index` of a blockyard wallet. */
export function accountPath(index: number): string {
  return `m/44'/1'/0'/0'/${index}'`;
}
