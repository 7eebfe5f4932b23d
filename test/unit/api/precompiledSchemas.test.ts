/**
 * The validators and serializers generated at build time for a node's first sync
 * (src/api/precompiledRoutes.ts, scripts/precompileSchemas.ts) cannot drift from the contract:
 * the committed file is what generating it now writes, and each generated function gives the
 * same verdicts, errors and JSON as fastify's compilers give for the same schema at run time.
 */
import { readFileSync } from 'node:fs';
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { describe, expect, it } from 'vitest';
import { OUTPUT, precompiledSchemaCode } from '../../../scripts/precompileSchemas.js';
import { SERVER_AJV_OPTIONS } from '../../../src/api/ajvOptions.js';
import { lazySchemaController } from '../../../src/api/lazyCompilers.js';
import { precompiledRequire, syncSchemas } from '../../../src/api/precompiled/syncSchemas.js';
import {
  PRECOMPILED,
  type PrecompiledKey,
  precompiledSchema,
} from '../../../src/api/precompiledRoutes.js';

type Fn = ((data: unknown) => unknown) & { errors?: unknown };

const generated = (key: PrecompiledKey): Fn => {
  const module = { exports: undefined as unknown };
  syncSchemas[key]!(module, precompiledRequire);
  return module.exports as Fn;
};
const validators = AjvCompiler()({}, { customOptions: SERVER_AJV_OPTIONS, plugins: [] } as never);
const serializers = SerializerSelector()({}, {});
const atRunTime = (key: PrecompiledKey): Fn => {
  const { kind, definition } = precompiledSchema(key);
  return (kind === 'validator' ? validators : serializers)(definition as never) as Fn;
};

const hash = 'ab'.repeat(32);
const hello = {
  version: '0.2.0',
  network: 'devnet',
  chain_id: 7,
  genesis_hash: hash,
  node_address: 'by1qexample',
  port: 5001,
  height: 20,
  tip_hash: hash,
  chain_work: '12345',
  instance: '0123456789abcdef',
};
/** Good input for each validator; the bad ones are made from it below. */
const good: Record<string, object[]> = {
  'POST /nodes/register body': [{ nodes: ['http://127.0.0.1:5001'] }, { nodes: 'a:1,b:2' }],
  'POST /api/p2p/hello body': [hello, { ...hello, instance: undefined }],
  'GET /api/p2p/headers querystring': [
    { locator: `${hash},${hash}` },
    { locator: hash, limit: '5' },
  ],
  'GET /api/p2p/blocks querystring': [{ hashes: hash }, { hashes: hash, max_bytes: '1000' }],
};
const odd = [null, 0, -1, 1.5, 2 ** 32, '', 'x'.repeat(4001), '12', [], ['a'], [1], {}, true];
const info = {
  network: 'tutorial',
  chain_id: 1,
  address_prefix: 'tut',
  coin_decimals: 8,
  coinbase_maturity: 0,
  height: 0,
  tip_hash: hash,
  tip_timestamp_ms: 1767225600000,
  chain_work: '65537',
  bits: 520159231,
  target: hash,
  hash_rate: 0,
  mempool_size: 0,
  mempool_bytes: 0,
  peer_count: 0,
  sync: { syncing: false },
  node_address: 'tut18aznrpf59np842nxlfrzdp2lxe2ntlkdr0ny35rg580qme947a8ssytm2u',
  genesis_hash: hash,
  version: '0.2.0',
};
const syncing = { syncing: true, peer: 'http://127.0.0.1:5001', height: 3, target_height: 20 };
/** Answers for each serializer; the test adds a field too many and odd values of each field. */
const serialized: Record<string, object[]> = {
  'POST /api/p2p/hello 200': [hello, { ...hello, instance: undefined }],
  'GET /api/p2p/hello 200': [hello],
  'GET /api/info 200': [info, { ...info, sync: syncing }],
};
/** An answer with `sync` (a union: its branch is chosen by a check) off both branches, or odd. */
const oddly = (answer: object): object[] =>
  'sync' in answer
    ? [{ syncing: true }, { syncing: 'yes' }, { ...syncing, syncing: false }, null, 5].map(
        (sync) => ({ ...answer, sync }),
      )
    : [];
/** What a serializer makes of an answer: its JSON, or the error it throws. */
function outcome(serialize: Fn, answer: unknown): string {
  try {
    return `json ${serialize(answer)}`;
  } catch (error) {
    return `threw ${(error as Error).message}`;
  }
}
/** Each field dropped, each field replaced by each odd value, a field too many, not an object. */
function variants(value: object): unknown[] {
  const out: unknown[] = [value, null, 'text', 5, [], [value], { ...value, extra: 1 }];
  for (const field of Object.keys(value)) {
    const { [field]: _dropped, ...rest } = value as Record<string, unknown>;
    out.push(rest);
    for (const replaced of odd) out.push({ ...value, [field]: replaced });
  }
  return out;
}

describe('precompiled route schemas', () => {
  it('the committed code is what `npm run build:schemas` generates from the contract now', () => {
    expect(readFileSync(OUTPUT, 'utf8'), 'run `npm run build:schemas`').toBe(
      precompiledSchemaCode(),
    );
  });

  it('every precompiled part has code, and every validator has inputs to try here', () => {
    expect(Object.keys(syncSchemas).sort()).toEqual([...PRECOMPILED].sort());
    for (const key of PRECOMPILED)
      if (precompiledSchema(key).kind === 'validator') expect(good[key], key).toBeDefined();
  });

  it.each(Object.keys(good))('%s: the same verdicts and first errors as compiled', (key) => {
    const [built, compiled] = [generated(key as PrecompiledKey), atRunTime(key as PrecompiledKey)];
    let refused = 0;
    for (const value of good[key]!.flatMap(variants)) {
      const verdict = built(structuredClone(value));
      expect(verdict, JSON.stringify(value)).toBe(compiled(structuredClone(value)));
      expect(built.errors ?? null).toEqual(compiled.errors ?? null);
      if (!verdict) refused++;
    }
    expect(refused).toBeGreaterThan(20);
    for (const value of good[key]!) expect(built(value), JSON.stringify(value)).toBe(true);
  });

  it.each(PRECOMPILED.filter((key) => precompiledSchema(key).kind === 'serializer'))(
    '%s: the same JSON as compiled',
    (key) => {
      const [built, compiled] = [generated(key), atRunTime(key)];
      const answers = serialized[key]!;
      for (const answer of answers.flatMap((a) => [a, { ...a, extra: 'x' }, ...oddly(a)]))
        expect(outcome(built, answer), JSON.stringify(answer)).toEqual(outcome(compiled, answer));
      for (const answer of answers) expect(JSON.parse(built(answer) as string)).toEqual(answer);
    },
  );

  it('fastify gets the generated code for those parts, and compiles the others', () => {
    const { compilersFactory } = lazySchemaController() as {
      compilersFactory: { buildValidator: (...args: unknown[]) => (d: object) => Fn };
    };
    const build = compilersFactory.buildValidator({}, { customOptions: SERVER_AJV_OPTIONS });
    // A schema that accepts anything: the register route's generated check still refuses.
    const anything = { schema: {}, method: 'POST', httpPart: 'body' };
    expect(build({ ...anything, url: '/nodes/register' })({ nodes: [] })).toBe(false);
    expect(build({ ...anything, url: '/nodes/remove' })({ nodes: [] })).toBe(true);
  });
});
