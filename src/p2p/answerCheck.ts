/**
 * The check of a peer's answer against its schema (peerClient.ts): TypeBox's interpreter for a
 * schema's first answers, its compiled check from then on. Both apply the same rules; only the
 * cost differs.
 *
 * PERF: TypeCompiler generates and compiles a function per schema, which a fresh node paid on
 * its first sync, before its first blocks: the hello, headers and blocks schemas together cost
 * 15–18 ms compiled cold against 1.5–5.7 ms checked by Value (one answer each, plain node, load
 * 8; node --cpu-prof of a fresh node's first register + resolve showed the compile at ≈ 7 % of
 * it). A schema is compiled once it has checked COMPILE_AFTER answers: a running node's calls
 * (pings, announcements, syncs) all end up compiled.
 */
import type { TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';

/** Answers checked by the interpreter before the schema is compiled. */
export const COMPILE_AFTER = 16;

interface SchemaCheck {
  answers: number;
  compiled?: TypeCheck<TSchema>;
}

const checks = new WeakMap<TSchema, SchemaCheck>();

/** Whether `value` has the shape of `schema`, or where it does not first. */
export function checkAnswer(
  schema: TSchema,
  value: unknown,
): { ok: true } | { ok: false; path: string; message: string } {
  let check = checks.get(schema);
  if (!check) {
    check = { answers: 0 };
    checks.set(schema, check);
  }
  if (!check.compiled && ++check.answers > COMPILE_AFTER)
    check.compiled = TypeCompiler.Compile(schema);
  const good = check.compiled ? check.compiled.Check(value) : Value.Check(schema, value);
  if (good) return { ok: true };
  const first = Value.Errors(schema, value).First();
  return { ok: false, path: first?.path ?? '', message: first?.message ?? '' };
}

/** Whether `schema`'s check has been compiled (for tests). */
export function isCompiled(schema: TSchema): boolean {
  return checks.get(schema)?.compiled !== undefined;
}
