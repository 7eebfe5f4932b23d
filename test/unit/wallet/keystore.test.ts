/**
 * The keystore: a sealed file opens with its password and no other; any edit to what the
 * associated data covers (n, r, p, salt, iv) or to the ciphertext fails the GCM tag; parseKeystore
 * refuses every malformed field and any scrypt cost outside the bounds, before scrypt runs (a
 * spy on noble's scryptAsync counts its calls); passwords are compared in NFKD form.
 * Most tests use n = 2^10 so that they take milliseconds; one uses the default n = 2^17.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  checkPassword,
  DEFAULT_SCRYPT,
  type Keystore,
  openKeystore,
  parseKeystore,
  type SealOptions,
  sealKeystore,
} from '../../../src/wallet/index.js';

const scrypt = vi.hoisted(() => ({ calls: 0 }));
vi.mock('@noble/hashes/scrypt.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('@noble/hashes/scrypt.js')>();
  return {
    ...original,
    scryptAsync: (...args: Parameters<typeof original.scryptAsync>) => {
      scrypt.calls++;
      return original.scryptAsync(...args);
    },
  };
});
beforeEach(() => {
  scrypt.calls = 0;
});

const MNEMONIC =
  'legal winner thank year wave sausage worth useful legal winner thank yellow' as const;
const PASSWORD = 'correct horse battery staple';
const FAST = { n: 2 ** 10, r: 8, p: 1 };

/** Each call takes the next bytes of 00 01 02 …, so that a test can seal the same file twice. */
function counterRandom(): (length: number) => Uint8Array {
  let next = 0;
  return (length) => Uint8Array.from({ length }, () => next++ & 0xff);
}

const seal = (options: Partial<SealOptions> = {}) =>
  sealKeystore({
    name: 'alice',
    mnemonic: MNEMONIC,
    password: PASSWORD,
    createdAt: new Date('2026-03-04T05:06:07.089Z'),
    random: counterRandom(),
    scrypt: FAST,
    ...options,
  });

const flipHexByte = (hex: string, byte: number) =>
  hex.slice(0, byte * 2) +
  (Number.parseInt(hex.slice(byte * 2, byte * 2 + 2), 16) ^ 0x01).toString(16).padStart(2, '0') +
  hex.slice(byte * 2 + 2);

function expectFailure(result: { ok: boolean; code?: string; detail?: string }, code: string) {
  expect(result.ok).toBe(false);
  expect(result.code).toBe(code);
}

