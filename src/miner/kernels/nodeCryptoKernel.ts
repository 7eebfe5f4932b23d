/**
 * The last-resort kernel: node:crypto (OpenSSL) one nonce at a time, no midstate. Always
 * available. PERF: crypto.hash() one-shots make ≈ 0.45–0.75 M double-SHA/s on one core here,
 * 1.3–2× createHash().update().digest(); the cost is the calls into C++, not SHA-256, so a copied
 * midstate (Hash#copy) gains nothing, as DESIGN.md notes.
 */
import { hash } from 'node:crypto';
import { assertSearchArgs, type HashKernel, searchInRuns } from './hashKernel.js';

const NONCE_LO_OFFSET = 88;

export function createNodeCryptoKernel(): HashKernel {
  const hashOut = new Uint8Array(32);
  return {
    name: 'node-crypto',
    search(header, target, startNonce, count) {
      assertSearchArgs(header, target, startNonce, count);
      const bytes = Buffer.from(header);
      const limit = Buffer.from(target);
      return searchInRuns(startNonce, count, count, hashOut, (hi, lo, n) => {
        bytes.writeUInt32BE(hi, NONCE_LO_OFFSET - 4);
        for (let i = 0; i < n; i++) {
          bytes.writeUInt32BE(lo + i, NONCE_LO_OFFSET);
          const digest = hash('sha256', hash('sha256', bytes, 'buffer'), 'buffer');
          if (digest.compare(limit) <= 0) {
            hashOut.set(digest);
            return i;
          }
        }
        return -1;
      });
    },
  };
}
