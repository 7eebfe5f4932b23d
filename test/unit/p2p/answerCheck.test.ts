/**
 * A peer's answer is checked by TypeBox's interpreter for its schema's first answers, and by the
 * compiled check after: the same verdicts, and the same first error, before and after.
 */
import { Type } from '@sinclair/typebox';
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
    const before = cases.map((c) => checkAnswer(c.schema, c.value));
    for (const c of cases) expect(isCompiled(c.schema)).toBe(false);
    for (let i = 0; i < COMPILE_AFTER; i++) for (const c of cases) checkAnswer(c.schema, c.value);
    for (const c of cases) expect(isCompiled(c.schema)).toBe(true);
    const after = cases.map((c) => checkAnswer(c.schema, c.value));
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
