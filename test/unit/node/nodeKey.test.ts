/**
 * The node derives its public key and signs its own transfers with OpenSSL (nodeKey.ts,
 * nodeWallet.ts: an idle node never loads noble); they must be the key the core derives and the
 * signature it makes, byte for byte.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  nobleVerify,
  publicKeyFromSecret,
  signMessage,
  signTransfer,
} from '../../../src/core/nobleEd25519.js';
import { keyPairOfSecret, signTransferWith } from '../../../src/crypto/nodeEd25519.js';
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

describe('signTransferWith', () => {
  it('makes the signature the core makes (noble), for every key and transfer', () => {
    for (let i = 0; i < 50; i++) {
      const secret = randomBytes(32);
      const unsigned = {
        type: 'transfer' as const,
        chainId: i,
        from: publicKeyFromSecret(secret),
        to: randomBytes(32),
        amount: BigInt(i) * 1_000_003n,
        fee: BigInt(i + 1),
        nonce: BigInt(i * 7),
      };
      const signed = signTransferWith(unsigned, keyPairOfSecret(secret).privateKey);
      expect(signed).toEqual(signTransfer(unsigned, secret));
    }
  });
});