describe('sealKeystore and openKeystore', () => {
  it('open what they seal, and the file survives JSON', async () => {
    const keystore = await seal({ accounts: 4 });
    expect(keystore).toMatchObject({
      blockyard_keystore: 1,
      name: 'alice',
      accounts: 4,
      created_at: '2026-03-04T05:06:07.089Z',
      kdf: { name: 'scrypt', n: 1024, r: 8, p: 1, salt: expect.stringMatching(/^[0-9a-f]{64}$/) },
      cipher: { name: 'aes-256-gcm', iv: expect.stringMatching(/^[0-9a-f]{24}$/) },
    });
    // The UTF-8 mnemonic and a 16-byte tag.
    expect(keystore.ciphertext).toHaveLength((MNEMONIC.length + 16) * 2);
    const reread = parseKeystore(JSON.parse(JSON.stringify(keystore)));
    expect(reread).toEqual({ ok: true, value: keystore });
    expect(await openKeystore(keystore, PASSWORD)).toEqual({ ok: true, value: MNEMONIC });
  });

  it('take the salt and then the iv from the random source, 44 bytes in all', async () => {
    const lengths: number[] = [];
    const random = counterRandom();
    const keystore = await seal({
      random: (length) => {
        lengths.push(length);
        return random(length);
      },
    });
    expect(lengths).toEqual([32, 12]);
    expect(keystore.kdf.salt).toBe(Buffer.from(counterRandom()(32)).toString('hex'));
    expect(keystore.cipher.iv).toBe('202122232425262728292a2b');
    expect(keystore.accounts).toBe(1);
  });

  it('use scrypt n = 2^17, r = 8, p = 1 by default', async () => {
    expect(DEFAULT_SCRYPT).toEqual({ n: 2 ** 17, r: 8, p: 1 });
    const keystore = await sealKeystore({
      name: 'alice',
      mnemonic: MNEMONIC,
      password: PASSWORD,
      createdAt: new Date(0),
      random: counterRandom(),
    });
    expect(keystore.kdf).toMatchObject({ n: 131072, r: 8, p: 1 });
    expect(parseKeystore(keystore).ok).toBe(true);
    expect(await openKeystore(keystore, PASSWORD)).toEqual({ ok: true, value: MNEMONIC });
  });

  it('answer WALLET_BAD_PASSWORD to a wrong password', async () => {
    const keystore = await seal();
    for (const wrong of ['correct horse battery stapler', PASSWORD.toUpperCase(), '', ' ']) {
      const opened = await openKeystore(keystore, wrong);
      expectFailure(opened, 'WALLET_BAD_PASSWORD');
      expect(!opened.ok && opened.detail).toContain('"alice"');
    }
  });

  const edits: [string, (k: Keystore) => Keystore][] = [
    ['n doubled', (k) => ({ ...k, kdf: { ...k.kdf, n: k.kdf.n * 2 } })],
    ['p from 1 to 2', (k) => ({ ...k, kdf: { ...k.kdf, p: 2 } })],
    ['a salt byte flipped', (k) => ({ ...k, kdf: { ...k.kdf, salt: flipHexByte(k.kdf.salt, 7) } })],
    [
      'the first iv byte flipped',
      (k) => ({ ...k, cipher: { ...k.cipher, iv: flipHexByte(k.cipher.iv, 0) } }),
    ],
    [
      'the last iv byte flipped',
      (k) => ({ ...k, cipher: { ...k.cipher, iv: flipHexByte(k.cipher.iv, 11) } }),
    ],
    [
      'the first ciphertext byte flipped',
      (k) => ({ ...k, ciphertext: flipHexByte(k.ciphertext, 0) }),
    ],
    [
      'a ciphertext byte in the middle flipped',
      (k) => ({ ...k, ciphertext: flipHexByte(k.ciphertext, 40) }),
    ],
    [
      'the last tag byte flipped',
      (k) => ({ ...k, ciphertext: flipHexByte(k.ciphertext, k.ciphertext.length / 2 - 1) }),
    ],
    ['the tag cut by a byte', (k) => ({ ...k, ciphertext: k.ciphertext.slice(0, -2) })],
    ['a byte appended', (k) => ({ ...k, ciphertext: `${k.ciphertext}00` })],
  ];
  it.each(edits)('refuse a file with %s (WALLET_BAD_PASSWORD)', async (_, edit) => {
    const keystore = await seal();
    const edited = edit(keystore);
    expect(parseKeystore(edited).ok).toBe(true);
    expectFailure(await openKeystore(edited, PASSWORD), 'WALLET_BAD_PASSWORD');
  });

  it('refuse r edited, before scrypt: r other than 8 is out of bounds (WALLET_BAD_KEYSTORE)', async () => {
    const keystore = await seal();
    scrypt.calls = 0;
    const edited = { ...keystore, kdf: { ...keystore.kdf, r: 16 } };
    expectFailure(await openKeystore(edited, PASSWORD), 'WALLET_BAD_KEYSTORE');
    expect(scrypt.calls).toBe(0);
  });

  it('open a file whose label fields were edited: they are not authenticated', async () => {
    const keystore = await seal();
    const relabelled = { ...keystore, name: 'bob', accounts: 9, created_at: 'whenever' };
    expect(await openKeystore(relabelled, PASSWORD)).toEqual({ ok: true, value: MNEMONIC });
  });

  it('answer WALLET_BAD_KEYSTORE when what is inside is not a mnemonic', async () => {
    const keystore = await seal({ mnemonic: 'abandon abandon abandon' });
    expectFailure(await openKeystore(keystore, PASSWORD), 'WALLET_BAD_KEYSTORE');
  });
});

