/**
 * The selfish miner's rules (Eyal and Sirer's Algorithm 1) as states of the race: each case is a
 * state of their state machine and what the attacker must do in it.
 */
import { describe, expect, it } from 'vitest';
import { type SelfishView, selfishMove } from '../../../src/miner/selfishMove.js';

const tip = 'a'.repeat(64);
const other = 'b'.repeat(64);
const view = (v: Partial<SelfishView>): SelfishView => ({
  publicHeight: 10,
  publicTip: tip,
  baseHeight: 10,
  baseHash: tip,
  pending: [],
  ...v,
});
const blocks = (...heights: number[]) => heights.map((height) => ({ height }));

describe('the selfish miner', () => {
  it('state 0: mines privately on the public tip and waits', () => {
    expect(selfishMove(view({}))).toEqual({ kind: 'wait', lead: 0 });
  });

  it('state 0, an honest block: adopts the public chain', () => {
    expect(selfishMove(view({ publicHeight: 11, publicTip: other }))).toMatchObject({
      kind: 'adopt',
      lead: -1,
    });
  });

  it('state 1 (its own block): keeps it', () => {
    expect(selfishMove(view({ pending: blocks(11) }))).toEqual({ kind: 'wait', lead: 1 });
  });

  it('state 1, an honest block: releases its block to match (the race of state 0′)', () => {
    expect(
      selfishMove(view({ publicHeight: 11, publicTip: other, pending: blocks(11) })),
    ).toMatchObject({ kind: 'release', count: 1, why: 'match', lead: 0 });
  });

  it('state 0′, its next block: releases it and wins the race', () => {
    // Its released block (height 11) lost the first-seen race on its own node: the base is off
    // the public tip.
    expect(
      selfishMove(
        view({
          publicHeight: 11,
          publicTip: other,
          baseHeight: 11,
          baseHash: tip,
          pending: blocks(12),
        }),
      ),
    ).toMatchObject({ kind: 'release', count: 1, why: 'win', lead: 1 });
  });

  it('state 0′, the honest network mines on either block: adopts', () => {
    expect(
      selfishMove(view({ publicHeight: 12, publicTip: other, baseHeight: 11, baseHash: tip })),
    ).toMatchObject({ kind: 'adopt' });
  });

  it('lead 2, an honest block: releases everything (its branch is longer by one)', () => {
    expect(
      selfishMove(view({ publicHeight: 11, publicTip: other, pending: blocks(11, 12) })),
    ).toMatchObject({ kind: 'release', count: 2, why: 'win', lead: 1 });
  });

  it('lead above 2, an honest block: releases only the block that matches it', () => {
    expect(
      selfishMove(view({ publicHeight: 11, publicTip: other, pending: blocks(11, 12, 13, 14) })),
    ).toMatchObject({ kind: 'release', count: 1, why: 'match', lead: 3 });
    expect(selfishMove(view({ pending: blocks(11, 12, 13) }))).toEqual({ kind: 'wait', lead: 3 });
  });

  it('two honest blocks at once from lead 2: matches both (a race it may still win)', () => {
    expect(
      selfishMove(view({ publicHeight: 12, publicTip: other, pending: blocks(11, 12) })),
    ).toMatchObject({ kind: 'release', count: 2, why: 'match', lead: 0 });
  });
});
