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
    const gone = churn(recent);
    expect(recent.size).toBe(40 * 10);
    expect(await stillHeld(gone)).toBe(0);
  });

  it('lets go of the keys deleted below its bound after it once went past it', async () => {
    // Past the bound once, its iterator is made (a node's cache filled once, then a sync's
    // churn): it must be let go after maxEntries operations that did not move it, or it keeps
    // every table V8 outgrows from then on (13,085 of the 23,600 keys here).
    const recent = new RecentMap<object, number>(1_000);
    overfillAndEmpty(recent);
    const gone = churn(recent);
    expect(recent.size).toBe(40 * 10);
    expect(await stillHeld(gone)).toBe(0);
    // And it still forgets its oldest key past the bound, with an iterator made anew.
    const kept = [...recent.keys()];
    for (let i = 0; i < 601; i++) recent.set({}, i);
    expect(recent.size).toBe(1_000);
    expect(recent.has(kept[0]!)).toBe(false);
    expect(recent.has(kept[1]!)).toBe(true);
  });
});

/**
 * 40 rounds of 600 keys set and 590 of them deleted; weak references to the deleted ones. A
 * function of its own: its frame (the last round's arrays) is gone before the collection.
 */
function churn(recent: RecentMap<object, number>): WeakRef<object>[] {
  const gone: WeakRef<object>[] = [];
  for (let round = 0; round < 40; round++) {
    const keys = Array.from({ length: 600 }, () => ({}));
    for (const [i, key] of keys.entries()) recent.set(key, i);
    for (const key of keys.slice(0, 590)) {
      recent.delete(key);
      gone.push(new WeakRef(key));
    }
  }
  return gone;
}

/** One key past the bound (the oldest evicted: the iterator made), then every key deleted. */
function overfillAndEmpty(recent: RecentMap<object, number>): void {
  const keys = Array.from({ length: 1_001 }, () => ({}));
  for (const [i, key] of keys.entries()) recent.set(key, i);
  for (const key of keys) recent.delete(key);
  expect(recent.size).toBe(0);
}

/** How many of `refs` a full collection leaves alive. */
async function stillHeld(refs: readonly WeakRef<object>[]): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve)); // WeakRefs hold their targets a turn
  collectGarbage();
  return refs.filter((ref) => ref.deref() !== undefined).length;
}
