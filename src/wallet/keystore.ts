/**
 * The keystore: a wallet's mnemonic encrypted under a password, as one JSON file. The same file
 * is written by `blockyard wallet` and downloaded by the browser wallet, and each opens the
 * other's. Layout (version 1):
 *
 *   {
 *     "blockyard_keystore": 1,
 *     "name": "alice",                          label, not encrypted, not authenticated
 *     "accounts": 1,                            how many addresses the owner uses (0, 1, … at m/44'/1'/0'/0'/i')
 *     "created_at": "2026-11-21T10:00:00.000Z",
 *     "kdf": { "name": "scrypt", "n": 131072, "r": 8, "p": 1, "salt": "<32 bytes hex>" },
 *     "cipher": { "name": "aes-256-gcm", "iv": "<12 bytes hex>" },
 *     "ciphertext": "<hex: AES-256-GCM of the UTF-8 mnemonic, then its 16-byte tag>"
 *   }
 *
 * key = scrypt(password (UTF-8, NFKD), salt, n, r, p, 32 bytes). The additional authenticated
 * data is the UTF-8 of `blockyard-keystore/1 scrypt <n> <r> <p> <salt> aes-256-gcm <iv>`, so a
 * file whose parameters were edited fails to open instead of opening to garbage. A wrong
 * password fails the GCM tag: WALLET_BAD_PASSWORD.
 *
 * SECURITY: scrypt n = 2^17 costs about 0.5 s in JavaScript on this machine (measured: noble
 * 492 ms, node:crypto 285 ms), which is what a guess costs an attacker holding the file too.
 * The plaintext never leaves the process that typed the password.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { fail, ok, type Result } from '../core/result.js';
import { parseMnemonic } from './mnemonic.js';

export const KEYSTORE_VERSION = 1;
export const DEFAULT_SCRYPT = { n: 2 ** 17, r: 8, p: 1 } as const;
export const MIN_PASSWORD_LENGTH = 8;

export interface Keystore {
  blockyard_keystore: 1;
  name: string;
  accounts: number;
  created_at: string;
  kdf: { name: 'scrypt'; n: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; iv: string };
  ciphertext: string;
}

export interface SealOptions {
  name: string;
  mnemonic: string;
  password: string;
  createdAt: Date;
  /** Random bytes: 44 of them are taken (32 salt, 12 iv). */
  random: (length: number) => Uint8Array;
  accounts?: number;
  scrypt?: { n: number; r: number; p: number };
}

/** Randomness from the platform (Node 20 and every browser have Web Crypto). */
export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

export function checkPassword(password: string): Result {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return fail(
      'WALLET_WEAK_PASSWORD',
      `use a password of at least ${MIN_PASSWORD_LENGTH} characters; it is all that protects the keys in the file`,
    );
  }
  return ok();
}

export async function sealKeystore(options: SealOptions): Promise<Keystore> {
  const { n, r, p } = options.scrypt ?? DEFAULT_SCRYPT;
  const kdf = { name: 'scrypt' as const, n, r, p, salt: bytesToHex(options.random(32)) };
  const cipher = { name: 'aes-256-gcm' as const, iv: bytesToHex(options.random(12)) };
  const key = await deriveKey(options.password, kdf);
  const sealed = gcm(key, hexToBytes(cipher.iv), associatedData(kdf, cipher)).encrypt(
    utf8ToBytes(options.mnemonic),
  );
  const keystore: Keystore = {
    blockyard_keystore: KEYSTORE_VERSION,
    name: options.name,
    accounts: options.accounts ?? 1,
    created_at: options.createdAt.toISOString(),
    kdf,
    cipher,
    ciphertext: bytesToHex(sealed),
  };
  // What this writes, its own reader must open: a bad name or bound is the caller's bug.
  const checked = parseKeystore(keystore);
  if (!checked.ok) throw new RangeError(checked.detail);
  return keystore;
}

