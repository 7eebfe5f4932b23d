/**
 * A batch's figures as chart series (pure): for the 51 % attack, one chart per attacker share q
 * over k (the measured rate with its 95 % interval, the lab's exact odds, the whitepaper's §11);
 * for selfish mining, one chart over alpha (the measured revenue with its interval, Eyal and
 * Sirer's curve, and the share an honest miner would earn).
 */
import type { BatchResult, SelfishBatchResult } from '../../../../src/lab/batchResult.js';
import { labCatchUp, nakamotoCatchUp, selfishRevenue } from '../../../../src/lab/theory.js';

export type LoadedBatch = BatchResult | SelfishBatchResult;

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  /** points: the measured values, each with its interval (low, high). */
  readonly style: 'line' | 'dashed' | 'points';
  readonly ys: readonly (number | null)[];
  readonly low?: readonly (number | null)[];
  readonly high?: readonly (number | null)[];
}

export interface ChartData {
  readonly title: string;
  readonly xLabel: string;
  readonly xs: readonly number[];
  readonly series: readonly ChartSeries[];
}

const MEASURED = '#2563eb';
const EXACT = '#059669';
const PAPER = '#b45309';

/** A batch file (`blockyard lab batch --json`), or why it is not one. */
export function parseBatch(text: string): LoadedBatch | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const v = value as { kind?: unknown; cells?: unknown };
  if ((v.kind !== 'majority-batch' && v.kind !== 'selfish-batch') || !Array.isArray(v.cells))
    return 'not a lab batch (blockyard lab batch --json)';
  const numeric = (cell: unknown, keys: string[]) =>
    keys.every((key) => typeof (cell as Record<string, unknown>)[key] === 'number');
  const keys =
    v.kind === 'majority-batch'
      ? ['q', 'k', 'trials', 'successes', 'rate']
      : ['alpha', 'chainBlocks', 'attackerBlocks', 'revenue'];
  if (!v.cells.every((cell) => cell && numeric(cell, keys)))
    return 'a lab batch with cells this page cannot read';
  return value as LoadedBatch;
}

/** One chart per q: x is k, from 0 to the largest k measured. */
export function majorityCharts(result: BatchResult): ChartData[] {
  const qs = [...new Set(result.cells.map((c) => c.q))].sort((a, b) => a - b);
  const maxK = Math.max(0, ...result.cells.map((c) => c.k));
  const xs = Array.from({ length: maxK + 1 }, (_, k) => k);
  return qs.map((q) => {
    const at = (k: number) => result.cells.find((c) => c.q === q && c.k === k && c.trials > 0);
    return {
      title: `attacker with ${Math.round(q * 100)} % of the hash power`,
      xLabel: 'confirmations k',
      xs,
      series: [
        {
          label: 'measured (95 % interval)',
          color: MEASURED,
          style: 'points',
          ys: xs.map((k) => at(k)?.rate ?? null),
          low: xs.map((k) => at(k)?.ci95.low ?? null),
          high: xs.map((k) => at(k)?.ci95.high ?? null),
        },
        {
          label: `lab's rules (gives up ${result.giveUpBehind} behind)`,
          color: EXACT,
          style: 'line',
          ys: xs.map((k) => labCatchUp(q, k, result.giveUpBehind)),
        },
        {
          label: 'whitepaper §11',
          color: PAPER,
          style: 'dashed',
          ys: xs.map((k) => nakamotoCatchUp(q, k)),
        },
      ],
    };
  });
}

/** Revenue over alpha, 0 to 0.5: the curve on a fine grid, the measured shares where run. */
export function selfishChart(result: SelfishBatchResult): ChartData {
  const grid = Array.from({ length: 51 }, (_, i) => i / 100);
  const measured = result.cells.filter((c) => c.chainBlocks > 0);
  const xs = [...new Set([...grid, ...measured.map((c) => c.alpha)])].sort((a, b) => a - b);
  const at = (x: number) => measured.find((c) => c.alpha === x);
  return {
    title: "selfish miner's revenue against its hash share",
    xLabel: 'hash share alpha',
    xs,
    series: [
      {
        label: 'measured (95 % interval)',
        color: MEASURED,
        style: 'points',
        ys: xs.map((x) => at(x)?.revenue ?? null),
        low: xs.map((x) => at(x)?.ci95.low ?? null),
        high: xs.map((x) => at(x)?.ci95.high ?? null),
      },
      {
        // gamma as the batch measured it (files from before --nodes say 0).
        label: `Eyal–Sirer, gamma ${Number(result.gamma.toFixed(3))}`,
        color: EXACT,
        style: 'line',
        // Below 0 the selfish pool would do better mining honestly; the curve stops at 0.
        ys: xs.map((x) => Math.max(0, selfishRevenue(x, result.gamma))),
      },
      { label: 'honest mining (revenue = share)', color: PAPER, style: 'dashed', ys: xs },
    ],
  };
}
