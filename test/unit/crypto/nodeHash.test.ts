/**
 * src/crypto/nodeHash.ts's SHA-256d through node:crypto is src/core's sha256d, bit for bit, on
 * every length from 0 to 300 bytes and on random inputs.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256d, toHex } from '../../../src/core/index.js';
import { sha256dOpenSsl } from '../../../src/crypto/nodeHash.js';

describe('sha256dOpenSsl', () => {
  it('equals sha256d on every length from 0 to 300 and on random inputs', () => {
    for (let length = 0; length <= 300; length++) {
      const bytes = randomBytes(length);
      const digest = sha256dOpenSsl(bytes);
      expect(digest).toBeInstanceOf(Uint8Array);
      expect(toHex(digest)).toBe(toHex(sha256d(bytes)));
    }
    const inside = randomBytes(500).subarray(17, 174);
    expect(toHex(sha256dOpenSsl(inside))).toBe(toHex(sha256d(inside)));
  });
});
