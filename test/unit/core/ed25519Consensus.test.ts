/**
 * blockyard's Ed25519 rule (docs/protocol.md §Signatures) is computed by two implementations:
 * node:crypto in the node and nobleVerify everywhere else. They must give the same verdict on
 * every input that passes the key rule — crafted inputs that split common verifiers included.
 */
import { randomBytes } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { isStrictPublicKey } from '../../../src/core/index.js';
import { nobleVerify, publicKeyFromSecret, signMessage } from '../../../src/core/nobleEd25519.js';
import { createNodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import { concat, craftingKit, le32, leToBigInt } from '../../support/littleEndian.js';

/**
 * The crafted inputs of protocol.md's table "They do not agree on crafted inputs", in its row
 * order; each row holds one or more (key, message, signature) cases that must all behave alike.
 */
function craftedSignatureRows(): {
  key: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}[][] {
  const { Point, p, message, identity, order8, scalar, r, signWith, honestKey } = craftingKit();
  const trivial = concat(identity, new Uint8Array(32)); // R = identity, S = 0
  const mixedKey = Point.BASE.multiply(scalar).add(order8).toBytes();
  const negativeZeroIdentity = identity.slice();
  negativeZeroIdentity[31] = 0x80;
  return [
    [{ key: identity, message, signature: trivial }],
    [
      { key: le32(p + 1n), message, signature: trivial },
      { key: negativeZeroIdentity, message, signature: trivial },
    ],
    [
      {
        key: honestKey,
        message,
        signature: signWith(honestKey, Point.BASE.multiply(r).add(order8).toBytes()),
      },
    ],
    [{ key: mixedKey, message, signature: signWith(mixedKey, Point.BASE.multiply(r).toBytes()) }],
  ];
}

const node = createNodeVerifier().verify;
const consensus = (
  verify: typeof nobleVerify,
  key: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
) => isStrictPublicKey(key) && verify(key, message, signature);

describe('the Ed25519 consensus rule', () => {
  const [smallOrderKey, nonCanonicalKeys, craftedR, mixedOrderKey] = craftedSignatureRows();

  it('refuses small-order and non-canonical sender keys before any signature', () => {
    for (const { key } of [...smallOrderKey!, ...nonCanonicalKeys!])
      expect(isStrictPublicKey(key)).toBe(false);
    // OpenSSL alone would accept the identity key's trivial signature: the key rule is what stops it.
    const { key, message, signature } = smallOrderKey![0]!;
    expect(node(key, message, signature)).toBe(true);
  });

  it('refuses every y of the 8-torsion, with or without the sign bit', () => {
    const order8 = ed25519.Point.fromHex(
      'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    );
    let point = ed25519.Point.ZERO;
    for (let i = 0; i < 8; i++, point = point.add(order8)) {
      const bytes = point.toBytes();
      expect(isStrictPublicKey(bytes)).toBe(false);
      bytes[31]! ^= 0x80;
      expect(isStrictPublicKey(bytes)).toBe(false);
    }
  });

  it('gives the same verdict in both verifiers on crafted signatures', () => {
    for (const { key, message, signature } of [...craftedR!, ...mixedOrderKey!]) {
      expect(isStrictPublicKey(key)).toBe(true);
      expect(nobleVerify(key, message, signature)).toBe(node(key, message, signature));
      // noble's own cofactored verify accepts these: the reason nobleVerify computes the equation itself.
      expect(ed25519.verify(signature, message, key, { zip215: false })).toBe(true);
      expect(node(key, message, signature)).toBe(false);
    }
  });

  it('gives the same verdict on honest and altered signatures from random keys', () => {
    for (let i = 0; i < 50; i++) {
      const secret = randomBytes(32);
      const key = publicKeyFromSecret(secret);
      const message = randomBytes(1 + (i % 200));
      const signature = signMessage(message, secret);
      expect(isStrictPublicKey(key)).toBe(true);
      expect(consensus(nobleVerify, key, message, signature)).toBe(true);
      expect(consensus(node, key, message, signature)).toBe(true);
      const altered = Uint8Array.from(signature);
      altered[i % 64]! ^= 1 << (i % 8);
      expect(nobleVerify(key, message, altered)).toBe(node(key, message, altered));
      expect(nobleVerify(key, message, altered)).toBe(false);
    }
  });

  it('refuses S at or above the group order in both', () => {
    const secret = randomBytes(32);
    const key = publicKeyFromSecret(secret);
    const message = new TextEncoder().encode('malleable?');
    const signature = signMessage(message, secret);
    const s = leToBigInt(signature.subarray(32)) + ed25519.Point.Fn.ORDER;
    const malleated = concat(signature.subarray(0, 32), le32(s));
    expect(nobleVerify(key, message, malleated)).toBe(false);
    expect(node(key, message, malleated)).toBe(false);
  });
});
