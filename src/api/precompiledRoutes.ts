/**
 * The route parts whose validator or serializer is generated at build time
 * (scripts/precompileSchemas.ts → precompiled/syncSchemas.ts): those a node's first sync goes
 * through, on both sides (register; the peer's hello, headers and blocks; the ping back), and
 * GET /api/info's answer, the one route an idle node is asked (dashboards, health checks).
 * PERF: with these, an idle node never loads ajv or fast-json-stringify's compilers
 * (lazyCompilers.ts); /api/info's answer alone loaded both (its `sync` is a union, which
 * fast-json-stringify checks with ajv unless its code is inlined at build time). Settled idle
 * RSS of the built node (5 started side by side with the old code, bench/memory.ts's sampling,
 * load 6): median 78.6 → 76.0 MB, 3 s after it answered 83.8 → 79.1 MB; its CPU to start and
 * answer 810 → 640 ms. From the bundle with its code cache (src/cli/loadBundle.ts), 5 side by
 * side at load 9: 68.8 → 66.7 MB settled (each run within ±0.5 MB), 75.3 → 72.0 MB at 3 s.
 *
 * PERF: compiled at first use, they were the largest part of a fresh node's first register +
 * resolve onto 20 blocks (node --cpu-prof, plain node, load 5): ajv's code generation for the
 * register body 25–59 ms, fast-json-stringify's for the hello answer 22–37 ms. The fresh node's
 * CPU for it (bench/lib/p2pNode.ts compiled, 4 × 5 fresh nodes, old and new alternating, load
 * 9–11): median 107–128 ms before, 86–95 ms after. What is left is cold code: ≈ 370 functions
 * compiled on first call (node --log-function-events) and run by the interpreter; a running node
 * does the same in ≈ 35 ms. NOTE: with V8's --no-lazy (every function compiled as its module
 * loads) that CPU was 64–77 ms against 109–122 (load 10–12), but an idle `blockyard node` held
 * ≈ 4 MB more (settled, median of 4 starts: 78.6 against 74.6 MB), past aim 5's margin. A code
 * cache would save those ≈ 40 ms without compiling what an idle node never runs (Node 22's
 * module.enableCompileCache; on Node 20, one bundled script and vm.Script's cachedData).
 */
import type { TSchema } from '@sinclair/typebox';
import { contract } from './contract.js';

/** `METHOD url part`, part being `body`, `querystring`, `params` or an answer's status. */
export type PrecompiledKey = `${'GET' | 'POST'} /${string} ${string}`;

export const PRECOMPILED: readonly PrecompiledKey[] = [
  'POST /nodes/register body',
  'POST /api/p2p/hello body',
  'POST /api/p2p/hello 200',
  'GET /api/p2p/hello 200',
  'GET /api/p2p/headers querystring',
  'GET /api/p2p/blocks querystring',
  'GET /api/info 200',
];

/** The key fastify's compilers are called with for one route part. */
export function keyOf(definition: {
  method?: string;
  url?: string;
  httpPart?: string;
  httpStatus?: string;
}): string {
  return `${definition.method} ${definition.url} ${definition.httpPart ?? definition.httpStatus}`;
}

/** The definition fastify would pass its compiler for `key`, from the contract. */
export function precompiledSchema(key: PrecompiledKey): {
  kind: 'validator' | 'serializer';
  definition: { schema: TSchema; method: string; url: string } & (
    | { httpPart: string }
    | { httpStatus: string }
  );
} {
  const [method, url, part] = key.split(' ') as [string, string, string];
  const route = Object.values(contract).find((r) => r.method === method && r.url === url);
  if (!route) throw new Error(`no route ${method} ${url} in the contract`);
  const schemas = route.schema as unknown as Record<string, TSchema | undefined> & {
    response: Record<string, TSchema>;
  };
  const isStatus = /^\d+$/.test(part);
  const schema = isStatus ? schemas.response[part] : schemas[part];
  if (!schema) throw new Error(`${method} ${url} has no ${part} schema`);
  return isStatus
    ? { kind: 'serializer', definition: { schema, method, url, httpStatus: part } }
    : { kind: 'validator', definition: { schema, method, url, httpPart: part } };
}
