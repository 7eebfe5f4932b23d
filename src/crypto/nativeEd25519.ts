/**
 * Ed25519 verify from a raw 32-byte key in the node binary's own OpenSSL, through the native
 * addon kernels/native/ed25519.c (built by `npm run build:native` when a C compiler is present).
 * Where it is not built, or BLOCKYARD_NATIVE_ED25519=0, nativeVerifier() is undefined and the
 * node verifies with node:crypto (nodeEd25519.ts): same verdicts, by the same OpenSSL calls
 * (ed25519.c says which, and test/unit/crypto/nativeEd25519.test.ts compares them).
 *
 * PERF: no KeyObject and no key cache: node:crypto needs a KeyObject, and a new key's JWK import
 * costs ≈ 5–7 µs and its first verify more than the next ones. (figures: see nodeEd25519.ts)
 * NOTE: this module imports only node: modules, as the signature workers load it
 * (test/unit/crypto/workerModules.test.ts).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A verify of `signature` over `message` under the raw `publicKey`: false for wrong lengths. */
export type RawVerify = (
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
) => boolean;

export interface Ed25519Addon {
  available(): boolean;
  /** The OpenSSL function verify calls: 'ossl_ed25519_verify' or 'EVP_DigestVerify'. */
  engine(): string;
  verify(key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** verify through EVP_DigestVerify whatever engine() is (tests and benches compare them). */
  verifyEvp?(key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

export const ED25519_ADDON_URL = new URL(
  '../../kernels/native/build/Release/ed25519.node',
  import.meta.url,
);

/** The addon, loaded once (null: not built, or node exports no OpenSSL EVP API). */
let loaded: Ed25519Addon | null | undefined;

/** The addon if it is built and can verify in this node, else undefined. */
export function ed25519Addon(): Ed25519Addon | undefined {
  if (loaded === undefined) {
    loaded = null;
    try {
      const url = fileURLToPath(ED25519_ADDON_URL);
      const addon = createRequire(import.meta.url)(url) as Ed25519Addon;
      if (addon.available()) loaded = addon;
    } catch {
      // Not built (no compiler at install): node:crypto verifies.
    }
  }
  return loaded ?? undefined;
}

/**
 * The native verify if it may be used: `use` false (or BLOCKYARD_NATIVE_ED25519=0 in the
 * environment when `use` is not given) or the addon not built gives undefined.
 */
export function nativeVerifier(
  use = process.env.BLOCKYARD_NATIVE_ED25519 !== '0',
): RawVerify | undefined {
  return use ? ed25519Addon()?.verify : undefined;
}
