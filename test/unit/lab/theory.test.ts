/**
 * The theory the lab's batch is measured against: the whitepaper's §11 table as printed, Eyal and
 * Sirer's known points, the lab's exact race checked by simulating that race (a seeded walk, not
 * the formula again), and the Wilson interval against values computed by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  labCatchUp,
  nakamotoCatchUp,
  selfishRevenue,
  selfishThreshold,
  wilson,
} from '../../../src/lab/theory.js';

// Bitcoin: A Peer-to-Peer Electronic Cash System, §11, as printed (7 decimals).
const PRINTED: Record<string, readonly (readonly [number, string])[]> = {
  '0.1': [
    [0, '1.0000000'],
    [1, '0.2045873'],
    [2, '0.0509779'],
    [3, '0.0131722'],
    [4, '0.0034552'],
    [5, '0.0009137'],
    [6, '0.0002428'],
    [7, '0.0000647'],
    [8, '0.0000173'],
    [9, '0.0000046'],
    [10, '0.0000012'],
  ],
  '0.3': [
    [0, '1.0000000'],
    [5, '0.1773523'],
    [10, '0.0416605'],
    [15, '0.0101008'],
    [20, '0.0024804'],
    [25, '0.0006132'],
    [30, '0.0001522'],
    [35, '0.0000379'],
    [40, '0.0000095'],
    [45, '0.0000024'],
    [50, '0.0000006'],
  ],
};

// The paper's "solving for P less than 0.1 %": the least z for each q.
const LEAST_Z: readonly (readonly [number, number])[] = [
  [0.1, 5],
  [0.15, 8],
  [0.2, 11],
  [0.25, 15],
  [0.3, 24],
  [0.35, 41],
  [0.4, 89],
  [0.45, 340],
];

/** A small seeded generator (mulberry32), so the simulation is the same every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The lab's race played block by block: who finds each block is the attacker with chance q. */
function simulate(q: number, k: number, giveUpBehind: number, runs: number, seed: number): number {
  const random = seeded(seed);
  let wins = 0;
  for (let run = 0; run < runs; run++) {
    let honest = 0;
    let attacker = 0;
    while (honest < k) {
      if (random() < q) attacker++;
      else honest++;
    }
    for (;;) {
      if (attacker > honest) {
        wins++;
        break;
      }
      if (honest - attacker >= giveUpBehind) break;
      if (random() < q) attacker++;
      else honest++;
    }
  }
  return wins / runs;
}

describe("the whitepaper's §11", () => {
  it('gives the printed table to the printed digits', () => {
    for (const [q, rows] of Object.entries(PRINTED))
      for (const [z, printed] of rows)
        expect(nakamotoCatchUp(Number(q), z).toFixed(7)).toBe(printed);
  });

  it('gives the least z for P < 0.1 % that the paper lists', () => {
    for (const [q, least] of LEAST_Z) {
      let z = 0;
      while (nakamotoCatchUp(q, z) >= 0.001) z++;
      expect(z, `q = ${q}`).toBe(least);
    }
  });

  it('is 1 for a majority', () => {
    expect(nakamotoCatchUp(0.5, 6)).toBe(1);
    expect(nakamotoCatchUp(0.7, 3)).toBe(1);
  });
});

