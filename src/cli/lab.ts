/**
 * `blockyard lab`: a network of real nodes on this machine that you steer and watch (issue 14).
 *
 *   blockyard lab                      N lab nodes, mining at a capped rate, until Ctrl-C
 *   blockyard lab run race-attack      one scenario, its story printed; --json for the result
 */
import { parseArgs } from 'node:util';
import { describeEvent } from '../lab/describe.js';
import { Lab } from '../lab/lab.js';
import { startLabServer } from '../lab/labServer.js';
import { DEFAULT_OPTIONS, runScenario } from '../lab/runScenario.js';
import { scenarios } from '../lab/scenarios/index.js';
import type { LabEvent } from '../lab/timeline.js';

export const labUsage = `usage: blockyard lab [options]
       blockyard lab run <scenario> [options]

Starts real nodes on the lab network (fixed difficulty, about 2^14 hashes a block), each with
lab-only routes that cap its hash rate, cut or delay its links and withhold blocks.

  -n, --nodes <n>      how many nodes (default 3, at most 8)
      --rate <H/s>     the whole network's hash rate (default ${DEFAULT_OPTIONS.networkRate})

Scenarios (blockyard lab run <name>): ${Object.keys(scenarios).join(', ')}
      --k <n>          confirmations the merchant waits for (default ${DEFAULT_OPTIONS.k})
      --q <share>      the attacker's share of the hash rate (default ${DEFAULT_OPTIONS.q})
      --json           print the result as JSON (with the whole timeline) instead of the story
`;

export async function runLab(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      nodes: { type: 'string', short: 'n', default: '3' },
      rate: { type: 'string', default: String(DEFAULT_OPTIONS.networkRate) },
      k: { type: 'string', default: String(DEFAULT_OPTIONS.k) },
      q: { type: 'string', default: String(DEFAULT_OPTIONS.q) },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(labUsage);
    return 0;
  }
  const nodes = Number(values.nodes);
  const rate = Number(values.rate);
  const k = Number(values.k);
  const q = Number(values.q);
  const [command, name] = positionals;
  const problem =
    !Number.isInteger(nodes) || nodes < 1 || nodes > 8
      ? `--nodes must be a number from 1 to 8, not "${values.nodes}"`
      : !Number.isInteger(rate) || rate < 100
        ? `--rate must be a whole number of hashes per second, at least 100, not "${values.rate}"`
        : !Number.isInteger(k) || k < 0 || k > 20
          ? `--k must be a number of confirmations from 0 to 20, not "${values.k}"`
          : !(q > 0 && q < 1)
            ? `--q must be a share between 0 and 1 such as 0.3, not "${values.q}"`
            : command !== undefined && command !== 'run'
              ? `unknown lab command "${command}"`
              : command === 'run' && (name === undefined || !scenarios[name])
                ? `name a scenario: ${Object.keys(scenarios).join(', ')}`
                : undefined;
  if (problem) {
    process.stderr.write(`blockyard lab: ${problem}\n\n${labUsage}`);
    return 2;
  }
  if (command === 'run') return runOne(name!, { k, q, networkRate: rate }, values.json);
  return runInteractive(nodes, rate);
}

const line = (e: LabEvent) => `${(e.at / 1000).toFixed(2).padStart(8)} s  ${describeEvent(e)}\n`;

async function runOne(
  name: string,
  options: { k: number; q: number; networkRate: number },
  json: boolean,
): Promise<number> {
  const started = performance.now();
  const result = await runScenario(name, {
    ...options,
    ...(json
      ? {}
      : {
          onEvent: (e) => {
            if (e.kind === 'story' || e.kind === 'reorg' || e.kind === 'tx_refused')
              process.stdout.write(line(e));
          },
        }),
  });
  const wallMs = Math.round(performance.now() - started);
  if (json) {
    process.stdout.write(`${JSON.stringify({ ...result, wallMs }, null, 2)}\n`);
  } else {
    process.stdout.write(
      `\n  ${result.attackSucceeded ? 'the attack SUCCEEDED' : 'the attack FAILED'}: merchant ${result.merchantShipped ? 'shipped' : 'did not ship'}, payment ${result.payment}\n  scenario ${(result.runMs / 1000).toFixed(1)} s, lab with node start-up ${(wallMs / 1000).toFixed(1)} s\n`,
    );
  }
  return 0;
}

async function runInteractive(count: number, rate: number): Promise<number> {
  const names = Array.from({ length: count }, (_, i) => `node${i}`);
  process.stdout.write(`blockyard lab: starting ${count} node(s) on the lab network…\n`);
  const lab = await Lab.start({ nodes: names });
  lab.timeline.onEvent((e) => process.stdout.write(line(e)));
  for (const name of names) await lab.setHashRate(name, Math.round(rate / count), true);
  process.stdout.write(
    `\n${names.map((n) => `  ${n.padEnd(8)} ${lab.node(n).url}/   (pid ${lab.node(n).pid})`).join('\n')}\n\n  Each node's lab routes: <url>/api/lab (docs at <url>/docs). Ctrl-C stops them all.\n\n`,
  );
  const server = await startLabServer({ lab, rate });
  process.stdout.write(
    `  the Lab page  ${server.url}/#/lab   (steer the nodes, watch the block tree and the timeline)\n\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  process.stdout.write('blockyard lab: stopping…\n');
  await server.close();
  return 0;
}