/** The mnemonic inside, or WALLET_BAD_PASSWORD when the password (or the file) is wrong. */
export async function openKeystore(keystore: Keystore, password: string): Promise<Result<string>> {
  // SECURITY: the bounds again, in case the object did not come through parseKeystore: scrypt
  // with a crafted n would allocate what the file asks for before the tag could fail.
  const checked = parseKeystore(keystore);
  if (!checked.ok) return checked;
  const key = await deriveKey(password, keystore.kdf);
  let plain: Uint8Array;
  try {
    plain = gcm(
      key,
      hexToBytes(keystore.cipher.iv),
      associatedData(keystore.kdf, keystore.cipher),
    ).decrypt(hexToBytes(keystore.ciphertext));
  } catch {
    return fail(
      'WALLET_BAD_PASSWORD',
      `wrong password for wallet "${keystore.name}" (or the file was changed)`,
    );
  }
  const mnemonic = parseMnemonic(new TextDecoder().decode(plain));
  return mnemonic.ok
    ? mnemonic
    : fail('WALLET_BAD_KEYSTORE', 'the keystore opened but does not hold a valid mnemonic');
}

const HEX = (bytes: number) => new RegExp(`^[0-9a-f]{${bytes * 2}}$`);

/** A keystore from untrusted JSON (a file, the browser's storage), with every field checked. */
export function parseKeystore(json: unknown): Result<Keystore> {
  const bad = (why: string) => fail('WALLET_BAD_KEYSTORE', `not a blockyard keystore: ${why}`);
  if (typeof json !== 'object' || json === null) return bad('expected a JSON object');
  const k = json as Partial<Keystore>;
  if (k.blockyard_keystore !== KEYSTORE_VERSION) {
    return bad(`"blockyard_keystore" must be ${KEYSTORE_VERSION}`);
  }
  if (typeof k.name !== 'string' || k.name.length === 0 || k.name.length > 64) {
    return bad('"name" must be a string of 1 to 64 characters');
  }
  if (!Number.isInteger(k.accounts) || k.accounts! < 0 || k.accounts! > 1000) {
    return bad('"accounts" must be an integer from 0 to 1000');
  }
  if (typeof k.created_at !== 'string') return bad('"created_at" must be a string');
  const kdf = k.kdf;
  if (kdf?.name !== 'scrypt' || typeof kdf.salt !== 'string' || !HEX(32).test(kdf.salt)) {
    return bad('"kdf" must be scrypt with a 32-byte hex salt');
  }
  // SECURITY: bounds on n, r, p stop a crafted file from asking for gigabytes of memory.
  const powerOfTwo = Number.isInteger(kdf.n) && kdf.n >= 2 ** 10 && (kdf.n & (kdf.n - 1)) === 0;
  const pOk = Number.isInteger(kdf.p) && kdf.p >= 1 && kdf.p <= 4;
  if (!powerOfTwo || kdf.n > 2 ** 18 || kdf.r !== 8 || !pOk) {
    return bad('"kdf" needs n a power of two in [2^10, 2^18], r = 8 and p in [1, 4]');
  }
  const iv = k.cipher?.iv;
  if (k.cipher?.name !== 'aes-256-gcm' || typeof iv !== 'string' || !HEX(12).test(iv)) {
    return bad('"cipher" must be aes-256-gcm with a 12-byte hex iv');
  }
  if (typeof k.ciphertext !== 'string' || !/^([0-9a-f]{2}){17,512}$/.test(k.ciphertext)) {
    return bad('"ciphertext" must be hex');
  }
  return ok({
    blockyard_keystore: KEYSTORE_VERSION,
    name: k.name,
    accounts: k.accounts!,
    created_at: k.created_at,
    kdf: { name: 'scrypt', n: kdf.n, r: kdf.r, p: kdf.p, salt: kdf.salt },
    cipher: { name: 'aes-256-gcm', iv },
    ciphertext: k.ciphertext,
  });
}

function deriveKey(password: string, kdf: Keystore['kdf']): Promise<Uint8Array> {
  return scryptAsync(utf8ToBytes(password.normalize('NFKD')), hexToBytes(kdf.salt), {
    N: kdf.n,
    r: kdf.r,
    p: kdf.p,
    dkLen: 32,
    maxmem: 2 ** 31,
  });
}

function associatedData(kdf: Keystore['kdf'], cipher: Keystore['cipher']): Uint8Array {
  return utf8ToBytes(
    `blockyard-keystore/1 scrypt ${kdf.n} ${kdf.r} ${kdf.p} ${kdf.salt} aes-256-gcm ${cipher.iv}`,
  );
}
