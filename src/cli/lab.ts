/**
 * `blockyard lab`: a network of real nodes on this machine that you steer and watch (issue 14).
 *
 *   blockyard lab                      N lab nodes, mining at a capped rate, until Ctrl-C
 *   blockyard lab run race-attack      one scenario, its story printed; --json for the result
 *   blockyard lab batch                the 51 % attack over q and k, measured against theory
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
       blockyard lab batch [options]      (blockyard lab batch --help)

Starts real nodes on the lab network (fixed difficulty, about 2^14 hashes a block), each with
lab-only routes that cap its hash rate, cut or delay its links and withhold blocks.

  -n, --nodes <n>      how many nodes (default 3, at most 8)
      --rate <H/s>     the whole network's hash rate (default ${DEFAULT_OPTIONS.networkRate})

Scenarios (blockyard lab run <name>): ${Object.keys(scenarios).join(', ')}
      --k <n>          confirmations the merchant waits for (default ${DEFAULT_OPTIONS.k})
      --q <share>      the attacker's share of the hash rate (default ${DEFAULT_OPTIONS.q}; selfish-mining 0.4)
      --blocks <n>     selfish-mining: blocks the chain grows by during the attack (default 40)
      --json           print the result as JSON (with the whole timeline) instead of the story
`;

export async function runLab(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'batch') return (await import('./labBatch.js')).runLabBatch(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      nodes: { type: 'string', short: 'n', default: '3' },
      rate: { type: 'string', default: String(DEFAULT_OPTIONS.networkRate) },
      k: { type: 'string', default: String(DEFAULT_OPTIONS.k) },
      q: { type: 'string' },
      blocks: { type: 'string', default: '40' },
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
  const q = values.q === undefined ? undefined : Number(values.q);
  const blocks = Number(values.blocks);
  const [command, name] = positionals;
  const problem =
    !Number.isInteger(nodes) || nodes < 1 || nodes > 8
      ? `--nodes must be a number from 1 to 8, not "${values.nodes}"`
      : !Number.isInteger(rate) || rate < 100
        ? `--rate must be a whole number of hashes per second, at least 100, not "${values.rate}"`
        : !Number.isInteger(k) || k < 0 || k > 20
          ? `--k must be a number of confirmations from 0 to 20, not "${values.k}"`
          : q !== undefined && !(q > 0 && q < 1)
            ? `--q must be a share between 0 and 1 such as 0.3, not "${values.q}"`
            : !Number.isInteger(blocks) || blocks < 1 || blocks > 10_000
              ? `--blocks must be a number of blocks from 1 to 10000, not "${values.blocks}"`
              : command !== undefined && command !== 'run'
                ? `unknown lab command "${command}"`
                : command === 'run' && (name === undefined || !scenarios[name])
                  ? `name a scenario: ${Object.keys(scenarios).join(', ')}`
                  : undefined;
  if (problem) {
    process.stderr.write(`blockyard lab: ${problem}\n\n${labUsage}`);
    return 2;
  }
  if (command === 'run')
    return runOne(
      name!,
      { k, networkRate: rate, blocks, ...(q === undefined ? {} : { q }) },
      values.json,
    );
  return runInteractive(nodes, rate);
}

const line = (e: LabEvent) => `${(e.at / 1000).toFixed(2).padStart(8)} s  ${describeEvent(e)}\n`;

async function runOne(
  name: string,
  options: { k: number; q?: number; networkRate: number; blocks: number },
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
    const f = result.figures;
    const outcome =
      typeof f.revenue_share === 'number'
        ? `${result.attackSucceeded ? 'selfish mining PAID' : 'selfish mining did NOT pay'}: ${f.attacker_blocks} of ${f.chain_blocks} blocks (${(f.revenue_share * 100).toFixed(1)} %) for ${(Number(f.alpha) * 100).toFixed(0)} % of the hash power; Eyal–Sirer (gamma 0): ${(Number(f.eyal_sirer_gamma0) * 100).toFixed(1)} %; ${f.orphaned_honest_blocks} honest block(s) orphaned`
        : `${result.attackSucceeded ? 'the attack SUCCEEDED' : 'the attack FAILED'}: merchant ${result.merchantShipped ? 'shipped' : 'did not ship'}, payment ${result.payment}`;
    process.stdout.write(
      `\n  ${outcome}\n  scenario ${(result.runMs / 1000).toFixed(1)} s, lab with node start-up ${(wallMs / 1000).toFixed(1)} s\n`,
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
