/**
 * RecentMap keeps exactly the newest `maxEntries` keys, as the plain definition does (a Map
 * whose first key, the oldest, is deleted past the bound), whatever mix of sets, re-sets and
 * deletes comes: checked against that model on random operations over a small key space, so
 * that keys come back after they were evicted or deleted, and the Map is emptied and refilled.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentMap } from '../../../src/core/index.js';
import { collectGarbage } from '../../../src/p2p/collectGarbage.js';

type Op = { kind: 'set' | 'delete'; key: number; value: number };

const op = fc.record({
  kind: fc.constantFrom<'set' | 'delete'>('set', 'set', 'set', 'delete'),
  key: fc.integer({ min: 0, max: 12 }),
  value: fc.integer(),
});

function model(max: number, ops: readonly Op[]): Map<number, number> {
  const map = new Map<number, number>();
  for (const { kind, key, value } of ops) {
    map.delete(key);
    if (kind === 'delete') continue;
    map.set(key, value);
    if (map.size > max) map.delete(map.keys().next().value!);
  }
  return map;
}

describe('RecentMap', () => {
  it('keeps the newest keys, in order, as a Map that drops its first key does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 200 }), (max, ops) => {
        const recent = new RecentMap<number, number>(max);
        for (const [i, { kind, key, value }] of ops.entries()) {
          if (kind === 'set') recent.set(key, value);
          else recent.delete(key);
          const expected = model(max, ops.slice(0, i + 1));
          expect([...recent.keys()]).toEqual([...expected.keys()]);
          for (const [k, v] of expected) expect(recent.get(k)).toBe(v);
          expect(recent.size).toBe(expected.size);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('forgets the oldest of many keys one by one, past the bound', () => {
    const recent = new RecentMap<string, number>(1_000);
    for (let i = 0; i < 50_000; i++) recent.set(`k${i}`, i);
    expect(recent.size).toBe(1_000);
    expect(recent.has('k48999')).toBe(false);
    expect(recent.get('k49000')).toBe(49_000);
    expect(recent.get('k49999')).toBe(49_999);
  });

  it('lets go of the keys deleted while it churns below its bound', async () => {
    // As the chain's signature cache in a sync: keys set and taken, never as many as the bound.
    // Before, the iterator kept every table V8 made since it last moved, with every key in it.
    const recent = new RecentMap<object, number>(1_000);
    const gone: WeakRef<object>[] = [];
    for (let round = 0; round < 40; round++) {
      const keys = Array.from({ length: 600 }, () => ({}));
      for (const [i, key] of keys.entries()) recent.set(key, i);
      for (const key of keys.slice(0, 590)) {
        recent.delete(key);
        gone.push(new WeakRef(key));
      }
    }
    expect(recent.size).toBe(40 * 10);
    await new Promise((resolve) => setImmediate(resolve)); // WeakRefs hold their targets a turn
    collectGarbage();
    expect(gone.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
  });
});
