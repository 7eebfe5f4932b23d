import { describe, expect, it } from 'vitest';
import {
  type HashKernel,
  KERNEL_NAMES,
  type KernelName,
} from '../../../src/miner/kernels/hashKernel.js';
import {
  isKernelChoice,
  type KernelLoaders,
  loadKernel,
} from '../../../src/miner/kernels/loadKernel.js';

/** Loaders that succeed with a stub, except those named, which throw like a missing addon. */
function loaders(unavailable: readonly KernelName[]): KernelLoaders {
  const entries = KERNEL_NAMES.map((name) => [
    name,
    (): HashKernel => {
      if (unavailable.includes(name)) throw new Error(`${name} is not here`);
      return { name, search: () => ({ nonce: null, hash: null, tries: 0 }) };
    },
  ]);
  return Object.fromEntries(entries) as KernelLoaders;
}

describe('loadKernel', () => {
  it('tries native SHA-NI, then WASM, then native OpenSSL, then node:crypto', () => {
    expect(KERNEL_NAMES).toEqual([
      'native-sha-ni',
      'wasm-simd128',
      'native-openssl',
      'node-crypto',
    ]);
    expect(loadKernel('auto', loaders([])).kernel.name).toBe('native-sha-ni');
  });

  it('falls back to WASM when the native addon is missing, and says why', () => {
    const { kernel, skipped } = loadKernel('auto', loaders(['native-sha-ni']));
    expect(kernel.name).toBe('wasm-simd128');
    expect(skipped).toEqual([{ name: 'native-sha-ni', reason: 'native-sha-ni is not here' }]);
  });

  it('falls back to node:crypto when neither native nor WASM loads', () => {
    const missing: KernelName[] = ['native-sha-ni', 'wasm-simd128', 'native-openssl'];
    const { kernel, skipped } = loadKernel('auto', loaders(missing));
    expect(kernel.name).toBe('node-crypto');
    expect(skipped.map((s) => s.name)).toEqual(missing);
  });

  it('uses a kernel asked for by name, and falls back in order if it is missing', () => {
    expect(loadKernel('node-crypto', loaders([])).kernel.name).toBe('node-crypto');
    const { kernel, skipped } = loadKernel('native-openssl', loaders(['native-openssl']));
    expect(kernel.name).toBe('native-sha-ni');
    expect(skipped.map((s) => s.name)).toEqual(['native-openssl']);
  });

  it('fails with every reason when nothing loads', () => {
    expect(() => loadKernel('auto', loaders(KERNEL_NAMES))).toThrow(/node-crypto is not here/);
  });

  it('reports a real missing build with the command that makes it', async () => {
    const { createWasmKernel } = await import('../../../src/miner/kernels/wasmKernel.js');
    expect(() => createWasmKernel(new URL('file:///nonexistent/sha256d.wasm'))).toThrow(
      /npm run build:wasm/,
    );
    const { createNativeKernel } = await import('../../../src/miner/kernels/nativeKernel.js');
    expect(() => createNativeKernel('sha-ni', new URL('file:///nonexistent/x.node'))).toThrow(
      /npm run build:native/,
    );
  });

  it('knows the kernel names a --miner-kernel flag may take', () => {
    expect(isKernelChoice('auto')).toBe(true);
    expect(isKernelChoice('wasm-simd128')).toBe(true);
    expect(isKernelChoice('gpu')).toBe(false);
  });
});
