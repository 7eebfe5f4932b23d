import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../../src/lab/describe.js';
import { type LabEvent, Timeline } from '../../../src/lab/timeline.js';

const hash = (n: number) => n.toString(16).padStart(64, '0');
const block = (node: string, n: number, at: number) =>
  ({ node, kind: 'block', hash: hash(n), height: n, prev_hash: hash(n - 1), at }) as const;
const lineOf = (t: Timeline, node: string, n: number) =>
  describeEvent(t.events.find((e) => e.kind === 'block' && e.node === node && e.height === n)!);

describe('the lab timeline', () => {
  it('gives a block its finder and the delay to each node that was there to hear of it', () => {
    const t = new Timeline();
    t.add({ node: 'node0', kind: 'found', hash: hash(1), height: 1, at: 100 });
    t.add(block('node1', 1, 130));
    // node1's stream was read before node0's: the delay is given once the find arrives.
    t.add(block('node1', 2, 250));
    t.add({ node: 'node0', kind: 'found', hash: hash(2), height: 2, at: 200 });
    expect(lineOf(t, 'node1', 1)).toBe(
      `node1 connects block 1 ${hash(1).slice(0, 10)} from node0 after 30 ms`,
    );
    expect(t.events.find((e) => e.kind === 'block' && e.height === 2)).toMatchObject({
      found_by: 'node0',
      delay_ms: 50,
    });
  });

  it('says a node away when a block was found catches it up, with no delay to mislead', () => {
    const t = new Timeline();
    t.add({ node: 'node0', kind: 'found', hash: hash(1), height: 1, at: 100 });
    t.back('node2', 5_000); // added (or restarted, or woken) long after block 1
    t.add({ node: 'node0', kind: 'found', hash: hash(2), height: 2, at: 6_000 });
    t.add(block('node2', 1, 41_000));
    t.add(block('node2', 2, 41_010));
    const [first, second] = t.events.filter(
      (e): e is LabEvent & { kind: 'block' } => e.kind === 'block',
    );
    expect(first).toMatchObject({ found_by: 'node0', caught_up: true });
    expect(first!.delay_ms).toBeUndefined();
    expect(lineOf(t, 'node2', 1)).toBe(
      `node2 catches up block 1 ${hash(1).slice(0, 10)} from node0 (found while it was away)`,
    );
    // Found after it came back: an ordinary delay, however long.
    expect(second).toMatchObject({ delay_ms: 35_010 });
    expect(second!.caught_up).toBeUndefined();
  });

  it('ties a node away the same way when its block event came before the find', () => {
    const t = new Timeline();
    t.back('node3', 500);
    t.add(block('node3', 1, 900));
    t.add({ node: 'node0', kind: 'found', hash: hash(1), height: 1, at: 100 });
    expect(t.events[0]).toMatchObject({ found_by: 'node0', caught_up: true });
  });
});
