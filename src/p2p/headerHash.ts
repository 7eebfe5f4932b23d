/**
 * The hash of a header a sync received, from its 92 bytes as they came: SHA-256d through
 * node:crypto (OpenSSL). The header decoders read fixed-width fields and the exact length, so
 * these bytes are the header's canonical encoding and this is hashHeader of the decoded header,
 * bit for bit (test/unit/p2p/headerHash.test.ts compares them).
 *
 * PERF: a fresh node's first sync hashed its headers with src/core's JS SHA-256 while V8 still
 * ran it in the interpreter and then compiled it: 13.9 % of the fresh node's busy samples for a
 * register + resolve onto 20 blocks (bench/lib/freshAdoptProfile.ts, 10 rounds, load 11), all of
 * it the headers page's check. 40 SHA-256d of 92 bytes in a fresh process (node, no flags, 4
 * runs, load 11): 6.7–7.8 ms of CPU in JS, 1.1–1.6 ms through node:crypto's one-shot hash.
 */
import { hash } from 'node:crypto';

export function headerHashOf(bytes: Uint8Array): Uint8Array {
  const digest = hash('sha256', hash('sha256', bytes, 'buffer'), 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}
