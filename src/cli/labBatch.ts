/**
 * `blockyard lab batch`: the 51 % attack over a grid of q and k on one set of real lab nodes,
 * measured against the whitepaper's §11 and the exact odds of the lab's own race (src/lab/batch.ts).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runBatch } from '../lab/batch.js';
import type { BatchCell, BatchResult, SelfishBatchResult } from '../lab/batchResult.js';
import { GIVE_UP_BEHIND } from '../lab/scenarios/majorityAttack.js';
import { runSelfishBatch } from '../lab/selfishBatch.js';

export const BATCH_DEFAULTS = { q: '0.1,0.25,0.4', k: '0,1,2,4,6', trials: 10, rate: 30_000 };
const SELFISH_DEFAULTS = { q: '0.2,0.3,0.4,0.45', trials: 2, blocks: 60 };

export const labBatchUsage = `usage: blockyard lab batch [options]

Runs the 51 % attack many times on three real lab nodes (attacker, honest miner, merchant) and
prints, for each attacker share q and confirmations k: trials, successes, the measured rate with
its 95 % interval (Wilson), the whitepaper's §11 value and the exact value of the lab's own race.

  --q <list>         attacker shares, each between 0 and 1 (default ${BATCH_DEFAULTS.q})
  --k <list>         confirmations the merchant waits for (default ${BATCH_DEFAULTS.k})
  --trials <n>       trials per cell (default ${BATCH_DEFAULTS.trials})
  --rate <H/s>       the whole network's hash rate (default ${BATCH_DEFAULTS.rate}: ~${(16_384 / BATCH_DEFAULTS.rate).toFixed(2)} s a block)
  --give-up <n>      the attacker gives up this many blocks behind (default ${GIVE_UP_BEHIND})
  --json             print the result as JSON (the Lab page loads it)
  --save <file>      also write the JSON to a file (the table is printed as usual)

  --scenario selfish-mining
                     selfish mining instead, at each share in --q (default ${SELFISH_DEFAULTS.q}),
                     --trials runs each (default ${SELFISH_DEFAULTS.trials}) of --blocks blocks (default
                     ${SELFISH_DEFAULTS.blocks}): the attacker's revenue against Eyal and Sirer's curve
  --nodes <n>        selfish mining: honest miners sharing the honest hash power (default 1);
                     gamma, the share of honest mining that builds on the attacker's block in a
                     race, is counted from what they do
`;

const list = (text: string) => text.split(',').map((part) => Number(part.trim()));

export async function runLabBatch(argv: readonly string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        scenario: { type: 'string', default: 'majority-attack' },
        q: { type: 'string' },
        k: { type: 'string', default: BATCH_DEFAULTS.k },
        trials: { type: 'string' },
        blocks: { type: 'string', default: String(SELFISH_DEFAULTS.blocks) },
        nodes: { type: 'string', default: '1' },
        rate: { type: 'string', default: String(BATCH_DEFAULTS.rate) },
        'give-up': { type: 'string', default: String(GIVE_UP_BEHIND) },
        json: { type: 'boolean', default: false },
        save: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`blockyard lab batch: ${(error as Error).message}\n\n${labBatchUsage}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(labBatchUsage);
    return 0;
  }
  const selfish = values.scenario === 'selfish-mining';
  const qs = list(String(values.q ?? (selfish ? SELFISH_DEFAULTS.q : BATCH_DEFAULTS.q)));
  const ks = list(String(values.k));
  const trials = Number(
    values.trials ?? (selfish ? SELFISH_DEFAULTS.trials : BATCH_DEFAULTS.trials),
  );
  const blocks = Number(values.blocks);
  const nodes = Number(values.nodes);
  const rate = Number(values.rate);
  const giveUp = Number(values['give-up']);
  const problem = !['majority-attack', 'selfish-mining'].includes(String(values.scenario))
    ? `--scenario is majority-attack or selfish-mining, not "${values.scenario}"`
    : qs.some((q) => !(q > 0 && q < (selfish ? 0.5 : 1)))
      ? `--q must list shares between 0 and ${selfish ? '0.5' : '1'} such as 0.1,0.3, not "${values.q}"`
      : !Number.isInteger(blocks) || blocks < 1 || blocks > 10_000
        ? `--blocks must be a number of blocks from 1 to 10000, not "${values.blocks}"`
        : ks.some((k) => !Number.isInteger(k) || k < 0 || k > 20)
          ? `--k must list confirmations from 0 to 20 such as 0,1,2, not "${values.k}"`
          : !Number.isInteger(trials) || trials < 1 || trials > 10_000
            ? `--trials must be a whole number from 1 to 10000, not "${values.trials}"`
            : !Number.isInteger(rate) || rate < 100
              ? `--rate must be a whole number of hashes per second, at least 100, not "${values.rate}"`
              : !Number.isInteger(giveUp) || giveUp < 1 || giveUp > 100
                ? `--give-up must be a number of blocks from 1 to 100, not "${values['give-up']}"`
                : !Number.isInteger(nodes) || nodes < 1 || nodes > 8
                  ? `--nodes must be a number of honest miners from 1 to 8, not "${values.nodes}"`
                  : !selfish && nodes !== 1
                    ? '--nodes is for --scenario selfish-mining (the 51 % batch runs one honest miner)'
                    : undefined;
  if (problem) {
    process.stderr.write(`blockyard lab batch: ${problem}\n\n${labBatchUsage}`);
    return 2;
  }
  const json = values.json === true;
  const save = typeof values.save === 'string' ? values.save : undefined;
  if (selfish) return selfishBatch(qs, trials, blocks, rate, nodes, json, save);
  if (!json)
    process.stdout.write(
      `blockyard lab batch: ${qs.length * ks.length} cell(s) × ${trials} trial(s) on 3 lab nodes at ${rate} H/s…\n`,
    );
  const result = await runBatch({
    qs,
    ks,
    trials,
    networkRate: rate,
    giveUpBehind: giveUp,
    ...(json
      ? {}
      : {
          onTrial: (cell, trial, record) =>
            process.stdout.write(
              `  q ${cell.q.toFixed(2)}  k ${cell.k}  trial ${trial + 1}: ${record.error ? `broken (${record.error})` : record.succeeded ? 'double spend succeeded' : `failed (${record.outcome})`}  ${(record.ms / 1000).toFixed(1)} s\n`,
            ),
        }),
  });
  if (save) writeFileSync(save, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : formatBatch(result));
  return 0;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const odds = (x: number) => (x >= 0.001 || x === 0 ? x.toFixed(3) : x.toExponential(1));

/** The batch's table, as `blockyard lab batch` prints it. */
export function formatBatch(result: BatchResult): string {
  const header = `\n    q   k  trials  succ.  measured  95 % interval    lab rules  §11 formula   wall\n`;
  const row = (c: BatchCell) =>
    `${c.q.toFixed(2).padStart(5)} ${String(c.k).padStart(3)} ${String(c.trials).padStart(7)} ${String(c.successes).padStart(6)} ${pct(c.rate).padStart(9)}  ${`${pct(c.ci95.low)}–${pct(c.ci95.high)}`.padEnd(15)} ${odds(c.labRules).padStart(9)} ${odds(c.whitepaper).padStart(12)} ${`${(c.wallMs / 1000).toFixed(0)} s`.padStart(6)}${c.broken > 0 ? `  (${c.broken} broken, not counted)` : ''}\n`;
  return `${header}${result.cells.map(row).join('')}
  lab rules: the exact odds of the race the lab runs (a tie is not enough: first seen wins it;
  the attacker's blocks are negative binomial, not Poisson). §11 formula: the whitepaper's, with
  z = k; it counts a tie as a catch-up and is 1 at k = 0.
  Give-up rule: ${result.giveUpRule}.
  ${result.networkRate} H/s on the lab network; nodes up in ${(result.startupMs / 1000).toFixed(1)} s; batch ${(result.wallMs / 1000).toFixed(0)} s in all.
`;
}

