/**
 * `blockyard lab batch` on real nodes, tiny (1 q × 2 k × 2 trials, giving up 2 blocks behind so
 * that a lost race ends quickly): its structure and that its figures agree with its own trials
 * and with theory.ts. Statistics need the full batch (docs/lab.md), not CI.
 */
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../../src/lab/batch.js';
import type { TrialRecord } from '../../../src/lab/batchResult.js';
import { labCatchUp, nakamotoCatchUp, wilson } from '../../../src/lab/theory.js';

const command: [string, ...string[]] = [
  process.execPath,
  '--import',
  'tsx',
  new URL('../../support/blockyardFromSource.ts', import.meta.url).pathname,
];

describe('the lab batch, on real nodes', () => {
  it('runs every cell the same number of times on one set of nodes and sums its trials', async () => {
    const seen: { q: number; k: number; trial: number; record: TrialRecord }[] = [];
    const result = await runBatch({
      qs: [0.3],
      ks: [0, 1],
      trials: 2,
      networkRate: 30_000,
      giveUpBehind: 2,
      command,
      onTrial: (cell, trial, record) => seen.push({ q: cell.q, k: cell.k, trial, record }),
    });
    expect(result.kind).toBe('majority-batch');
    expect(result.giveUpRule).toMatch(/2 blocks ahead/);
    // Round the cells in turn: trial 1 of each cell, then trial 2 of each.
    expect(seen.map((s) => `${s.k}/${s.trial}`)).toEqual(['0/0', '1/0', '0/1', '1/1']);
    expect(result.cells.map((c) => [c.q, c.k])).toEqual([
      [0.3, 0],
      [0.3, 1],
    ]);
    for (const cell of result.cells) {
      expect(cell.broken, JSON.stringify(cell.runs)).toBe(0);
      expect(cell.trials).toBe(2);
      expect(cell.successes).toBe(cell.runs.filter((r) => r.succeeded).length);
      expect(cell.rate).toBe(cell.successes / cell.trials);
      expect(cell.ci95).toEqual(wilson(cell.successes, cell.trials));
      expect(cell.whitepaper).toBe(nakamotoCatchUp(0.3, cell.k));
      expect(cell.labRules).toBe(labCatchUp(0.3, cell.k, 2));
      expect(cell.labNoGiveUp).toBeGreaterThanOrEqual(cell.labRules);
      expect(cell.wallMs).toBe(Math.round(cell.runs.reduce((sum, r) => sum + r.ms, 0)));
      for (const run of cell.runs) {
        // A success is a shipment followed by a release; a failure names why.
        if (run.succeeded) expect(run).toMatchObject({ shipped: true, outcome: 'released' });
        else expect(['attacker gave up', 'not shipped']).toContain(run.outcome);
        // The attacker races only once the merchant shipped.
        if (run.outcome === 'attacker gave up') expect(run.shipped).toBe(true);
      }
    }
    // k = 0: the merchant ships at once, whatever the race does.
    expect(result.cells[0]!.runs.every((r) => r.shipped)).toBe(true);
    // One set of nodes: started once, before the first trial.
    expect(result.startupMs).toBeLessThan(result.wallMs);
    expect(result.wallMs).toBeGreaterThanOrEqual(
      result.startupMs + result.cells.reduce((sum, c) => sum + c.wallMs, 0) - 50,
    );
  }, 300_000);
});