describe('parseKeystore', () => {
  const valid = (): Keystore => ({
    blockyard_keystore: 1,
    name: 'alice',
    accounts: 1,
    created_at: '2026-01-01T00:00:00.000Z',
    kdf: { name: 'scrypt', n: 1024, r: 8, p: 1, salt: 'ab'.repeat(32) },
    cipher: { name: 'aes-256-gcm', iv: 'cd'.repeat(12) },
    ciphertext: 'ef'.repeat(100),
  });
  type Edit = (k: Keystore) => unknown;
  const withKdf =
    (fields: Record<string, unknown>): Edit =>
    (k) => ({ ...k, kdf: { ...k.kdf, ...fields } });
  const withCipher =
    (fields: Record<string, unknown>): Edit =>
    (k) => ({ ...k, cipher: { ...k.cipher, ...fields } });
  const without =
    (field: string): Edit =>
    (k) => {
      const copy: Record<string, unknown> = { ...k };
      delete copy[field];
      return copy;
    };

  it('accepts a well-formed file, the bounds included, and keeps only its known fields', () => {
    expect(parseKeystore(valid())).toEqual({ ok: true, value: valid() });
    expect(parseKeystore({ ...valid(), extra: 'dropped' })).toEqual({ ok: true, value: valid() });
    // biome-ignore format: one case per line
    const edges: Edit[] = [
      withKdf({ n: 2 ** 10 }), withKdf({ n: 2 ** 18 }), withKdf({ p: 4 }),
      (k) => ({ ...k, accounts: 0 }), (k) => ({ ...k, accounts: 1000 }),
      (k) => ({ ...k, name: 'n'.repeat(64) }), (k) => ({ ...k, name: 'ü' }),
      (k) => ({ ...k, ciphertext: 'ab'.repeat(17) }), (k) => ({ ...k, ciphertext: 'ab'.repeat(512) }),
    ];
    for (const edit of edges) expect(parseKeystore(edit(valid())).ok).toBe(true);
  });

  // biome-ignore format: one case per line
  const malformed: [string, Edit][] = [
    ['null', () => null],
    ['an array', () => []],
    ['a string', () => JSON.stringify(valid())],
    ['a number', () => 1],
    ['no version', without('blockyard_keystore')],
    ['version 2', (k) => ({ ...k, blockyard_keystore: 2 })],
    ['version "1"', (k) => ({ ...k, blockyard_keystore: '1' })],
    ['no name', without('name')],
    ['an empty name', (k) => ({ ...k, name: '' })],
    ['a name of 65 characters', (k) => ({ ...k, name: 'n'.repeat(65) })],
    ['a name that is a number', (k) => ({ ...k, name: 7 })],
    ['no accounts', without('accounts')],
    ['accounts -1', (k) => ({ ...k, accounts: -1 })],
    ['accounts 1001', (k) => ({ ...k, accounts: 1001 })],
    ['accounts 1.5', (k) => ({ ...k, accounts: 1.5 })],
    ['accounts "1"', (k) => ({ ...k, accounts: '1' })],
    ['no created_at', without('created_at')],
    ['created_at a number', (k) => ({ ...k, created_at: 1767225600000 })],
    ['no kdf', without('kdf')],
    ['kdf null', (k) => ({ ...k, kdf: null })],
    ['kdf pbkdf2', withKdf({ name: 'pbkdf2' })],
    ['no salt', withKdf({ salt: undefined })],
    ['a 31-byte salt', withKdf({ salt: 'ab'.repeat(31) })],
    ['a 33-byte salt', withKdf({ salt: 'ab'.repeat(33) })],
    ['an upper-case salt', withKdf({ salt: 'AB'.repeat(32) })],
    ['a salt that is not hex', withKdf({ salt: 'xy'.repeat(32) })],
    ['no n', withKdf({ n: undefined })],
    ['n = 2^9, below the bound', withKdf({ n: 2 ** 9 })],
    ['n = 2^19, above the bound', withKdf({ n: 2 ** 19 })],
    ['n = 2^30', withKdf({ n: 2 ** 30 })],
    ['n = 2^31', withKdf({ n: 2 ** 31 })],
    ['n = 2^32 (0 as a 32-bit integer)', withKdf({ n: 2 ** 32 })],
    ['n = 1000, not a power of two', withKdf({ n: 1000 })],
    ['n = 1024.5', withKdf({ n: 1024.5 })],
    ['n "1024"', withKdf({ n: '1024' })],
    ['n Infinity', withKdf({ n: Number.POSITIVE_INFINITY })],
    ['r = 1', withKdf({ r: 1 })],
    ['r = 16', withKdf({ r: 16 })],
    ['r "8"', withKdf({ r: '8' })],
    ['p = 0', withKdf({ p: 0 })],
    ['p = 5', withKdf({ p: 5 })],
    ['p = 1.5', withKdf({ p: 1.5 })],
    ['p "2"', withKdf({ p: '2' })],
    ['no cipher', without('cipher')],
    ['cipher aes-128-gcm', withCipher({ name: 'aes-128-gcm' })],
    ['no iv', withCipher({ iv: undefined })],
    ['an 11-byte iv', withCipher({ iv: 'cd'.repeat(11) })],
    ['a 16-byte iv', withCipher({ iv: 'cd'.repeat(16) })],
    ['an upper-case iv', withCipher({ iv: 'CD'.repeat(12) })],
    ['an iv inside an array', withCipher({ iv: ['cd'.repeat(12)] })],
    ['no ciphertext', without('ciphertext')],
    ['ciphertext of 16 bytes (a tag, no text)', (k) => ({ ...k, ciphertext: 'ab'.repeat(16) })],
    ['ciphertext of 513 bytes', (k) => ({ ...k, ciphertext: 'ab'.repeat(513) })],
    ['ciphertext of odd length', (k) => ({ ...k, ciphertext: `${'ab'.repeat(20)}a` })],
    ['ciphertext not hex', (k) => ({ ...k, ciphertext: 'zz'.repeat(20) })],
    ['ciphertext upper case', (k) => ({ ...k, ciphertext: 'AB'.repeat(20) })],
    ['ciphertext a number', (k) => ({ ...k, ciphertext: 1234 })],
  ];
  it.each(malformed)('refuses %s (WALLET_BAD_KEYSTORE)', (_, edit) => {
    const result = parseKeystore(edit(valid()));
    expectFailure(result, 'WALLET_BAD_KEYSTORE');
    expect(!result.ok && result.detail).toMatch(/^not a blockyard keystore: /);
  });

  it('refuses a crafted n = 2^30 before any scrypt runs, also when handed to openKeystore', async () => {
    const keystore = await seal();
    scrypt.calls = 0;
    const crafted = { ...keystore, kdf: { ...keystore.kdf, n: 2 ** 30 } };
    const parsed = parseKeystore(crafted);
    expectFailure(parsed, 'WALLET_BAD_KEYSTORE');
    expect(!parsed.ok && parsed.detail).toContain('[2^10, 2^18]');
    expectFailure(await openKeystore(crafted, PASSWORD), 'WALLET_BAD_KEYSTORE');
    expect(scrypt.calls).toBe(0);
    // The spy does see the runs that do happen.
    await openKeystore(keystore, PASSWORD);
    expect(scrypt.calls).toBe(1);
  });
});

