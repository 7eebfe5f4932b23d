/**
 * The node verifier's cache of imported keys (a RecentMap of the keys imported last) gives the
 * same verdicts however small it is: with more keys in turn than it holds, each key is evicted
 * and imported again many times, and every good signature still verifies, every altered one
 * fails, and a key OpenSSL will not take (its cached `null`) fails whatever the signature.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createNodeVerifier } from '../../../src/crypto/nodeEd25519.js';

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
  return { raw, privateKey };
}

describe('the node verifier key cache', () => {
  it('answers alike for keys evicted and imported again, and for a key it cannot import', () => {
    const keys = Array.from({ length: 7 }, keyPair);
    const signed = keys.map(({ raw, privateKey }, i) => {
      const message = new Uint8Array([i, 1, 2, 3]);
      return { raw, message, signature: new Uint8Array(sign(null, message, privateKey)) };
    });
    // A y coordinate of 2^255 - 1 is not a field element: no valid key.
    const notAKey = new Uint8Array(32).fill(0xff);
    notAKey[31] = 0x7f;
    for (const cacheSize of [1, 3, 10]) {
      const verifier = createNodeVerifier(cacheSize);
      for (let round = 0; round < 4; round++) {
        for (const { raw, message, signature } of signed) {
          expect(verifier.verify(raw, message, signature)).toBe(true);
          const altered = Uint8Array.from(signature);
          altered[round]! ^= 1;
          expect(verifier.verify(raw, message, altered)).toBe(false);
          expect(verifier.verify(notAKey, message, signature)).toBe(false);
        }
        // A signature under another key of the cache fails.
        expect(verifier.verify(signed[0]!.raw, signed[1]!.message, signed[1]!.signature)).toBe(
          false,
        );
      }
    }
  });
});
