/**
 * The native kernels: kernels/native/sha256d.c, a Node-API addon that `npm run build:native`
 * compiles with node-gyp when a C compiler is present (a failed build leaves the miner on WASM).
 * The addon checks the CPU itself (CPUID) and lists the engines it can run:
 *   sha-ni   → kernel native-sha-ni    (x86 SHA extensions)
 *   openssl  → kernel native-openssl   (OpenSSL's SHA256_Transform, exported by node)
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { assertSearchArgs, type HashKernel, type KernelName, searchInRuns } from './hashKernel.js';

export const NATIVE_ADDON_URL = new URL(
  '../../../kernels/native/build/Release/sha256d.node',
  import.meta.url,
);

export type NativeEngine = 'sha-ni' | 'openssl';

interface Sha256dAddon {
  engines(): string[];
  search(
    engine: NativeEngine,
    header: Uint8Array,
    target: Uint8Array,
    hi: number,
    lo: number,
    count: number,
    out: Uint8Array,
  ): number;
}

const KERNEL_OF_ENGINE: Record<NativeEngine, KernelName> = {
  'sha-ni': 'native-sha-ni',
  openssl: 'native-openssl',
};

/** The u32 arguments cap a run; the caller's chunks are far shorter anyway. */
const MAX_RUN = 2 ** 31;

/** Loaded addons by path: require() caches too, but a failed load should not be retried. */
const addons = new Map<string, Sha256dAddon | Error>();

function loadAddon(url: URL): Sha256dAddon {
  let entry = addons.get(url.href);
  if (entry === undefined) {
    try {
      entry = createRequire(import.meta.url)(fileURLToPath(url)) as Sha256dAddon;
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      entry = new Error(`the native addon is not built (npm run build:native): ${reason}`);
    }
    addons.set(url.href, entry);
  }
  if (entry instanceof Error) throw entry;
  return entry;
}

export function createNativeKernel(engine: NativeEngine, url: URL = NATIVE_ADDON_URL): HashKernel {
  const native = loadAddon(url);
  if (!native.engines().includes(engine)) {
    throw new Error(
      engine === 'sha-ni'
        ? 'this CPU has no SHA extensions (SHA-NI), or the addon was built without them'
        : "node does not export OpenSSL's SHA256_Transform",
    );
  }
  const hashOut = new Uint8Array(32);
  return {
    name: KERNEL_OF_ENGINE[engine],
    search(header, target, startNonce, count) {
      assertSearchArgs(header, target, startNonce, count);
      return searchInRuns(startNonce, count, MAX_RUN, hashOut, (hi, lo, n) =>
        native.search(engine, header, target, hi, lo, n, hashOut),
      );
    },
  };
}
