/**
 * The Lab page's "Measured against theory" charts from a batch's figures: which file it takes,
 * one chart per q over k with the measured rates only where measured, and the formulas' values.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type BatchResult,
  giveUpRule,
  type SelfishBatchResult,
  summarise,
  summariseSelfish,
  type TrialRecord,
} from '../../../src/lab/batchResult.js';
import { labCatchUp, nakamotoCatchUp, selfishRevenue } from '../../../src/lab/theory.js';
import {
  majorityCharts,
  parseBatch,
  selfishChart,
} from '../../../web/src/pages/lab/theoryChart.js';

const trial = (succeeded: boolean): TrialRecord => ({
  succeeded,
  shipped: true,
  outcome: succeeded ? 'released' : 'attacker gave up',
  behindAtShipping: 0,
  privateBlocks: 1,
  ms: 1000,
});

const majority: BatchResult = {
  kind: 'majority-batch',
  network: 'lab',
  networkRate: 30_000,
  giveUpBehind: 8,
  giveUpRule: giveUpRule(8),
  trialsPerCell: 2,
  cells: [
    summarise(0.25, 0, [trial(true), trial(false)], 8),
    summarise(0.25, 2, [trial(false), trial(false)], 8),
    summarise(0.4, 0, [trial(true), trial(true)], 8),
  ],
  startupMs: 5000,
  wallMs: 12_000,
};

const selfish: SelfishBatchResult = {
  kind: 'selfish-batch',
  network: 'lab',
  networkRate: 20_000,
  gamma: 0,
  blocksPerRun: 40,
  trialsPerCell: 1,
  cells: [
    summariseSelfish(0.4, [{ chainBlocks: 40, attackerBlocks: 19, orphanedHonest: 6, ms: 1 }]),
  ],
  startupMs: 1,
  wallMs: 2,
};

describe('the theory charts', () => {
  it('takes a batch file and says what else is not one', () => {
    expect(parseBatch(JSON.stringify(majority))).toEqual(majority);
    expect(parseBatch(JSON.stringify(selfish))).toEqual(selfish);
    expect(parseBatch('{"version":1,"nodes":[],"events":[]}')).toMatch(/not a lab batch/);
    expect(parseBatch('{"kind":"majority-batch","cells":[{"q":"x"}]}')).toMatch(/cannot read/);
    expect(parseBatch('nope')).toBe('not JSON');
  });

  it('draws one chart per q over k, measured only where measured', () => {
    const charts = majorityCharts(majority);
    expect(charts.map((c) => c.title)).toEqual([
      'attacker with 25 % of the hash power',
      'attacker with 40 % of the hash power',
    ]);
    const [first] = charts;
    expect(first!.xs).toEqual([0, 1, 2]);
    const [measured, exact, paper] = first!.series;
    expect(measured!.ys).toEqual([0.5, null, 0]);
    expect(measured!.low![1]).toBeNull();
    expect(measured!.high![0]).toBeGreaterThan(0.5);
    expect(exact!.ys).toEqual([0, 1, 2].map((k) => labCatchUp(0.25, k, 8)));
    expect(paper!.ys).toEqual([0, 1, 2].map((k) => nakamotoCatchUp(0.25, k)));
  });

  it("draws the selfish miner's revenue beside Eyal and Sirer's curve", () => {
    const chart = selfishChart(selfish);
    const at = chart.xs.indexOf(0.4);
    const [measured, curve, honest] = chart.series;
    expect(measured!.ys[at]).toBeCloseTo(19 / 40, 12);
    expect(measured!.ys.filter((y) => y !== null)).toHaveLength(1);
    expect(curve!.ys[at]).toBeCloseTo(selfishRevenue(0.4, 0), 12);
    expect(honest!.ys[at]).toBe(0.4);
    expect(Math.min(...(curve!.ys as number[]))).toBe(0);
  });

  it('loads the stored selfish batch (docs/selfish-batch.json) and draws the curve at its measured gamma', () => {
    const text = readFileSync(new URL('../../../docs/selfish-batch.json', import.meta.url), 'utf8');
    const loaded = parseBatch(text);
    if (typeof loaded === 'string') throw new Error(loaded);
    expect(loaded.kind).toBe('selfish-batch');
    if (loaded.kind !== 'selfish-batch') return;
    expect(loaded.gamma).toBeGreaterThanOrEqual(0);
    const chart = selfishChart(loaded);
    const [measured, curve] = chart.series;
    expect(curve!.label).toBe(`Eyal–Sirer, gamma ${Number(loaded.gamma.toFixed(3))}`);
    for (const cell of loaded.cells) {
      const at = chart.xs.indexOf(cell.alpha);
      expect(measured!.ys[at]).toBe(cell.revenue);
      expect(curve!.ys[at]).toBeCloseTo(Math.max(0, selfishRevenue(cell.alpha, loaded.gamma)), 12);
      expect(cell.eyalSirer).toBeCloseTo(selfishRevenue(cell.alpha, loaded.gamma), 12);
    }
  });
});
