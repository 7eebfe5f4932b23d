/**
 * `blockyard lab batch --scenario selfish-mining`: selfish mining at several hash shares alpha,
 * each run `trials` times on one set of real lab nodes (the scenario's own `selfishRun`, each from
 * the chain the last one left), against Eyal and Sirer's revenue curve (gamma = 0: the honest
 * miner keeps the block it saw first, its own).
 *
 * The revenue of a cell is the attacker's blocks over all blocks, summed over its runs' final
 * chains. Its interval is Wilson's over those blocks, which treats them as independent: they are
 * not quite (a release decides several at once), so the true interval is somewhat wider.
 */
import { Wallet } from './actors.js';
import {
  GAMMA_RULE,
  measuredGamma,
  type SelfishBatchResult,
  type SelfishRunRecord,
  summariseSelfish,
} from './batchResult.js';
import { Lab, type LabOptions } from './lab.js';
import { selfishMining, selfishNodes, selfishRun } from './scenarios/selfishMining.js';

export interface SelfishBatchOptions {
  readonly alphas: readonly number[];
  readonly trials: number;
  /** Blocks the chain grows by in each run. */
  readonly blocks: number;
  readonly networkRate: number;
  /** Honest miners sharing the honest hash power (default 1). */
  readonly honestNodes?: number;
  readonly command?: LabOptions['command'];
  /** The lab, once its nodes are up (the Lab page follows it). */
  readonly onLab?: (lab: Lab) => void;
  readonly onRun?: (alpha: number, trial: number, run: SelfishRunRecord) => void;
}

export async function runSelfishBatch(options: SelfishBatchOptions): Promise<SelfishBatchResult> {
  const started = performance.now();
  const attacker = new Wallet('attacker');
  const honestNodes = options.honestNodes ?? 1;
  const lab = await Lab.start({
    nodes: selfishNodes(honestNodes),
    minerAddresses: selfishMining.minerAddresses({ attacker }),
    ...(options.command ? { command: options.command } : {}),
  });
  const startupMs = performance.now() - started;
  options.onLab?.(lab);
  const runs = new Map(options.alphas.map((alpha) => [alpha, [] as SelfishRunRecord[]]));
  try {
    for (let trial = 0; trial < options.trials; trial++)
      for (const alpha of options.alphas) {
        const begun = performance.now();
        const result = await selfishRun(lab, attacker.address, {
          k: 0,
          q: alpha,
          networkRate: options.networkRate,
          blocks: options.blocks,
        });
        const run = {
          chainBlocks: Number(result.figures.chain_blocks),
          attackerBlocks: Number(result.figures.attacker_blocks),
          orphanedHonest: Number(result.figures.orphaned_honest_blocks),
          raceHits: Number(result.figures.race_hits),
          raceMisses: Number(result.figures.race_misses),
          ms: Math.round(performance.now() - begun),
        };
        runs.get(alpha)!.push(run);
        options.onRun?.(alpha, trial, run);
      }
  } finally {
    await lab.close();
  }
  const gamma = measuredGamma([...runs.values()].flat());
  return {
    kind: 'selfish-batch',
    network: 'lab',
    networkRate: options.networkRate,
    honestNodes,
    gamma: gamma.gamma,
    gammaCi95: gamma.ci95,
    gammaRule: GAMMA_RULE,
    blocksPerRun: options.blocks,
    trialsPerCell: options.trials,
    cells: options.alphas.map((alpha) => summariseSelfish(alpha, runs.get(alpha)!, gamma.gamma)),
    startupMs: Math.round(startupMs),
    wallMs: Math.round(performance.now() - started),
  };
}
