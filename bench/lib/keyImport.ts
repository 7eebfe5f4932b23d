/**
 * Ed25519 verification under keys the verifier has not seen: the ways Node 20 can turn a raw
 * 32-byte public key into something node:crypto verifies with, each timed alone per signature
 * (fresh keys every pass, the ways alternated, CPU of this thread), beside a verify under a key
 * already imported. For issue 13's block connect, whose senders are mostly new keys:
 *   npx tsx bench/lib/keyImport.ts [rounds]
 * NOTE: keys are made from random secrets (createPrivateKey of PKCS #8), not generateKeyPairSync:
 * a loop of thousands of generateKeyPairSync('ed25519') beside createPublicKey hung twice here
 * (the main thread waiting on a futex, no CPU, Node 20.20.2, OpenSSL 3.0.19).
 */
import {
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomBytes,
  sign,
  verify,
  webcrypto,
} from 'node:crypto';
import { ed25519Addon, nativeVerifier } from '../../src/crypto/nativeEd25519.js';

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const PER_PASS = 1_000;
const rounds = Number(process.argv[2] ?? 8);

interface Item {
  readonly x: string;
  readonly raw: Buffer;
  readonly message: Buffer;
  readonly signature: Buffer;
  key?: KeyObject;
}

function freshItems(): Item[] {
  return Array.from({ length: PER_PASS }, (_, i) => {
    const privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519, randomBytes(32)]),
      format: 'der',
      type: 'pkcs8',
    });
    const x = createPublicKey(privateKey).export({ format: 'jwk' }).x!;
    const message = Buffer.alloc(100, i & 0xff);
    return {
      x,
      raw: Buffer.from(x, 'base64url'),
      message,
      signature: sign(null, message, privateKey),
    };
  });
}

const jwk = (it: Item) =>
  createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: it.x }, format: 'jwk' });
const subtleKey = (it: Item) =>
  webcrypto.subtle.importKey('raw', it.raw, { name: 'Ed25519' }, true, ['verify']);

/** Each way: how many of the pass's signatures verified. */
const nativeVerify =
  nativeVerifier() ??
  (() => {
    throw new Error('the native addon is not built (npm run build:native)');
  })();
const nativeEvp = ed25519Addon()!.verifyEvp!;
const ways: Record<string, (items: Item[]) => Promise<number> | number> = {
  'import JWK, verify': (items) => {
    let n = 0;
    for (const it of items) n += +verify(null, it.message, jwk(it), it.signature);
    return n;
  },
  'import JWK alone': (items) => {
    let n = 0;
    for (const it of items) n += +(jwk(it).asymmetricKeyType === 'ed25519');
    return n;
  },
  'verify, JWK as key input': (items) => {
    let n = 0;
    for (const it of items) {
      const key = { key: { kty: 'OKP', crv: 'Ed25519', x: it.x }, format: 'jwk' } as const;
      n += +verify(null, it.message, key, it.signature);
    }
    return n;
  },
  'import DER SPKI, verify': (items) => {
    let n = 0;
    for (const it of items) {
      const der = Buffer.concat([SPKI_ED25519, it.raw]);
      const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
      n += +verify(null, it.message, key, it.signature);
    }
    return n;
  },
  'subtle raw import alone': async (items) => {
    let n = 0;
    for (const it of items) n += +((await subtleKey(it)).type === 'public');
    return n;
  },
  'subtle import, verify': async (items) => {
    let n = 0;
    for (const it of items) {
      const key = await subtleKey(it);
      n += +(await webcrypto.subtle.verify({ name: 'Ed25519' }, key, it.signature, it.message));
    }
    return n;
  },
  'native verify, raw key': (items) => {
    let n = 0;
    for (const it of items) n += +nativeVerify(it.raw, it.message, it.signature);
    return n;
  },
  'native verify, EVP path': (items) => {
    let n = 0;
    for (const it of items) n += +nativeEvp(it.raw, it.message, it.signature);
    return n;
  },
  'verify, key imported before': (items) => {
    let n = 0;
    for (const it of items) n += +verify(null, it.message, it.key!, it.signature);
    return n;
  },
};

const cpuUs = () => {
  const used = process.cpuUsage();
  return used.user + used.system;
};
const spent = new Map<string, number[]>();
for (let round = 0; round < rounds; round++) {
  const names = Object.keys(ways);
  for (const name of round % 2 === 0 ? names : names.reverse()) {
    const items = freshItems();
    if (name === 'verify, key imported before') {
      for (const it of items) {
        it.key = jwk(it);
        verify(null, it.message, it.key, it.signature); // its first verify, untimed
      }
    }
    const before = cpuUs();
    const verified = await ways[name]!(items);
    const us = (cpuUs() - before) / PER_PASS;
    if (verified !== PER_PASS) throw new Error(`${name}: ${verified} of ${PER_PASS}`);
    spent.set(name, [...(spent.get(name) ?? []), us]);
  }
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
for (const [name, us] of spent) {
  const text = `median ${median(us).toFixed(1)}, min ${Math.min(...us).toFixed(1)} µs CPU a signature`;
  console.log(`${name.padEnd(30)} ${text}`);
}
console.log(
  `${rounds} rounds of ${PER_PASS}; load ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`,
);
