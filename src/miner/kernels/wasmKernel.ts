/**
 * The portable kernel: kernels/wasm/sha256d.ts (AssemblyScript, 4-lane WASM SIMD), compiled by
 * `npm run build:wasm` to kernels/wasm/build/sha256d.wasm. The path is the same seen from
 * src/miner/kernels/ (tests, tsx) and from dist/miner/kernels/ (the built node).
 */
import { readFileSync } from 'node:fs';
import { assertSearchArgs, type HashKernel, searchInRuns } from './hashKernel.js';

export const WASM_KERNEL_URL = new URL('../../../kernels/wasm/build/sha256d.wasm', import.meta.url);

/** NOTE: lib ES2022 and @types/node 20 leave WebAssembly untyped; this is the part used here. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Sha256dExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  headerPtr(): number;
  targetPtr(): number;
  resultPtr(): number;
  prepare(): void;
  search(hi: number, lo: number, count: number): number;
}

/** The kernel counts nonces in a u32 stepping by 4; runs this long keep it far from wrapping. */
const MAX_RUN = 1 << 24;

export function createWasmKernel(url: URL = WASM_KERNEL_URL): HashKernel {
  let module: object;
  try {
    module = new Module(readFileSync(url));
  } catch (error) {
    throw new Error(`cannot load ${url.pathname} (run npm run build:wasm): ${String(error)}`);
  }
  const instance = new Instance(module, {
    env: {
      abort() {
        throw new Error('the WASM kernel aborted');
      },
    },
  });
  const wasm = instance.exports as unknown as Sha256dExports;
  const memory = new Uint8Array(wasm.memory.buffer);
  const header = memory.subarray(wasm.headerPtr(), wasm.headerPtr() + 92);
  const target = memory.subarray(wasm.targetPtr(), wasm.targetPtr() + 32);
  const result = memory.subarray(wasm.resultPtr(), wasm.resultPtr() + 32);
  return {
    name: 'wasm-simd128',
    search(headerBytes, targetBytes, startNonce, count) {
      assertSearchArgs(headerBytes, targetBytes, startNonce, count);
      header.set(headerBytes);
      target.set(targetBytes);
      wasm.prepare();
      return searchInRuns(startNonce, count, MAX_RUN, result, (hi, lo, n) =>
        wasm.search(hi, lo, n),
      );
    },
  };
}