describe("the lab's exact race", () => {
  it('agrees with the race simulated block by block', () => {
    for (const [q, k, giveUp] of [
      [0.1, 0, 8],
      [0.25, 1, 8],
      [0.4, 2, 8],
      [0.4, 6, 8],
      [0.3, 4, 5],
      [0.45, 3, 12],
    ] as const) {
      const runs = 100_000;
      const exact = labCatchUp(q, k, giveUp);
      const measured = simulate(q, k, giveUp, runs, 1 + k * 7 + Math.round(q * 100));
      // Five standard errors: a wrong formula is off by far more, a right one never this far.
      const tolerance = 5 * Math.sqrt((exact * (1 - exact)) / runs) + 1e-4;
      expect(Math.abs(measured - exact), `q ${q} k ${k} give up ${giveUp}`).toBeLessThan(tolerance);
    }
  });

  it('needs one block more than a tie: q / p at k = 0, and gives up at the cut-off', () => {
    expect(labCatchUp(0.25, 0)).toBeCloseTo(1 / 3, 12);
    expect(labCatchUp(0.1, 0)).toBeCloseTo(0.1 / 0.9, 12);
    // Giving up at once unless already ahead when the merchant ships: P(more than k attacker
    // blocks before the honest k-th) = 1 - p - pq for k = 1.
    expect(labCatchUp(0.3, 1, 0)).toBeCloseTo(1 - 0.7 - 0.7 * 0.3, 12);
    expect(labCatchUp(0.3, 0, 0)).toBe(0);
    expect(labCatchUp(0.3, 2, 1)).toBeLessThan(labCatchUp(0.3, 2, 2));
    expect(labCatchUp(0, 2)).toBe(0);
    expect(labCatchUp(0.6, 4)).toBeCloseTo(1, 12);
  });

  it('grows toward the no-give-up value as the cut-off moves away, and stays below §11', () => {
    for (const q of [0.1, 0.25, 0.4])
      for (const k of [1, 2, 4, 6]) {
        const far = labCatchUp(q, k);
        let last = 0;
        for (const giveUp of [k, k + 2, k + 5, k + 10, k + 40]) {
          const value = labCatchUp(q, k, giveUp);
          expect(value).toBeGreaterThanOrEqual(last);
          expect(value).toBeLessThanOrEqual(far + 1e-15);
          last = value;
        }
        expect(far - labCatchUp(q, k, k + 200)).toBeLessThan(1e-12);
        expect(far).toBeLessThan(nakamotoCatchUp(q, k));
      }
  });
});

describe("Eyal and Sirer's selfish mining", () => {
  it('pays exactly its share at the threshold: 1/3 when gamma = 0, 1/4 when gamma = 1/2', () => {
    expect(selfishThreshold(0)).toBeCloseTo(1 / 3, 15);
    expect(selfishThreshold(0.5)).toBeCloseTo(1 / 4, 15);
    expect(selfishThreshold(1)).toBe(0);
    for (const gamma of [0, 0.25, 0.5, 0.75]) {
      const t = selfishThreshold(gamma);
      expect(selfishRevenue(t, gamma)).toBeCloseTo(t, 12);
      expect(selfishRevenue(t - 0.02, gamma)).toBeLessThan(t - 0.02);
      expect(selfishRevenue(t + 0.02, gamma)).toBeGreaterThan(t + 0.02);
    }
  });

  it('reaches all the revenue at alpha = 1/2 and none at 0', () => {
    expect(selfishRevenue(0.5, 0)).toBeCloseTo(1, 12);
    expect(selfishRevenue(0, 0.5)).toBe(0);
  });
});

describe('the Wilson interval', () => {
  it('matches values computed by hand', () => {
    // 5 of 10: 0.5 ± 1.96·sqrt(0.025 + 0.0096)/1.384 = [0.2366, 0.7634].
    const half = wilson(5, 10);
    expect(half.low).toBeCloseTo(0.23659, 4);
    expect(half.high).toBeCloseTo(0.76341, 4);
    // 0 of 10 still has room above 0: [0, 0.2775].
    expect(wilson(0, 10).low).toBe(0);
    expect(wilson(0, 10).high).toBeCloseTo(0.27753, 4);
    expect(wilson(10, 10).high).toBe(1);
    expect(wilson(10, 10).low).toBeCloseTo(0.72247, 4);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('holds the measured rate and narrows with more trials', () => {
    for (const [s, n] of [
      [1, 4],
      [3, 7],
      [30, 70],
    ] as const) {
      const ci = wilson(s, n);
      expect(ci.low).toBeLessThanOrEqual(s / n);
      expect(ci.high).toBeGreaterThanOrEqual(s / n);
    }
    const few = wilson(3, 10);
    const many = wilson(300, 1000);
    expect(many.high - many.low).toBeLessThan(few.high - few.low);
  });
});
