/**
 * Writes the frozen wallet vectors, test/vectors/wallet.json: `npx tsx scripts/makeWalletVectors.ts`.
 * Every input is fixed below (the mnemonic, the passwords, the "random" bytes, the clock), so two
 * runs write identical files. The file freezes what other wallets must reproduce to open
 * blockyard's keystores and use its accounts: review any diff a run makes before committing it.
 *
 * `wallet.*` is the code under check. Each value it computes is derived a second time without it,
 * and any disagreement throws before anything is written: BIP-39's checksum by node:crypto
 * SHA-256, the seed by node:crypto PBKDF2, SLIP-0010 by node:crypto HMAC-SHA512, Ed25519 keys and
 * signatures by node:crypto (OpenSSL), the keystore's key by node:crypto scrypt and its ciphertext
 * by node:crypto AES-256-GCM, transaction bytes from the field layout with hex strings.
 */
import {
  createCipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  pbkdf2Sync,
  scryptSync,
} from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import * as core from '../src/core/index.js';
import * as signing from '../src/core/nobleEd25519.js';
import * as wallet from '../src/wallet/index.js';

function same(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`cross-check failed: ${what}: ${actual} vs ${expected}`);
}
const hx = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ascii = (text: string) => Buffer.from(text).toString('hex');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();
const u = (value: bigint | number, bytes: number) => value.toString(16).padStart(bytes * 2, '0');

