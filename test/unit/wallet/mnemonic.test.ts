/**
 * BIP-39 against trezor's official English vectors (trezor/python-mnemonic, vectors.json, as BIP-39 links them: entropy,
 * mnemonic, seed with the passphrase "TREZOR"). blockyard's seed uses the empty passphrase, so the
 * vectors check the words both ways, and node:crypto's PBKDF2 checks that a seed is
 * PBKDF2-HMAC-SHA512(words, "mnemonic" + passphrase, 2048): with "TREZOR" against the vectors, and
 * with "" against seedFromMnemonic. Then parseMnemonic: what a person may type, and what it refuses.
 */
import { pbkdf2Sync } from 'node:crypto';
import { mnemonicToSeedSync } from '@scure/bip39';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/index.js';
import { mnemonicFromEntropy, parseMnemonic, seedFromMnemonic } from '../../../src/wallet/index.js';

/** [entropy, mnemonic, seed with passphrase "TREZOR"], from trezor's vectors.json ("english"). */
const TREZOR: readonly [string, string, string][] = [
  [
    '00000000000000000000000000000000',
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    'c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04',
  ],
  [
    '7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f',
    'legal winner thank year wave sausage worth useful legal winner thank yellow',
    '2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607',
  ],
  [
    'ffffffffffffffffffffffffffffffff',
    'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
    'ac27495480225222079d7be181583751e86f571027b0497b5b5d11218e0a8a13332572917f0f8e5a589620c6f15b11c61dee327651a14c34e18231052e48c069',
  ],
  [
    '808080808080808080808080808080808080808080808080',
    'letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter always',
    '107d7c02a5aa6f38c58083ff74f04c607c2d2c0ecc55501dadd72d025b751bc27fe913ffb796f841c49b1d33b610cf0e91d3aa239027f5e99fe4ce9e5088cd65',
  ],
  [
    '8080808080808080808080808080808080808080808080808080808080808080',
    'letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless',
    'c0c519bd0e91a2ed54357d9d1ebef6f5af218a153624cf4f2da911a0ed8f7a09e2ef61af0aca007096df430022f7a2b6fb91661a9589097069720d015e4e982f',
  ],
  [
    '9e885d952ad362caeb4efe34a8e91bd2',
    'ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic',
    '274ddc525802f7c828d8ef7ddbcdc5304e87ac3535913611fbbfa986d0c9e5476c91689f9c8a54fd55bd38606aa6a8595ad213d4c9c9f9aca3fb217069a41028',
  ],
  [
    '6610b25967cdcca9d59875f5cb50b0ea75433311869e930b',
    'gravity machine north sort system female filter attitude volume fold club stay feature office ecology stable narrow fog',
    '628c3827a8823298ee685db84f55caa34b5cc195a778e52d45f59bcf75aba68e4d7590e101dc414bc1bbd5737666fbbef35d1f1903953b66624f910feef245ac',
  ],
  [
    '68a79eaca2324873eacc50cb9c6eca8cc68ea5d936f98787c60c7ebc74e6ce7c',
    'hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length',
    '64c87cde7e12ecf6704ab95bb1408bef047c22db4cc7491c4271d170a1b213d20b385bc1588d9c7b38f1b39d415665b8a9030c9ec653d75e65f847d8fc1fc440',
  ],
];

const pbkdf2Seed = (mnemonic: string, passphrase: string) =>
  pbkdf2Sync(mnemonic, `mnemonic${passphrase}`, 2048, 64, 'sha512').toString('hex');

describe('BIP-39 (trezor vectors)', () => {
  it.each(TREZOR)('%s ↔ its words', (entropy, mnemonic) => {
    expect(mnemonicFromEntropy(fromHex(entropy))).toBe(mnemonic);
    expect(parseMnemonic(mnemonic)).toEqual({ ok: true, value: mnemonic });
  });

  it.each(TREZOR)('%s: the seed is PBKDF2 of the words', (_, mnemonic, trezorSeed) => {
    expect(pbkdf2Seed(mnemonic, 'TREZOR')).toBe(trezorSeed);
    expect(toHex(mnemonicToSeedSync(mnemonic, 'TREZOR'))).toBe(trezorSeed);
    expect(toHex(seedFromMnemonic(mnemonic))).toBe(pbkdf2Seed(mnemonic, ''));
  });

  it('gives the well-known empty-passphrase seed of "abandon … about"', () => {
    expect(toHex(seedFromMnemonic(TREZOR[0]![1]))).toBe(
      '5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc19a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4',
    );
  });

  it('refuses entropy of a length BIP-39 does not define', () => {
    for (const length of [0, 15, 17, 33]) {
      expect(() => mnemonicFromEntropy(new Uint8Array(length)), `${length} bytes`).toThrow();
    }
  });
});

describe('parseMnemonic', () => {
  const words = TREZOR[5]![1]; // ozone drill grab …
  const bad = (text: string) => {
    const result = parseMnemonic(text);
    if (result.ok) throw new Error(`"${text}" was accepted`);
    expect(result.code).toBe('WALLET_BAD_MNEMONIC');
    return result.detail;
  };

  it('accepts any case and any spacing, and gives the words back in canonical form', () => {
    const typed = `  ${words.toUpperCase().split(' ').join(' \t ')}\n`;
    expect(parseMnemonic(typed)).toEqual({ ok: true, value: words });
    expect(parseMnemonic(words.replace('ozone', 'Ozone').replaceAll(' ', '\n\n'))).toEqual({
      ok: true,
      value: words,
    });
  });

  it.each([0, 1, 11, 13, 23, 25])('refuses %i words and says how many it got', (count) => {
    const text = Array.from({ length: count }, () => 'abandon').join(' ');
    const detail = bad(text);
    expect(detail).toContain('12, 15, 18, 21 or 24');
    expect(detail).toContain(`has ${count}`);
  });

  it('names every word that is not in the English list', () => {
    const detail = bad(words.replace('ozone', 'ozzone').replace('picnic', 'picnics'));
    expect(detail).toContain('"ozzone"');
    expect(detail).toContain('"picnics"');
    expect(detail).not.toContain('"drill"');
  });

  it('says so when all the words exist but the checksum fails', () => {
    expect(bad('abandon '.repeat(12))).toContain('checksum');
    const swapped = words.split(' ');
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(bad(swapped.join(' '))).toContain('checksum');
    expect(bad(words.replace('picnic', 'zoo'))).toContain('checksum');
  });
});
