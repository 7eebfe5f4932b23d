/**
 * `blockyard lab batch`: the 51 % attack many times over a grid of attacker shares q and
 * confirmations k, on one set of real lab nodes, each trial the scenario's own `majorityTrial`
 * from the chain the last one left (the nodes are not restarted: a trial starts from the tip
 * they share, with fresh wallets for the merchant and the attacker's refund). Trials go round
 * the cells in turn, so that a slow spell of the machine touches every cell alike.
 *
 * Each cell: trials, successes, the measured rate with its Wilson 95 % interval, the whitepaper's
 * §11 value, the exact value for the lab's rules (a tie is not enough, the attacker gives up
 * `giveUpBehind` blocks behind), and the wall time its trials took.
 */
import { Wallet } from './actors.js';
import { type BatchResult, giveUpRule, summarise, type TrialRecord } from './batchResult.js';
import { Lab, type LabOptions } from './lab.js';
import { GIVE_UP_BEHIND, majorityTrial } from './scenarios/majorityAttack.js';
import type { ScenarioResult } from './scenarios/scenario.js';

export interface BatchOptions {
  readonly qs: readonly number[];
  readonly ks: readonly number[];
  readonly trials: number;
  /** The whole network's hash rate, hashes per second. */
  readonly networkRate: number;
  readonly giveUpBehind?: number;
  readonly command?: LabOptions['command'];
  /** The lab, once its nodes are up (the Lab page follows it). */
  readonly onLab?: (lab: Lab) => void;
  /** Each trial's result as it ends (the CLI prints a line). */
  readonly onTrial?: (cell: { q: number; k: number }, trial: number, result: TrialRecord) => void;
}

export async function runBatch(options: BatchOptions): Promise<BatchResult> {
  const started = performance.now();
  const giveUpBehind = options.giveUpBehind ?? GIVE_UP_BEHIND;
  const attacker = new Wallet('attacker');
  const lab = await Lab.start({
    nodes: ['attacker', 'honest', 'merchant'],
    minerAddresses: { attacker: attacker.address },
    ...(options.command ? { command: options.command } : {}),
  });
  const startupMs = performance.now() - started;
  options.onLab?.(lab);
  const cells = options.qs.flatMap((q) =>
    options.ks.map((k) => ({ q, k, runs: [] as TrialRecord[] })),
  );
  try {
    for (let trial = 0; trial < options.trials; trial++) {
      for (const cell of cells) {
        const record = await runTrial(
          lab,
          attacker,
          cell.q,
          cell.k,
          options.networkRate,
          giveUpBehind,
        );
        cell.runs.push(record);
        options.onTrial?.(cell, trial, record);
      }
    }
  } finally {
    await lab.close();
  }
  return {
    kind: 'majority-batch',
    network: 'lab',
    networkRate: options.networkRate,
    giveUpBehind,
    giveUpRule: giveUpRule(giveUpBehind),
    trialsPerCell: options.trials,
    cells: cells.map(({ q, k, runs }) => summarise(q, k, runs, giveUpBehind)),
    startupMs: Math.round(startupMs),
    wallMs: Math.round(performance.now() - started),
  };
}

async function runTrial(
  lab: Lab,
  attacker: Wallet,
  q: number,
  k: number,
  networkRate: number,
  giveUpBehind: number,
): Promise<TrialRecord> {
  const started = performance.now();
  try {
    const result: ScenarioResult = await majorityTrial(lab, attacker, {
      q,
      k,
      networkRate,
      giveUpBehind,
    });
    return {
      succeeded: result.attackSucceeded,
      shipped: result.merchantShipped,
      outcome: String(result.figures.outcome),
      behindAtShipping: Number(result.figures.behind_at_shipping),
      privateBlocks: Number(result.figures.private_blocks),
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    // A broken trial is not a failed attack: it is left out of the rate, and the nodes are
    // put back to a known state (no private branch, not mining) for the next one.
    await lab.withhold('attacker', false).catch(() => undefined);
    await Promise.all(
      ['attacker', 'honest'].map((n) => lab.setMining(n, false).catch(() => undefined)),
    );
    return {
      succeeded: false,
      shipped: false,
      outcome: 'broken',
      behindAtShipping: 0,
      privateBlocks: 0,
      ms: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
