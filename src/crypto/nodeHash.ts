/**
 * SHA-256d through node:crypto (OpenSSL), the same function as src/core's sha256d, for the node's
 * few hashes of a small block: core's JS runs in V8's interpreter, then is compiled, in a node that
 * has not hashed much yet. test/unit/crypto/nodeHash.test.ts compares the two.
 *
 * PERF: 40 SHA-256d of 92 bytes in a fresh process (node, no flags, 4 runs, load 11): 6.7–7.8 ms
 * of CPU through the JS, 1.1–1.6 ms through node:crypto's one-shot hash. Warm, the two cost the
 * same (hash.ts's note), so a big block's ids keep the JS one.
 */
import { hash } from 'node:crypto';

export function sha256dOpenSsl(bytes: Uint8Array): Uint8Array {
  const digest = hash('sha256', hash('sha256', bytes, 'buffer'), 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}
