/**
 * BIP-39 mnemonics (English word list): 12 words carry 128 bits of entropy and a checksum. The
 * seed is PBKDF2-HMAC-SHA512 of the words with the empty passphrase, as every BIP-39 wallet does.
 */
import {
  entropyToMnemonic,
  mnemonicToSeedSync,
  validateMnemonic as scureValidate,
} from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { fail, ok, type Result } from '../core/result.js';

/** 16 random bytes → 12 words. Randomness comes from the caller (see randomBytes in keystore.ts). */
export function mnemonicFromEntropy(entropy: Uint8Array): string {
  return entropyToMnemonic(entropy, wordlist);
}

/** Words as a person typed them: any case, any spacing. Checked against the list and checksum. */
export function parseMnemonic(text: string): Result<string> {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (![12, 15, 18, 21, 24].includes(words.length)) {
    return fail(
      'WALLET_BAD_MNEMONIC',
      `a mnemonic has 12, 15, 18, 21 or 24 words; this one has ${words.length}`,
    );
  }
  const unknown = words.filter((w) => !wordlist.includes(w));
  if (unknown.length > 0) {
    return fail(
      'WALLET_BAD_MNEMONIC',
      `not in the BIP-39 English word list: ${unknown.map((w) => `"${w}"`).join(', ')}`,
    );
  }
  const mnemonic = words.join(' ');
  if (!scureValidate(mnemonic, wordlist)) {
    return fail(
      'WALLET_BAD_MNEMONIC',
      'the words are all valid but their checksum is not: a word is wrong or out of order',
    );
  }
  return ok(mnemonic);
}

export function seedFromMnemonic(mnemonic: string): Uint8Array {
  return mnemonicToSeedSync(mnemonic, '');
}
