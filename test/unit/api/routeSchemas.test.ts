/**
 * Every route's schemas are valid JSON Schema. The server compiles them with ajv's
 * `validateSchema: false` (src/api/server.ts, PERF: checking a schema against the meta-schema
 * compiled that meta-schema on a node's first request), so this test does the check instead:
 * each input and answer schema of the contract against ajv's draft-07 meta-schema, and compiled
 * with the options the server uses.
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { SERVER_AJV_OPTIONS } from '../../../src/api/ajvOptions.js';
import { contract } from '../../../src/api/contract.js';

const schemas = Object.entries(contract).flatMap(([name, route]) => {
  const { params, querystring, body, response } = route.schema as Record<string, unknown>;
  const parts: [string, TSchema][] = [];
  for (const [part, schema] of Object.entries({ params, querystring, body }))
    if (schema) parts.push([`${name} ${part}`, schema as TSchema]);
  for (const [status, schema] of Object.entries(response as Record<string, TSchema>))
    parts.push([`${name} answer ${status}`, schema]);
  return parts;
});

describe('route schemas', () => {
  it('cover every route of the contract', () => {
    expect(schemas.length).toBeGreaterThan(2 * Object.keys(contract).length);
  });

  const build = AjvCompiler()(
    {},
    { customOptions: { ...SERVER_AJV_OPTIONS, validateSchema: true } },
  );
  const compile = (schema: unknown) =>
    build({ schema, method: 'GET', url: '/', httpPart: 'body' } as never);

  it.each(schemas)('%s is a valid JSON Schema', (_name, schema) => {
    expect(() => compile(schema)).not.toThrow();
  });

  it('an invalid schema is caught', () => {
    expect(() => compile({ type: 'integer', minimum: 'zero' })).toThrow(/schema is invalid/);
  });
});
