/**
 * SHA-256d of a block's transactions, all in one call into the native addon
 * kernels/native/txids.c (built by `npm run build:native` when a C compiler is present), with the
 * node binary's OpenSSL; undefined where it is not built: core's JS sha256d hashes them then.
 * PERF: see idsAt (src/chain/verifySignatures.ts).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface TxIdsAddon {
  available(): boolean;
  sha256dSlices(bytes: Uint8Array, bounds: Uint32Array): Uint8Array;
}

const TXIDS_ADDON_URL = new URL('../../kernels/native/build/Release/txids.node', import.meta.url);

/** The addon, loaded once (null: not built, or node exports no SHA256_Init). */
let loaded: TxIdsAddon | null | undefined;

function txIdsAddon(): TxIdsAddon | null {
  if (loaded !== undefined) return loaded;
  try {
    const addon = createRequire(import.meta.url)(fileURLToPath(TXIDS_ADDON_URL)) as TxIdsAddon;
    loaded = addon.available() ? addon : null;
  } catch {
    loaded = null; // not built (no compiler at install)
  }
  return loaded;
}

/**
 * SHA-256d of each slice `bytes[bounds[i], bounds[i + 1])`, each digest 32 bytes of one Buffer
 * (Buffer#slice shares its memory: an id kept holds all n × 32 bytes); undefined if the addon is
 * not built. Throws (a TypeError) unless `bounds` ascend within `bytes`.
 */
export function sha256dSlices(bytes: Uint8Array, bounds: Uint32Array): Uint8Array[] | undefined {
  const addon = txIdsAddon();
  if (!addon) return undefined;
  const digests = addon.sha256dSlices(bytes, bounds);
  const ids: Uint8Array[] = new Array(bounds.length - 1);
  for (let i = 0; i < ids.length; i++) ids[i] = digests.slice(32 * i, 32 * i + 32);
  return ids;
}

/**
 * core's merkleRoot (src/core/merkle.ts: pairs hashed by SHA-256d, an odd node at a level's end
 * carried up unchanged) of 32-byte `ids`, a level a call to the addon; undefined if the addon is
 * not built or an id is not 32 bytes. CONSENSUS: the same root as merkleRoot, for every count
 * (test/unit/crypto/nativeTxIds.test.ts compares them from 1 to 300 leaves).
 */
export function merkleRootOfIds(ids: readonly Uint8Array[]): Uint8Array | undefined {
  const addon = txIdsAddon();
  if (!addon || ids.length === 0 || ids.some((id) => id.length !== 32)) return undefined;
  let count = ids.length;
  let level = new Uint8Array(32 * count);
  for (const [i, id] of ids.entries()) level.set(id, 32 * i);
  while (count > 1) {
    const pairs = count >> 1;
    const bounds = new Uint32Array(pairs + 1);
    for (let i = 0; i <= pairs; i++) bounds[i] = 64 * i;
    const next = new Uint8Array(32 * (pairs + (count & 1)));
    next.set(addon.sha256dSlices(level, bounds));
    if (count & 1) next.set(level.subarray(32 * (count - 1), 32 * count), 32 * pairs);
    level = next;
    count = pairs + (count & 1);
  }
  return level.slice(0, 32);
}
