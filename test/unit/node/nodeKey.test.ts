/**
 * The node derives its public key with OpenSSL (nodeKey.ts, to spare an idle node noble's
 * tables); it must be the key the core derives, which signs and verifies.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nobleVerify, publicKeyFromSecret, signMessage } from '../../../src/core/index.js';
import { nodeKeyFromSecret, publicKeyOfSecret } from '../../../src/node/nodeKey.js';

describe('publicKeyOfSecret', () => {
  it('gives the core’s public key for every secret', () => {
    const secrets = [new Uint8Array(32), new Uint8Array(32).fill(0xff)];
    for (let i = 0; i < 50; i++) secrets.push(randomBytes(32));
    for (const secret of secrets) {
      expect(publicKeyOfSecret(secret)).toEqual(publicKeyFromSecret(secret));
    }
  });

  it('makes a node key whose signatures verify under its public key', () => {
    const key = nodeKeyFromSecret(randomBytes(32), 'tut');
    const message = randomBytes(40);
    expect(nobleVerify(key.publicKey, message, signMessage(message, key.secretKey))).toBe(true);
    expect(key.address.startsWith('tut1')).toBe(true);
  });

  it('refuses a secret that is not 32 bytes', () => {
    expect(() => publicKeyOfSecret(new Uint8Array(31))).toThrow();
  });
});
