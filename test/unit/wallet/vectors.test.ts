/**
 * The wallet against its frozen vectors, test/vectors/wallet.json (written by
 * scripts/makeWalletVectors.ts). A failure here means another wallet can no longer open our
 * keystores or find our accounts: fix the code, or regenerate on purpose and review the diff.
 * Checked without noble as well: public keys and signatures by node:crypto (OpenSSL), the
 * keystore's key by node:crypto scrypt and its ciphertext by node:crypto AES-256-GCM.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
  scryptSync,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  devnetParams,
  fromHex,
  type TransferJson,
  toHex,
  tutorialParams,
  txFromJson,
  verifyTransfer,
} from '../../../src/core/index.js';
import { nobleVerify } from '../../../src/core/nobleEd25519.js';
import {
  accountAddress,
  accountsOf,
  createTransfer,
  deriveKey,
  type Keystore,
  mnemonicFromEntropy,
  openKeystore,
  parseKeystore,
  sealKeystore,
  seedFromMnemonic,
} from '../../../src/wallet/index.js';

interface WalletVectors {
  produced_by: string;
  mnemonic: { entropy: string; mnemonic: string; seed: string };
  accounts: {
    index: number;
    path: string;
    secret_key: string;
    chain_code: string;
    public_key: string;
    tutorial_address: string;
    devnet_address: string;
  }[];
  keystores: {
    description: string;
    password: string;
    password_nfkd_utf8: string;
    scrypt_key: string;
    associated_data: string;
    keystore: Keystore;
  }[];
  transfers: {
    description: string;
    network: 'tutorial' | 'devnet';
    from_account: number;
    request: { to: string; amount: string; fee?: string; nonce: string };
    signing_preimage: string;
    signature: string;
    hex: string;
    id: string;
    json: TransferJson;
  }[];
}

const vectors: WalletVectors = JSON.parse(
  readFileSync(new URL('../../vectors/wallet.json', import.meta.url), 'utf8'),
);
const networks = { tutorial: tutorialParams, devnet: devnetParams };
const { mnemonic } = vectors.mnemonic;
const account = accountsOf(mnemonic);

const pkcs8 = (secretHex: string) =>
  createPrivateKey({
    key: Buffer.from(`302e020100300506032b657004220420${secretHex}`, 'hex'),
    format: 'der',
    type: 'pkcs8',
  });
const spkiRaw = (secretHex: string) =>
  createPublicKey(pkcs8(secretHex)).export({ format: 'der', type: 'spki' }).subarray(12);
/** A raw 32-byte Ed25519 public key as a node:crypto KeyObject (SPKI DER with a 12-byte prefix). */
const publicKeyObject = (publicHex: string) =>
  createPublicKey({
    key: Buffer.from(`302a300506032b6570032100${publicHex}`, 'hex'),
    format: 'der',
    type: 'spki',
  });
/** The same stand-in for randomness as the generator: bytes 00 01 02 … across calls. */
function counterRandom(): (length: number) => Uint8Array {
  let next = 0;
  return (length) => Uint8Array.from({ length }, () => next++ & 0xff);
}

