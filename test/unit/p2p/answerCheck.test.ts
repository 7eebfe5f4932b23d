/**
 * A peer's answer is checked by TypeBox's interpreter for its schema's first answers, and by the
 * compiled check after: the same verdicts, and the same first error, before and after.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { COMPILE_AFTER, checkAnswer, isCompiled } from '../../../src/p2p/answerCheck.js';
import { BlocksPage, HeadersPage, Hello } from '../../../src/p2p/messages.js';

const hello = {
  version: '0.2.0',
  network: 'tutorial',
  chain_id: 1,
  genesis_hash: 'a'.repeat(64),
  node_address: 'tut1xyz',
  port: 5000,
  height: 3,
  tip_hash: 'b'.repeat(64),
  chain_work: '123',
};

const cases = [
  { schema: Hello, value: hello, ok: true },
  { schema: Hello, value: { ...hello, instance: '0123456789abcdef' }, ok: true },
  { schema: Hello, value: { ...hello, port: 0 }, ok: false },
  { schema: Hello, value: { ...hello, extra: 1 }, ok: false },
  { schema: Hello, value: { ...hello, tip_hash: 'B'.repeat(64) }, ok: false },
  { schema: Hello, value: null, ok: false },
  { schema: HeadersPage, value: { headers: ['c'.repeat(184)] }, ok: true },
  { schema: HeadersPage, value: { headers: ['c'.repeat(183)] }, ok: false },
  { schema: BlocksPage, value: { blocks: ['00ff'] }, ok: true },
  { schema: BlocksPage, value: { blocks: ['0x'] }, ok: false },
  { schema: BlocksPage, value: { blocks: Array(65).fill('00') }, ok: false },
] as const;

describe('checkAnswer', () => {
  it('gives the same verdicts and first errors interpreted and compiled', () => {
    // Each case's first answer for a copy of its schema (checks are kept by schema object):
    // interpreted. Then one copy per schema, past COMPILE_AFTER answers: compiled.
    const before = cases.map((c) => {
      const copy = { ...c.schema };
      const checked = checkAnswer(copy, c.value);
      expect(isCompiled(copy)).toBe(false);
      return checked;
    });
    const compiled = new Map<TSchema, TSchema>();
    for (const c of cases) {
      if (compiled.has(c.schema)) continue;
      const copy = { ...c.schema };
      for (let i = 0; i <= COMPILE_AFTER; i++) checkAnswer(copy, c.value);
      expect(isCompiled(copy)).toBe(true);
      compiled.set(c.schema, copy);
    }
    const after = cases.map((c) => checkAnswer(compiled.get(c.schema)!, c.value));
    expect(before.map((r) => r.ok)).toEqual(cases.map((c) => c.ok));
    expect(after).toEqual(before);
    expect(before[2]).toMatchObject({ ok: false, path: '/port' });
  });

  it('compiles a schema at its answer after the COMPILE_AFTER-th, not before', () => {
    const schema = Type.Object({ n: Type.Integer() });
    for (let i = 0; i < COMPILE_AFTER; i++) expect(checkAnswer(schema, { n: i }).ok).toBe(true);
    expect(isCompiled(schema)).toBe(false);
    expect(checkAnswer(schema, { n: 'x' }).ok).toBe(false);
    expect(isCompiled(schema)).toBe(true);
  });
});
