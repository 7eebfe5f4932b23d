/** The scenarios `blockyard lab run <name>` knows, by name. */
import { finneyAttack } from './finneyAttack.js';
import { majorityAttack } from './majorityAttack.js';
import { raceAttack } from './raceAttack.js';
import type { Scenario } from './scenario.js';
import { selfishMining } from './selfishMining.js';

export const scenarios: Readonly<Record<string, Scenario>> = {
  [raceAttack.name]: raceAttack,
  [finneyAttack.name]: finneyAttack,
  [majorityAttack.name]: majorityAttack,
  [selfishMining.name]: selfishMining,
};

export type { Scenario, ScenarioOptions, ScenarioResult } from './scenario.js';
