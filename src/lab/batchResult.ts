/**
 * What a lab batch gives (`blockyard lab batch --json`), and how its cells are summed from their
 * trials: pure, so the Lab page reads a loaded file with the same code (batch.ts, selfishBatch.ts
 * run the trials).
 */
import { labCatchUp, nakamotoCatchUp, selfishRevenue, wilson } from './theory.js';

export interface TrialRecord {
  readonly succeeded: boolean;
  readonly shipped: boolean;
  readonly outcome: string;
  readonly behindAtShipping: number;
  readonly privateBlocks: number;
  readonly ms: number;
  /** Set when the trial broke (a node did not answer in time): not counted. */
  readonly error?: string;
}

export interface BatchCell {
  readonly q: number;
  readonly k: number;
  /** Trials counted (broken ones are not). */
  readonly trials: number;
  readonly successes: number;
  readonly rate: number;
  readonly ci95: { readonly low: number; readonly high: number };
  /** The whitepaper's §11 value for z = k. */
  readonly whitepaper: number;
  /** The exact value of the race the lab runs, give-up rule included. */
  readonly labRules: number;
  /** The same race without the give-up: what the give-up costs the attacker. */
  readonly labNoGiveUp: number;
  readonly wallMs: number;
  readonly broken: number;
  readonly runs: readonly TrialRecord[];
}

export interface BatchResult {
  readonly kind: 'majority-batch';
  readonly network: 'lab';
  readonly networkRate: number;
  readonly giveUpBehind: number;
  readonly giveUpRule: string;
  readonly trialsPerCell: number;
  readonly cells: readonly BatchCell[];
  readonly startupMs: number;
  readonly wallMs: number;
}

export const giveUpRule = (behind: number) =>
  `after the merchant ships, the attacker releases as soon as its branch is longer, and gives up once the public branch is ${behind} blocks ahead; §11 assumes it never gives up, so the lab's rate can only be lower (labRules counts the give-up exactly; labNoGiveUp - labRules is what it costs)`;

/** One cell's figures from its trials (pure: the Lab page summarises a loaded file the same way). */
export function summarise(
  q: number,
  k: number,
  runs: readonly TrialRecord[],
  giveUpBehind: number,
): BatchCell {
  const counted = runs.filter((r) => r.error === undefined);
  const successes = counted.filter((r) => r.succeeded).length;
  return {
    q,
    k,
    trials: counted.length,
    successes,
    rate: counted.length === 0 ? 0 : successes / counted.length,
    ci95: wilson(successes, counted.length),
    whitepaper: nakamotoCatchUp(q, k),
    labRules: labCatchUp(q, k, giveUpBehind),
    labNoGiveUp: labCatchUp(q, k),
    wallMs: Math.round(runs.reduce((sum, r) => sum + r.ms, 0)),
    broken: runs.length - counted.length,
    runs,
  };
}

export interface SelfishRunRecord {
  readonly chainBlocks: number;
  readonly attackerBlocks: number;
  readonly orphanedHonest: number;
  /** Honest blocks found on the attacker's side of a race (gamma's numerator), and on the honest side. */
  readonly raceHits?: number;
  readonly raceMisses?: number;
  readonly ms: number;
}

export interface SelfishCell {
  readonly alpha: number;
  readonly runs: readonly SelfishRunRecord[];
  readonly chainBlocks: number;
  readonly attackerBlocks: number;
  readonly revenue: number;
  readonly ci95: { readonly low: number; readonly high: number };
  /** Eyal and Sirer's relative revenue at this alpha, at the batch's gamma. */
  readonly eyalSirer: number;
  /** The same with gamma = 0 (the honest miners always win a tie). */
  readonly eyalSirerGamma0?: number;
  readonly orphanedHonest: number;
  readonly raceHits?: number;
  readonly raceMisses?: number;
  readonly wallMs: number;
}

export interface SelfishBatchResult {
  readonly kind: 'selfish-batch';
  readonly network: 'lab';
  readonly networkRate: number;
  /** Honest miners (nodes) sharing the honest hash power. */
  readonly honestNodes?: number;
  /** gamma as measured over all races of the batch (0 if there was none). */
  readonly gamma: number;
  readonly gammaCi95?: { readonly low: number; readonly high: number };
  readonly gammaRule?: string;
  readonly blocksPerRun: number;
  readonly trialsPerCell: number;
  readonly cells: readonly SelfishCell[];
  readonly startupMs: number;
  readonly wallMs: number;
}

export const GAMMA_RULE =
  "gamma is counted, not assumed: in each race (the attacker released a block of the same height and parent as an honest block), every honest block found on top of one of the two counts; gamma = those on the attacker's block / all of them";

/** One alpha's figures from its runs, against Eyal and Sirer at `gamma` (the batch's, measured). */
export function summariseSelfish(
  alpha: number,
  runs: readonly SelfishRunRecord[],
  gamma = 0,
): SelfishCell {
  const chainBlocks = runs.reduce((sum, r) => sum + r.chainBlocks, 0);
  const attackerBlocks = runs.reduce((sum, r) => sum + r.attackerBlocks, 0);
  return {
    alpha,
    runs,
    chainBlocks,
    attackerBlocks,
    revenue: chainBlocks === 0 ? 0 : attackerBlocks / chainBlocks,
    ci95: wilson(attackerBlocks, chainBlocks),
    eyalSirer: selfishRevenue(alpha, gamma),
    eyalSirerGamma0: selfishRevenue(alpha, 0),
    orphanedHonest: runs.reduce((sum, r) => sum + r.orphanedHonest, 0),
    raceHits: runs.reduce((sum, r) => sum + (r.raceHits ?? 0), 0),
    raceMisses: runs.reduce((sum, r) => sum + (r.raceMisses ?? 0), 0),
    wallMs: runs.reduce((sum, r) => sum + r.ms, 0),
  };
}

/** gamma over all runs: hits / (hits + misses), with its Wilson interval. */
export function measuredGamma(runs: readonly SelfishRunRecord[]): {
  gamma: number;
  ci95: { low: number; high: number };
} {
  const hits = runs.reduce((sum, r) => sum + (r.raceHits ?? 0), 0);
  const all = hits + runs.reduce((sum, r) => sum + (r.raceMisses ?? 0), 0);
  return { gamma: all === 0 ? 0 : hits / all, ci95: wilson(hits, all) };
}
