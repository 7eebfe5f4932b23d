/**
 * gamma, counted from a timeline: in a race (the attacker released a block of the same height
 * and parent as an honest one), each honest block found on top of the attacker's block is a hit,
 * one on the honest block a miss; blocks outside races, and the attacker's own, do not count.
 */
import { describe, expect, it } from 'vitest';
import { raceOutcomes } from '../../../src/lab/scenarios/selfishMining.js';
import type { LabEvent } from '../../../src/lab/timeline.js';

const h = (c: string) => c.repeat(64);
let at = 0;
const found = (node: string, hash: string, height: number): LabEvent => ({
  at: at++,
  node,
  kind: 'found',
  hash,
  height,
});
const block = (node: string, hash: string, height: number, prev: string): LabEvent => ({
  at: at++,
  node,
  kind: 'block',
  hash,
  height,
  prev_hash: prev,
});

describe('raceOutcomes', () => {
  it('counts honest blocks on either side of each race, and nothing else', () => {
    const [g, a1, h1, h2, h3, h4, a2] = ['0', 'a', '1', '2', '3', '4', 'b'].map(h);
    const events: LabEvent[] = [
      // A race at height 1: honest1 found h1, the attacker released a1 on the same parent.
      found('honest1', h1!, 1),
      block('honest1', h1!, 1, g!),
      { at: at++, node: 'attacker', kind: 'withheld', hash: a1!, height: 1, prev_hash: g!, txs: 0 },
      {
        at: at++,
        node: 'attacker',
        kind: 'released',
        blocks: [{ hash: a1!, height: 1, status: 'side' }],
      },
      // honest2 had a1 first and built on it (a hit); honest3 built on h1 (a miss).
      block('honest2', a1!, 1, g!),
      found('honest2', h2!, 2),
      block('honest2', h2!, 2, a1!),
      found('honest3', h3!, 2),
      block('honest3', h3!, 2, h1!),
      // Later blocks on top of those are outside the race; so is the attacker's own block.
      found('honest1', h4!, 3),
      block('honest1', h4!, 3, h3!),
      {
        at: at++,
        node: 'attacker',
        kind: 'withheld',
        hash: a2!,
        height: 2,
        prev_hash: a1!,
        txs: 0,
      },
    ];
    expect(raceOutcomes(events, 'attacker')).toEqual({ races: 1, hits: 1, misses: 1 });
  });

  it('a release that ties nothing is no race', () => {
    const [g, a1] = ['0', 'a'].map(h);
    const events: LabEvent[] = [
      { at: 0, node: 'attacker', kind: 'withheld', hash: a1!, height: 1, prev_hash: g!, txs: 0 },
      {
        at: 1,
        node: 'attacker',
        kind: 'released',
        blocks: [{ hash: a1!, height: 1, status: 'connected' }],
      },
    ];
    expect(raceOutcomes(events, 'attacker')).toEqual({ races: 0, hits: 0, misses: 0 });
  });
});