async function selfishBatch(
  alphas: number[],
  trials: number,
  blocks: number,
  rate: number,
  nodes: number,
  json: boolean,
  save: string | undefined,
): Promise<number> {
  if (!json)
    process.stdout.write(
      `blockyard lab batch: selfish mining at ${alphas.length} share(s) × ${trials} run(s) of ${blocks} blocks at ${rate} H/s, ${nodes} honest miner(s)…\n`,
    );
  const result = await runSelfishBatch({
    alphas,
    trials,
    blocks,
    networkRate: rate,
    honestNodes: nodes,
    ...(json
      ? {}
      : {
          onRun: (alpha, trial, run) =>
            process.stdout.write(
              `  alpha ${alpha.toFixed(2)}  run ${trial + 1}: ${run.attackerBlocks} of ${run.chainBlocks} blocks, ${run.orphanedHonest} honest orphaned, races ${run.raceHits ?? 0} honest block(s) on the attacker's side / ${run.raceMisses ?? 0} on the honest side  ${(run.ms / 1000).toFixed(1)} s\n`,
            ),
        }),
  });
  if (save) writeFileSync(save, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : formatSelfish(result));
  return 0;
}

/** The selfish batch's table. */
export function formatSelfish(result: SelfishBatchResult): string {
  const header = `\n  alpha  runs  blocks  attacker's  revenue  95 % interval    Eyal–Sirer  orphaned   wall\n`;
  const row = (c: SelfishBatchResult['cells'][number]) =>
    `${c.alpha.toFixed(2).padStart(7)} ${String(c.runs.length).padStart(5)} ${String(c.chainBlocks).padStart(7)} ${String(c.attackerBlocks).padStart(11)} ${pct(c.revenue).padStart(8)}  ${`${pct(c.ci95.low)}–${pct(c.ci95.high)}`.padEnd(15)} ${pct(c.eyalSirer).padStart(11)} ${String(c.orphanedHonest).padStart(9)} ${`${(c.wallMs / 1000).toFixed(0)} s`.padStart(6)}\n`;
  return `${header}${result.cells.map(row).join('')}
  revenue: the attacker's blocks on the final chains over all their blocks; Eyal–Sirer: their
  relative revenue at the measured gamma ${result.gamma.toFixed(3)}${result.gammaCi95 ? ` (95 %: ${result.gammaCi95.low.toFixed(3)}–${result.gammaCi95.high.toFixed(3)})` : ''}, ${result.honestNodes ?? 1} honest miner(s).
  ${result.gammaRule ?? ''}
  The revenue interval counts blocks as independent: it is too narrow.
  ${result.networkRate} H/s on the lab network; nodes up in ${(result.startupMs / 1000).toFixed(1)} s; batch ${(result.wallMs / 1000).toFixed(0)} s in all.
`;
}
