/**
 * Runs one scenario on a fresh lab: starts its nodes, plays it, closes the lab (also on failure)
 * unless the caller keeps it.
 */
import { Wallet } from './actors.js';
import { Lab, type LabOptions } from './lab.js';
import { type ScenarioOptions, type ScenarioResult, scenarios } from './scenarios/index.js';
import type { LabEvent } from './timeline.js';

export interface RunOptions extends Partial<ScenarioOptions> {
  readonly command?: LabOptions['command'];
  /** Each timeline event as it happens (the CLI prints the story). */
  readonly onEvent?: (event: LabEvent) => void;
  /** The lab, once its nodes are up (the Lab page follows it). */
  readonly onLab?: (lab: Lab) => void;
  /**
   * Leave the nodes running at the end (the Lab page keeps showing them, live, to look around
   * and steer on); whoever passed `onLab` closes the lab then.
   */
  readonly keepLab?: boolean;
}

export const DEFAULT_OPTIONS: ScenarioOptions = { k: 0, q: 0.7, networkRate: 20_000 };

export async function runScenario(
  name: string,
  options: RunOptions = {},
): Promise<ScenarioResult & { timeline: readonly LabEvent[] }> {
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`no scenario "${name}" (${Object.keys(scenarios).join(', ')})`);
  const attacker = new Wallet('attacker');
  const lab = await Lab.start({
    nodes: scenario.nodes,
    minerAddresses: scenario.minerAddresses({ attacker }),
    ...(options.command ? { command: options.command } : {}),
  });
  lab.addActor('attacker', attacker.address);
  options.onLab?.(lab);
  const stop = options.onEvent ? lab.timeline.onEvent(options.onEvent) : () => {};
  try {
    const result = await scenario.run(
      lab,
      { attacker },
      {
        k: options.k ?? DEFAULT_OPTIONS.k,
        q: options.q ?? scenario.defaultQ ?? DEFAULT_OPTIONS.q,
        networkRate: options.networkRate ?? DEFAULT_OPTIONS.networkRate,
        ...(options.blocks === undefined ? {} : { blocks: options.blocks }),
        ...(options.orphans === undefined ? {} : { orphans: options.orphans }),
      },
    );
    return { ...result, timeline: lab.timeline.events };
  } finally {
    stop();
    if (!options.keepLab) await lab.close();
  }
}
