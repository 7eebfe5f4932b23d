/**
 * The native verify from a raw key (kernels/native/ed25519.c) gives node:crypto's verdict on every
 * input: RFC 8032's vectors, keys off the curve, of small order or not canonical, S ≥ L, R not
 * canonical or of small order, wrong lengths, and thousands of flipped bits in key, message and
 * signature; and it throws, never crashes, on arguments that are not bytes. node:crypto's verdict
 * is taken as the node took it before: the key imported as a JWK (false where the import fails).
 * The fallback (createNodeVerifier's native: false, the path of a machine without a compiler)
 * and the worker threads, either way, are held to the same verdicts.
 */
import { createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { TRANSFER_SIZE } from '../../../src/core/index.js';
import { ed25519Addon, nativeVerifier } from '../../../src/crypto/nativeEd25519.js';
import { createNodeVerifier, keyPairOfSecret } from '../../../src/crypto/nodeEd25519.js';
import { concat, craftingKit, le32, leToBigInt } from '../../support/littleEndian.js';

type Case = { key: Uint8Array; message: Uint8Array; signature: Uint8Array };

/** node:crypto's verdict, the key imported as the node imported it before (a JWK). */
function nodeCrypto({ key, message, signature }: Case): boolean {
  try {
    const x = Buffer.from(key).toString('base64url');
    const keyObject = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    return verify(null, message, keyObject, signature);
  } catch {
    return false;
  }
}

const native = nativeVerifier(true);
const addon = ed25519Addon();
const fallback = createNodeVerifier(10_000, {}, { native: false });
const preferred = createNodeVerifier();
afterAll(async () => {
  await fallback.close?.();
  await preferred.close?.();
});

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

function honest(messageLength: number): Case {
  const { publicKey, privateKey } = keyPairOfSecret(randomBytes(32));
  const message = Uint8Array.from(randomBytes(messageLength));
  return { key: publicKey, message, signature: new Uint8Array(sign(null, message, privateKey)) };
}

/** RFC 8032 §7.1, TESTS 1–3 (public key, message, signature). */
const RFC8032: Case[] = [
  [
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    '',
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  ],
  [
    '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    '72',
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  ],
  [
    'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    'af82',
    '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  ],
].map(([key, message, signature]) => ({
  key: hex(key!),
  message: hex(message!),
  signature: hex(signature!),
}));

/**
 * Keys and signatures on the edges: every small-order point as key (both signs) with the trivial
 * signature (R = identity, S = 0) and with one of R = that point; y ≥ p; R not canonical;
 * S ≥ L; R of small order plus an honest R; a key of mixed order.
 */
function craftedCases(): Case[] {
  const { Point, L, p, message, identity, order8, scalar, r, signWith, honestKey } = craftingKit();
  const honestR = Point.BASE.multiply(r).toBytes();
  const honestSignature = signWith(honestKey, honestR);
  const cases: Case[] = [{ key: honestKey, message, signature: honestSignature }];
  let torsion = Point.ZERO;
  for (let i = 0; i < 8; i++, torsion = torsion.add(order8)) {
    for (const sign of [0, 0x80]) {
      const key = torsion.toBytes();
      key[31]! ^= sign;
      cases.push({ key, message, signature: concat(identity, new Uint8Array(32)) });
      cases.push({ key, message, signature: concat(key, new Uint8Array(32)) });
      // R of small order, or an honest R moved by one
      const R = torsion.toBytes();
      cases.push({ key: honestKey, message, signature: signWith(honestKey, R) });
      cases.push({
        key: honestKey,
        message,
        signature: signWith(honestKey, Point.fromBytes(honestR).add(torsion).toBytes()),
      });
    }
  }
  // y ≥ p (not canonical), as key and as R
  for (let d = 0n; d < 19n; d++) {
    for (const sign of [0n, 1n << 255n]) {
      const y = le32(p + d + sign);
      cases.push({ key: y, message, signature: concat(identity, new Uint8Array(32)) });
      cases.push({ key: honestKey, message, signature: signWith(honestKey, y) });
      cases.push({ key: y, message, signature: signWith(y, y) });
    }
  }
  // keys not on the curve: y with no x, and the all-ones and all-zero patterns
  for (let y = 2n; y < 40n; y++) cases.push({ key: le32(y), message, signature: honestSignature });
  cases.push({ key: new Uint8Array(32).fill(0xff), message, signature: honestSignature });
  cases.push({ key: new Uint8Array(32), message, signature: honestSignature });
  // S ≥ L: S + L, S + 2L, S with the top bits set
  const s = leToBigInt(honestSignature.subarray(32));
  for (const bigS of [s + L, s + 2n * L, s + 7n * L, s | (1n << 255n), L, L - 1n, 2n ** 256n - 1n])
    cases.push({ key: honestKey, message, signature: concat(honestR, le32(bigS)) });
  // a key of mixed order, honest R
  const mixedKey = Point.BASE.multiply(scalar).add(order8).toBytes();
  cases.push({ key: mixedKey, message, signature: signWith(mixedKey, honestR) });
  return cases;
}

/** Wrong lengths of key and signature around an honest case, and empty or long messages. */
function lengthCases(): Case[] {
  const { key, message, signature } = honest(100);
  const cases: Case[] = [];
  for (const n of [0, 1, 31, 33, 64]) {
    cases.push({ key: concat(key, new Uint8Array(64)).subarray(0, n), message, signature });
  }
  for (const n of [0, 1, 32, 63, 65, 128]) {
    cases.push({ key, message, signature: concat(signature, new Uint8Array(64)).subarray(0, n) });
  }
  cases.push(
    { ...honest(0) },
    { ...honest(10_000) },
    { key, message: new Uint8Array(), signature },
  );
  return cases;
}

/** Honest cases with one bit flipped in key, message or signature. */
function flippedCases(count: number): Case[] {
  return Array.from({ length: count }, (_, i) => {
    const c = honest(1 + (i % 200));
    const where = (['key', 'message', 'signature'] as const)[i % 3]!;
    const bytes = Uint8Array.from(c[where]);
    const bit = (randomBytes(4).readUInt32LE() >>> 0) % (bytes.length * 8);
    bytes[bit >> 3]! ^= 1 << (bit & 7);
    return { ...c, [where]: bytes };
  });
}

describe.skipIf(native === undefined)('the native Ed25519 verify', () => {
  // Both engines: ossl_ed25519_verify (where OpenSSL 3.0 runs) and EVP_DigestVerify.
  const check = (cases: Case[]) => {
    const theirs = cases.map(nodeCrypto);
    expect(cases.map((c) => native!(c.key, c.message, c.signature))).toEqual(theirs);
    expect(cases.map((c) => addon!.verifyEvp!(c.key, c.message, c.signature))).toEqual(theirs);
    return theirs;
  };

  it("calls OpenSSL 3.0's own Ed25519 verify where node runs its bundled OpenSSL 3.0", () => {
    const is30 = process.versions.openssl.startsWith('3.0.');
    // A node linked to a shared system libcrypto (Debian's nodejs) runs OpenSSL 3.0 too, but that
    // library does not export the internal function: the addon then takes the public path.
    const shared = Boolean(
      (process.config.variables as { node_shared_openssl?: unknown }).node_shared_openssl,
    );
    const engines =
      is30 && !shared ? ['ossl_ed25519_verify'] : ['ossl_ed25519_verify', 'EVP_DigestVerify'];
    if (!is30) engines.shift();
    expect(engines).toContain(addon!.engine());
  });

  it("reproduces RFC 8032's vectors, and refuses each with a byte changed", () => {
    expect(check(RFC8032)).toEqual([true, true, true]);
    for (const c of RFC8032) {
      const signature = Uint8Array.from(c.signature);
      signature[0]! ^= 1;
      expect(native!(c.key, c.message, signature)).toBe(false);
    }
  });

  it('agrees with node:crypto on crafted keys and signatures', () => {
    const cases = craftedCases();
    const verdicts = check(cases);
    // Both ways happen: the trivial signature under the identity key verifies in OpenSSL (the
    // consensus key rule refuses that key first: ed25519Consensus.test.ts), S ≥ L does not.
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
    expect(verdicts[0]).toBe(true);
  });

  it('agrees on wrong lengths, empty and long messages', () => {
    const verdicts = check(lengthCases());
    expect(verdicts.filter(Boolean)).toHaveLength(2); // the honest empty and long messages
  });

  it('agrees on 3,000 honest signatures with a bit flipped in key, message or signature', () => {
    const cases = flippedCases(3_000);
    expect(check(cases).filter(Boolean)).toHaveLength(0);
    expect(check(cases.slice(0, 30).map((_, i) => honest(i)))).toEqual(Array(30).fill(true));
  });

  it('throws a TypeError for arguments that are not bytes, and reads views at their offset', () => {
    const c = honest(50);
    for (const verify of [native!, addon!.verifyEvp!])
      expect(() => verify(c.key, c.message, 'x' as unknown as Uint8Array)).toThrow(TypeError);
    for (const bad of [
      undefined,
      null,
      'x',
      42,
      {},
      new Uint16Array(16),
      new DataView(c.key.buffer),
    ])
      expect(() => native!(bad as unknown as Uint8Array, c.message, c.signature)).toThrow(
        TypeError,
      );
    expect(() => (native as unknown as () => boolean)()).toThrow(TypeError);
    const shifted = new Uint8Array(3 + 32);
    shifted.set(c.key, 3);
    expect(native!(shifted.subarray(3), c.message, c.signature)).toBe(true);
    expect(native!(shifted.subarray(2, 34), c.message, c.signature)).toBe(false);
    expect(native!(c.key, Buffer.from(c.message), Buffer.from(c.signature))).toBe(true);
  });
});

describe('createNodeVerifier with and without the native verify', () => {
  const cases = [...RFC8032, ...craftedCases(), ...lengthCases(), ...flippedCases(300)];

  it('gives node:crypto’s verdicts either way', () => {
    const expected = cases.map(nodeCrypto);
    expect(cases.map((c) => fallback.verify(c.key, c.message, c.signature))).toEqual(expected);
    expect(cases.map((c) => preferred.verify(c.key, c.message, c.signature))).toEqual(expected);
  });

  it('loads no addon where none was built, without an error', () => {
    expect(ed25519Addon(new URL('./no-such-build/ed25519.node', import.meta.url))).toBeUndefined();
  });

  it('BLOCKYARD_NATIVE_ED25519=0 or native: false turn the native verify off', () => {
    expect(nativeVerifier(false)).toBeUndefined();
    const saved = process.env.BLOCKYARD_NATIVE_ED25519;
    process.env.BLOCKYARD_NATIVE_ED25519 = '0';
    try {
      expect(nativeVerifier()).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.BLOCKYARD_NATIVE_ED25519;
      else process.env.BLOCKYARD_NATIVE_ED25519 = saved;
    }
  });

  it('gives the same verdicts in the worker threads either way', async () => {
    // Loose transfers as the workers read them: type byte 1, the key at 5, the signature at 93,
    // signed over the tag and the first 93 bytes. Half honest, half with a flipped bit.
    const { TX_SIGNING_TAG, TX_TYPE_TRANSFER } = await import('../../../src/core/index.js');
    const count = 40;
    const bytes = new Uint8Array(count * TRANSFER_SIZE);
    const expected: number[] = [];
    for (let i = 0; i < count; i++) {
      const tx = bytes.subarray(i * TRANSFER_SIZE, (i + 1) * TRANSFER_SIZE);
      tx.set(randomBytes(TRANSFER_SIZE));
      tx[0] = TX_TYPE_TRANSFER;
      const { publicKey, privateKey } = keyPairOfSecret(randomBytes(32));
      tx.set(publicKey, 5);
      const message = concat(TX_SIGNING_TAG, tx.subarray(0, 93));
      tx.set(sign(null, message, privateKey), 93);
      if (i % 2 === 1) tx[5 + ((i * 7) % 152)]! ^= 1 << (i % 8);
      expected.push(
        +nodeCrypto({
          key: tx.subarray(5, 37),
          message: concat(TX_SIGNING_TAG, tx.subarray(0, 93)),
          signature: tx.subarray(93),
        }),
      );
    }
    expect(expected.filter(Boolean).length).toBeGreaterThanOrEqual(count / 2);
    expect([...((await fallback.verifyTransfers!(bytes)) ?? [])]).toEqual(expected);
    expect([...((await preferred.verifyTransfers!(bytes)) ?? [])]).toEqual(expected);
  });
});
