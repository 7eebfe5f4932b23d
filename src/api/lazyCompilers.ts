/**
 * Fastify's schema compilers, made lazy: a route's request validator and response serializer
 * are compiled the first time the route is called, not all at start. PERF: ajv and
 * fast-json-stringify generate code for each of the ~90 routes' schemas as the server starts,
 * and the garbage of that work left the V8 heap large for the node's whole life. Idle resident
 * memory of the built node (`blockyard node`, 7 s after start, 5 starts each, alternating, load
 * average 11): 92.6–121.7 MB (most starts 120) compiled at start, 91.3–99.8 MB lazily. The first
 * call of a route pays its compile (about a millisecond) once.
 *
 * The parts a node's first sync goes through are not compiled at all: their code was generated
 * at build time (precompiledRoutes.ts, precompiled/syncSchemas.ts) and is only instantiated here.
 */
import { createRequire } from 'node:module';
import type { AjvCompiler } from '@fastify/ajv-compiler';
import type { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';
import { precompiledRequire, syncSchemas } from './precompiled/syncSchemas.js';
import { keyOf } from './precompiledRoutes.js';

/** A compiled schema function: called with the data, and for validators `.errors` after. */
type Compiled = ((this: unknown, data: unknown) => unknown) & { errors?: unknown };

/** The build-time code for the route part `definition`, if it has some. */
function precompiled(definition: unknown): Compiled | undefined {
  const make = syncSchemas[keyOf(definition as Parameters<typeof keyOf>[0])];
  if (!make) return undefined;
  const module = { exports: undefined as unknown };
  make(module, precompiledRequire);
  return module.exports as Compiled;
}

/** Wraps a compiler so that each function it returns compiles on its first call. */
function lazily<Definition>(compile: (definition: Definition) => Compiled) {
  return (definition: Definition): Compiled => {
    let compiled: Compiled | undefined;
    const run: Compiled = function (this: unknown, data: unknown) {
      compiled ??= precompiled(definition) ?? compile(definition);
      const result = compiled.call(this, data);
      // Fastify reads a failed validation's errors from the function it was given.
      run.errors = compiled.errors;
      return result;
    };
    return run;
  };
}

/**
 * Fastify's `schemaController` option: its own compilers, each behind `lazily`, and loaded only
 * when a route part without build-time code is first called. PERF: ajv (88 modules) and
 * fast-json-stringify, with the Ajv instance each context made at start, were loaded by every
 * node, and an idle one never needs them: ajv's and fast-json-stringify's compilers required and
 * made in a bare node, after a full GC: +1.0–1.3 MB of heap, +4 MB RSS.
 */
export function lazySchemaController(): NonNullable<FastifyServerOptions['schemaController']> {
  const load = createRequire(import.meta.url);
  let validators: ReturnType<typeof AjvCompiler> | undefined;
  let serializers: ReturnType<typeof SerializerSelector> | undefined;
  const compilersFactory = {
    // biome-ignore lint/suspicious/noExplicitAny: fastify's factory signatures, passed through
    buildValidator: (external: any, options: any) => {
      let compile: ((definition: never) => Compiled) | undefined;
      return lazily((definition: never) => {
        validators ??= (
          load('@fastify/ajv-compiler') as { AjvCompiler: typeof AjvCompiler }
        ).AjvCompiler();
        compile ??= validators(external, options) as unknown as (definition: never) => Compiled;
        return compile(definition);
      });
    },
    // biome-ignore lint/suspicious/noExplicitAny: as above
    buildSerializer: (external: any, options: any) => {
      let compile: ((definition: never) => Compiled) | undefined;
      return lazily((definition: never) => {
        serializers ??= (
          load('@fastify/fast-json-stringify-compiler') as {
            SerializerSelector: typeof SerializerSelector;
          }
        ).SerializerSelector();
        compile ??= serializers(external, options) as unknown as (definition: never) => Compiled;
        return compile(definition);
      });
    },
  };
  // NOTE: ajv's ValidateFunction type carries fields (schema, schemaEnv) fastify never reads.
  return { compilersFactory } as NonNullable<FastifyServerOptions['schemaController']>;
}