// ---- the mnemonic: BIP-39 by hand (checksum = first ENT/32 bits of SHA-256(entropy)) ----
/** The most widely used test mnemonic, so that other SLIP-0010 tools can be compared with it. */
const ENTROPY = '00'.repeat(16);
function wordsOf(entropyHex: string): string {
  const entropy = Buffer.from(entropyHex, 'hex');
  const bits = (bytes: Buffer) => [...bytes].map((b) => b.toString(2).padStart(8, '0')).join('');
  const all = bits(entropy) + bits(sha256(entropy)).slice(0, entropy.length / 4);
  return (all.match(/.{11}/g) ?? []).map((group) => wordlist[Number.parseInt(group, 2)]).join(' ');
}
const MNEMONIC = wallet.mnemonicFromEntropy(Buffer.from(ENTROPY, 'hex'));
same(MNEMONIC, wordsOf(ENTROPY), 'mnemonic of the entropy');
const SEED = hx(pbkdf2Sync(MNEMONIC.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512'));
same(hx(wallet.seedFromMnemonic(MNEMONIC)), SEED, 'BIP-39 seed (empty passphrase)');

// ---- accounts: SLIP-0010 by hand, keys by OpenSSL ----
function slip10(seedHex: string, indexes: number[]): { key: string; chain: string } {
  const split = (i: Buffer) => ({ key: hx(i.subarray(0, 32)), chain: hx(i.subarray(32)) });
  let node = split(
    createHmac('sha512', 'ed25519 seed').update(Buffer.from(seedHex, 'hex')).digest(),
  );
  for (const index of indexes) {
    const data = Buffer.from(`00${node.key}${u(0x8000_0000 + index, 4)}`, 'hex');
    node = split(createHmac('sha512', Buffer.from(node.chain, 'hex')).update(data).digest());
  }
  return node;
}
const nodeKey = (secret: string) =>
  createPrivateKey({
    key: Buffer.from(`302e020100300506032b657004220420${secret}`, 'hex'), // PKCS#8 Ed25519 seed
    format: 'der',
    type: 'pkcs8',
  });
const nodePublic = (secret: string) =>
  hx(createPublicKey(nodeKey(secret)).export({ format: 'der', type: 'spki' }).subarray(12));

const account = wallet.accountsOf(MNEMONIC);
const accounts = [0, 1, 2].map((index) => {
  const a = account(index);
  same(a.path, `m/44'/1'/0'/0'/${index}'`, 'account path');
  const expected = slip10(SEED, [44, 1, 0, 0, index]);
  same(hx(a.secretKey), expected.key, `SLIP-0010 secret key of ${a.path}`);
  same(
    hx(wallet.deriveKey(wallet.seedFromMnemonic(MNEMONIC), a.path).chainCode),
    expected.chain,
    'chain code',
  );
  same(hx(a.publicKey), nodePublic(expected.key), `public key of ${a.path} (node:crypto)`);
  return {
    index,
    path: a.path,
    secret_key: hx(a.secretKey),
    chain_code: expected.chain,
    public_key: hx(a.publicKey),
    tutorial_address: wallet.accountAddress(a, core.tutorialParams.addressPrefix),
    devnet_address: wallet.accountAddress(a, core.devnetParams.addressPrefix),
  };
});

// ---- keystores: scrypt and AES-256-GCM by node:crypto ----
/** A stand-in for the platform's randomness: each call takes the next bytes of 00 01 02 … ff 00 …. */
function counterRandom(): (length: number) => Uint8Array {
  let next = 0;
  return (length) => Uint8Array.from({ length }, () => next++ & 0xff);
}
const CREATED_AT = new Date('2026-01-01T00:00:00.000Z');
// biome-ignore format: one case per line
const keystoreCases = [
  { description: 'ASCII password, n = 2^10, p = 1, 3 accounts', name: 'vector', accounts: 3, password: 'correct horse battery staple', scrypt: { n: 2 ** 10, r: 8, p: 1 } },
  { description: 'non-ASCII password (NFC as typed; scrypt takes its NFKD form), n = 2^10, p = 2', name: 'ünïcode', accounts: 1, password: 'Grüße-ﬁnal-№1'.normalize('NFC'), scrypt: { n: 2 ** 10, r: 8, p: 2 } },
];
const keystores = [];
for (const c of keystoreCases) {
  const keystore = await wallet.sealKeystore({
    name: c.name,
    mnemonic: MNEMONIC,
    password: c.password,
    createdAt: CREATED_AT,
    random: counterRandom(),
    accounts: c.accounts,
    scrypt: c.scrypt,
  });
  const { n, r, p } = c.scrypt;
  const bytesFrom = (first: number, length: number) =>
    Array.from({ length }, (_, i) => u(first + i, 1)).join('');
  const [salt, iv] = [bytesFrom(0x00, 32), bytesFrom(0x20, 12)];
  same(keystore.kdf.salt, salt, 'salt: the first 32 random bytes');
  same(keystore.cipher.iv, iv, 'iv: the next 12 random bytes');
  const passwordUtf8 = Buffer.from(c.password.normalize('NFKD'), 'utf8');
  const key = scryptSync(passwordUtf8, Buffer.from(salt, 'hex'), 32, { N: n, r, p });
  const aad = `blockyard-keystore/1 scrypt ${n} ${r} ${p} ${salt} aes-256-gcm ${iv}`;
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(iv, 'hex')).setAAD(
    Buffer.from(aad),
  );
  const sealed = Buffer.concat([
    cipher.update(MNEMONIC, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  same(keystore.ciphertext, hx(sealed), `ciphertext of "${c.description}" (node:crypto)`);
  const opened = await wallet.openKeystore(keystore, c.password.normalize('NFD'));
  same(opened.ok && opened.value, MNEMONIC, 'the keystore opens with the NFD form of its password');
  keystores.push({
    description: c.description,
    password: c.password,
    password_nfkd_utf8: hx(passwordUtf8),
    scrypt_key: hx(key),
    associated_data: aad,
    keystore,
  });
}

// ---- transfers signed by the accounts: bytes by hand, signatures by OpenSSL ----
const params = { tutorial: core.tutorialParams, devnet: core.devnetParams } as const;
// biome-ignore format: one case per line
const transferCases = [
  { description: 'account 0 pays 1.5 coins to account 1 on the tutorial network, default fee, nonce 0', network: 'tutorial', from_account: 0, to: accounts[1]!.tutorial_address, amount: '1.5', nonce: 0n },
  { description: 'account 2 pays 1 base unit to account 0 on devnet, fee 0.001, nonce 7', network: 'devnet', from_account: 2, to: accounts[0]!.devnet_address, amount: '0.00000001', fee: '0.001', nonce: 7n },
] as const;
const transfers = transferCases.map((c) => {
  const net = params[c.network];
  const from = accounts[c.from_account]!;
  const fee = 'fee' in c ? c.fee : undefined;
  const signed = wallet.createTransfer(net, {
    secretKey: Buffer.from(from.secret_key, 'hex'),
    to: c.to,
    amountCoins: c.amount,
    ...(fee === undefined ? {} : { feeCoins: fee }),
    nonce: c.nonce,
  });
  if (!signed.ok) throw new Error(`${c.description}: ${signed.code} ${signed.detail}`);
  const { tx } = signed.value;
  const toKey = core.parseAddress(c.to, net.addressPrefix);
  same(toKey.ok && hx(toKey.value), hx(tx.to), 'recipient key');
  const amount = core.parseCoins(c.amount)!;
  const feeUnits = fee === undefined ? wallet.DEFAULT_FEE_UNITS : core.parseCoins(fee)!;
  const body =
    `01${u(net.chainId, 4)}${from.public_key}${hx(tx.to)}` +
    `${u(amount, 8)}${u(feeUnits, 8)}${u(c.nonce, 8)}`;
  const preimage = ascii('blockyard/tx/v1') + body;
  same(hx(core.txSigningBytes(tx)), preimage, 'signing preimage');
  const signature = hx(nodeSign(null, Buffer.from(preimage, 'hex'), nodeKey(from.secret_key)));
  same(hx(tx.signature), signature, 'signature (node:crypto)');
  const hex = body + signature;
  same(hx(core.encodeTx(tx)), hex, 'transaction bytes');
  const id = hx(sha256(sha256(Buffer.from(hex, 'hex'))));
  same(signed.value.id, id, 'transaction id (node:crypto SHA-256d)');
  same(core.verifyTransfer(tx, signing.nobleVerify), true, 'nobleVerify accepts it');
  return {
    description: c.description,
    network: c.network,
    from_account: c.from_account,
    request: {
      to: c.to,
      amount: c.amount,
      ...(fee === undefined ? {} : { fee }),
      nonce: `${c.nonce}`,
    },
    signing_preimage: preimage,
    signature,
    hex,
    id,
    json: signed.value.json,
  };
});

const producedBy =
  "npx tsx scripts/makeWalletVectors.ts; the fixed inputs in that script. mnemonic: BIP-39 English from the entropy, its checksum re-derived with node:crypto SHA-256; seed: node:crypto PBKDF2-HMAC-SHA512 (2048 rounds, salt \"mnemonic\", empty passphrase). accounts: SLIP-0010 Ed25519 at m/44'/1'/0'/0'/i', re-derived with node:crypto HMAC-SHA512; public keys by node:crypto (OpenSSL) from the 32-byte secret keys; addresses by encodeAddress (addresses.json checks it against BIP-350). keystores: sealed with random(n) returning the next n bytes of 00 01 02 … (salt = 00…1f, iv = 20…2b) and created_at 2026-01-01T00:00:00.000Z; scrypt_key by node:crypto scrypt of password_nfkd_utf8, ciphertext reproduced by node:crypto AES-256-GCM with associated_data; each opens with the NFD form of its password. transfers: createTransfer; preimage and bytes re-derived from the field layout with hex strings, signatures reproduced by node:crypto Ed25519, ids by node:crypto SHA-256d.";
const file = {
  produced_by: producedBy,
  mnemonic: { entropy: ENTROPY, mnemonic: MNEMONIC, seed: SEED },
  accounts,
  keystores,
  transfers,
};
writeFileSync(
  new URL('../test/vectors/wallet.json', import.meta.url),
  `${JSON.stringify(file, null, 2)}\n`,
);
console.log(
  `test/vectors/wallet.json: ${accounts.length} accounts, ${keystores.length} keystores, ${transfers.length} transfers`,
);