describe('test/vectors/wallet.json', () => {
  it('says how it was produced', () => {
    expect(vectors.produced_by).toMatch(/^npx tsx scripts\/makeWalletVectors\.ts; /);
    expect(vectors.accounts).toHaveLength(3);
    expect(vectors.keystores.length).toBeGreaterThanOrEqual(2);
    expect(vectors.transfers.length).toBeGreaterThanOrEqual(2);
  });

  it('has the mnemonic and seed of its entropy', () => {
    expect(mnemonicFromEntropy(fromHex(vectors.mnemonic.entropy))).toBe(mnemonic);
    expect(toHex(seedFromMnemonic(mnemonic))).toBe(vectors.mnemonic.seed);
  });

  it.each(vectors.accounts)('account $index: $path', (expected) => {
    const a = account(expected.index);
    const seed = fromHex(vectors.mnemonic.seed);
    expect({
      index: a.index,
      path: a.path,
      secret_key: toHex(a.secretKey),
      chain_code: toHex(deriveKey(seed, a.path).chainCode),
      public_key: toHex(a.publicKey),
      tutorial_address: accountAddress(a, 'tut'),
      devnet_address: accountAddress(a, 'dev'),
    }).toEqual(expected);
    // OpenSSL derives the same public key from the secret key.
    expect(spkiRaw(expected.secret_key).toString('hex')).toBe(expected.public_key);
  });

  describe.each(vectors.keystores)('keystore: $description', (v) => {
    const { kdf, cipher } = v.keystore;

    it('is what sealKeystore writes for the same inputs, and it opens', async () => {
      const sealed = await sealKeystore({
        name: v.keystore.name,
        mnemonic,
        password: v.password,
        createdAt: new Date(v.keystore.created_at),
        random: counterRandom(),
        accounts: v.keystore.accounts,
        scrypt: { n: kdf.n, r: kdf.r, p: kdf.p },
      });
      expect(sealed).toEqual(v.keystore);
      expect(parseKeystore(v.keystore)).toEqual({ ok: true, value: v.keystore });
      expect(await openKeystore(v.keystore, v.password)).toEqual({ ok: true, value: mnemonic });
    });

    it('is scrypt and AES-256-GCM as node:crypto computes them', () => {
      const password = Buffer.from(v.password.normalize('NFKD'), 'utf8');
      expect(password.toString('hex')).toBe(v.password_nfkd_utf8);
      const key = scryptSync(password, Buffer.from(kdf.salt, 'hex'), 32, {
        N: kdf.n,
        r: kdf.r,
        p: kdf.p,
      });
      expect(key.toString('hex')).toBe(v.scrypt_key);
      expect(v.associated_data).toBe(
        `blockyard-keystore/1 scrypt ${kdf.n} ${kdf.r} ${kdf.p} ${kdf.salt} aes-256-gcm ${cipher.iv}`,
      );
      const iv = Buffer.from(cipher.iv, 'hex');
      const aad = Buffer.from(v.associated_data, 'utf8');
      const encrypt = createCipheriv('aes-256-gcm', key, iv).setAAD(aad);
      const sealed = Buffer.concat([
        encrypt.update(mnemonic, 'utf8'),
        encrypt.final(),
        encrypt.getAuthTag(),
      ]);
      expect(sealed.toString('hex')).toBe(v.keystore.ciphertext);

      const bytes = Buffer.from(v.keystore.ciphertext, 'hex');
      const decrypt = createDecipheriv('aes-256-gcm', key, iv).setAAD(aad);
      decrypt.setAuthTag(bytes.subarray(-16));
      const plain = Buffer.concat([decrypt.update(bytes.subarray(0, -16)), decrypt.final()]);
      expect(plain.toString('utf8')).toBe(mnemonic);
    });
  });

  it.each(vectors.transfers)('transfer: $description', (v) => {
    const params = networks[v.network];
    const from = vectors.accounts[v.from_account]!;
    const signed = createTransfer(params, {
      secretKey: fromHex(from.secret_key),
      to: v.request.to,
      amountCoins: v.request.amount,
      ...(v.request.fee === undefined ? {} : { feeCoins: v.request.fee }),
      nonce: BigInt(v.request.nonce),
    });
    if (!signed.ok) throw new Error(`${signed.code}: ${signed.detail}`);
    expect(signed.value.id).toBe(v.id);
    expect(toHex(signed.value.tx.signature)).toBe(v.signature);
    expect(signed.value.json).toEqual(v.json);
    expect(verifyTransfer(signed.value.tx, nobleVerify)).toBe(true);

    // Without noble: OpenSSL signs the preimage alike and verifies the signature; the id is
    // SHA-256d of the bytes, which are the preimage's body and the signature.
    const preimage = Buffer.from(v.signing_preimage, 'hex');
    expect(nodeSign(null, preimage, pkcs8(from.secret_key)).toString('hex')).toBe(v.signature);
    const signature = Buffer.from(v.signature, 'hex');
    expect(nodeVerify(null, preimage, publicKeyObject(from.public_key), signature)).toBe(true);
    expect(v.hex).toBe(v.signing_preimage.slice('blockyard/tx/v1'.length * 2) + v.signature);
    const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();
    expect(sha256(sha256(Buffer.from(v.hex, 'hex'))).toString('hex')).toBe(v.id);

    // The JSON is what a node takes at POST /api/tx.
    const parsed = txFromJson(v.json, params);
    expect(parsed.ok && parsed.value).toEqual(signed.value.tx);
  });
});