describe('checkPassword', () => {
  it('wants 8 characters at least, counted as code points', () => {
    expect(checkPassword('12345678')).toEqual({ ok: true, value: undefined });
    expect(checkPassword('ünïcödé!')).toEqual({ ok: true, value: undefined });
    expect(checkPassword('😀'.repeat(8)).ok).toBe(true);
    for (const weak of ['', '1234567', '😀'.repeat(7)]) {
      const result = checkPassword(weak);
      expectFailure(result, 'WALLET_WEAK_PASSWORD');
      expect(!result.ok && result.detail).toContain('at least 8 characters');
    }
  });
});

describe('non-ASCII passwords', () => {
  // "Grüße" with ü as one code point (NFC) or u + combining diaeresis (NFD), and "ﬁ" (a
  // ligature) which NFKD writes as "fi".
  const nfc = 'Grüße-ﬁnal'.normalize('NFC');

  it('open with the NFC, NFD, NFKC and NFKD forms of the password alike', async () => {
    const forms = (['NFC', 'NFD', 'NFKC', 'NFKD'] as const).map((form) => nfc.normalize(form));
    expect(new Set(forms).size).toBe(4);
    const keystore = await seal({ password: nfc });
    for (const form of forms) {
      expect(await openKeystore(keystore, form)).toEqual({ ok: true, value: MNEMONIC });
    }
    const sealedNfd = await seal({ password: nfc.normalize('NFD') });
    expect(sealedNfd).toEqual(keystore);
  });

  it('still tell different passwords apart', async () => {
    const keystore = await seal({ password: nfc });
    for (const other of ['Grusse-final', 'Grüsse-ﬁnal', 'Grüße-ﬁnal ']) {
      expectFailure(await openKeystore(keystore, other), 'WALLET_BAD_PASSWORD');
    }
  });
});
