/**
 * The check of a peer's answer against its schema (peerClient.ts): TypeBox's interpreter for a
 * schema's first answers, its compiled check from then on. Both apply the same rules; only the
 * cost differs.
 *
 * PERF: TypeCompiler generates and compiles a function per schema, which a fresh node paid on
 * its first sync, before its first blocks: the hello, headers and blocks schemas together cost
 * 15–18 ms compiled cold against 1.5–5.7 ms checked by TypeBox's interpreter (one answer each,
 * plain node, load 8; node --cpu-prof of a fresh node's first register + resolve showed the
 * compile at ≈ 7 % of it). A schema is compiled once it has checked COMPILE_AFTER answers: a running node's calls
 * (pings, announcements, syncs) all end up compiled.
 * PERF: COMPILE_AFTER was 16, so a node's first 16 syncs were checked interpreted: a running
 * node's register + resolve onto 20 blocks (its 2nd to 6th) spent ≈ 4 % of its CPU in the
 * interpreter (bench/lib/adoptProfile.ts, 30 rounds). A node's first register + resolve checks a
 * hello, two headers pages and a blocks page: at 2, still all interpreted; its next compiles.
 */
import type { TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
// NOTE: TypeBox's error iterator, which its compiler loads anyway, and not its Value module
// (0.3 MB of an idle node's heap, which an idle node does not load: src/api/server.ts).
import { Errors } from '@sinclair/typebox/errors';

/** Answers checked by the interpreter before the schema is compiled. */
export const COMPILE_AFTER = 2;

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
  if (check.compiled) {
    if (check.compiled.Check(value)) return { ok: true };
    const first = check.compiled.Errors(value).First();
    return { ok: false, path: first?.path ?? '', message: first?.message ?? '' };
  }
  // Interpreted: valid when no rule finds an error.
  const first = Errors(schema, value).First();
  return first ? { ok: false, path: first.path, message: first.message } : { ok: true };
}

/** Whether `schema`'s check has been compiled (for tests). */
export function isCompiled(schema: TSchema): boolean {
  return checks.get(schema)?.compiled !== undefined;
}
