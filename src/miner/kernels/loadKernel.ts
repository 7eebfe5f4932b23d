/**
 * Picks the fastest kernel that works here, or the one asked for, and says why the others were
 * skipped. The order is KERNEL_NAMES: native SHA-NI, WASM SIMD, native OpenSSL, node:crypto.
 * WASM comes before the OpenSSL engine because without SHA-NI, OpenSSL's one-block-at-a-time
 * compress is slower than four WASM lanes.
 */

import { type HashKernel, KERNEL_NAMES, type KernelName } from './hashKernel.js';
import { createNativeKernel } from './nativeKernel.js';
import { createNodeCryptoKernel } from './nodeCryptoKernel.js';
import { createWasmKernel } from './wasmKernel.js';

export type KernelChoice = KernelName | 'auto';

export type KernelLoaders = Record<KernelName, () => HashKernel>;

export const DEFAULT_LOADERS: KernelLoaders = {
  'native-sha-ni': () => createNativeKernel('sha-ni'),
  'wasm-simd128': () => createWasmKernel(),
  'native-openssl': () => createNativeKernel('openssl'),
  'node-crypto': () => createNodeCryptoKernel(),
};

export interface SkippedKernel {
  readonly name: KernelName;
  readonly reason: string;
}

export interface LoadedKernel {
  readonly kernel: HashKernel;
  /** Kernels tried before it, and why each could not be used. */
  readonly skipped: readonly SkippedKernel[];
}

export function isKernelChoice(value: string): value is KernelChoice {
  return value === 'auto' || (KERNEL_NAMES as readonly string[]).includes(value);
}

/**
 * 'auto' tries every kernel in order; a named kernel is tried first and the rest follow, so that
 * asking for one this machine lacks still mines (the skipped list says why).
 */
export function loadKernel(
  choice: KernelChoice = 'auto',
  loaders: Partial<KernelLoaders> = {},
): LoadedKernel {
  const all = { ...DEFAULT_LOADERS, ...loaders };
  const order: KernelName[] =
    choice === 'auto' ? [...KERNEL_NAMES] : [choice, ...KERNEL_NAMES.filter((n) => n !== choice)];
  const skipped: SkippedKernel[] = [];
  for (const name of order) {
    try {
      return { kernel: all[name](), skipped };
    } catch (error) {
      skipped.push({ name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  const reasons = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(`no hash kernel works here (${reasons})`);
}

/** Every kernel that loads here, in order (the benchmark runs them all). */
export function loadAllKernels(loaders: Partial<KernelLoaders> = {}): HashKernel[] {
  const all = { ...DEFAULT_LOADERS, ...loaders };
  const kernels: HashKernel[] = [];
  for (const name of KERNEL_NAMES) {
    try {
      kernels.push(all[name]());
    } catch {
      // not available on this machine or build; loadKernel says why
    }
  }
  return kernels;
}
