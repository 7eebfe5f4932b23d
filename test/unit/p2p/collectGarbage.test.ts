/**
 * A sync collects its garbage every COLLECT_EVERY_BYTES of blocks it adds (collectGarbage.ts):
 * the collection frees what nothing holds, with no global gc() left for other code, and the
 * count collects once per that many bytes, however they come; and a download that collected
 * ends with one more collection.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  blockAdded,
  COLLECT_EVERY_BYTES,
  collectGarbage,
  downloadEnded,
} from '../../../src/p2p/collectGarbage.js';

/** A WeakRef to an object nothing else holds, made in a turn of its own. */
function dropped(): WeakRef<object> {
  return new WeakRef({ payload: new Array(1000).fill(7) });
}

describe('collectGarbage', () => {
  it('frees an object nothing holds, and leaves no global gc', async () => {
    const hadGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
    const ref = dropped();
    await nextTurn(); // a WeakRef's target is kept until the turn that made it ends
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
    expect(typeof (globalThis as { gc?: unknown }).gc === 'function').toBe(hadGc);
  });

  it('runs once per COLLECT_EVERY_BYTES of blocks added', async () => {
    // Whatever was counted before: a collection once this much has been added.
    blockAdded(COLLECT_EVERY_BYTES);
    let ref = dropped();
    await nextTurn();
    blockAdded(COLLECT_EVERY_BYTES - 1);
    expect(ref.deref()).toBeDefined();
    await nextTurn(); // deref() kept it for the rest of this turn
    blockAdded(1);
    expect(ref.deref()).toBeUndefined();
    ref = dropped();
    await nextTurn();
    for (let i = 0; i < 9; i++) blockAdded(COLLECT_EVERY_BYTES / 10);
    expect(ref.deref()).toBeDefined();
    await nextTurn();
    blockAdded(COLLECT_EVERY_BYTES / 10);
    expect(ref.deref()).toBeUndefined();
  });

  it('collects once more a turn after a download that collected; not after one that did not', async () => {
    blockAdded(COLLECT_EVERY_BYTES); // a collection: this download added big blocks
    let ref = dropped();
    await nextTurn();
    downloadEnded();
    await nextTurn();
    expect(ref.deref()).toBeUndefined();
    // A download that added less than COLLECT_EVERY_BYTES since: nothing more.
    blockAdded(COLLECT_EVERY_BYTES - 1);
    ref = dropped();
    await nextTurn();
    downloadEnded();
    await nextTurn();
    expect(ref.deref()).toBeDefined();
  });
});
