/**
 * A wallet's accounts: account i is the Ed25519 key at m/44'/1'/0'/0'/i' of the mnemonic's seed,
 * and its address is that key's public half with the network's prefix.
 */
import { type Address, encodeAddress } from '../core/address.js';
import { publicKeyFromSecret } from '../core/nobleEd25519.js';
import { seedFromMnemonic } from './mnemonic.js';
import { accountPath, deriveKey } from './slip10.js';

export interface Account {
  readonly index: number;
  readonly path: string;
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** Accounts of one mnemonic; the seed is computed once (PBKDF2 with 2,048 rounds is slow in JS). */
export function accountsOf(mnemonic: string): (index: number) => Account {
  const seed = seedFromMnemonic(mnemonic);
  return (index) => {
    const path = accountPath(index);
    const { secretKey } = deriveKey(seed, path);
    return { index, path, secretKey, publicKey: publicKeyFromSecret(secretKey) };
  };
}

export function accountAddress(account: Account, addressPrefix: string): Address {
  return encodeAddress(account.publicKey, addressPrefix);
}
