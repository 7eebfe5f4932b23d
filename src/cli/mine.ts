/**
 * `blockyard mine [COUNT]`: asks a node to mine COUNT blocks now (its `/mine?count=N`, an
 * operator action: from the node's own machine, or with its API token) and says what each took:
 * the tries, the time, the hash rate against the target, and the reward (issue 15, points 2, 7).
 */
import { parseArgs } from 'node:util';
import { type Answer, createClient } from '../api/client.js';
import { MAX_MINE_COUNT } from '../api/inputs.js';
import { formatDuration, formatHashRate } from '../api/miningReport.js';
import { formatCount } from '../core/index.js';
import { plural, shortHash, table } from './format.js';
import { EXIT, exitCodesHelp, runWithTerminal, usageError } from './io.js';
import { DEFAULT_NODE_URL, nodeUrlOf } from './wallet/context.js';

export const mineUsage = `usage: blockyard mine [COUNT] [options]

Mines COUNT blocks now on a node (default 1, at most ${MAX_MINE_COUNT}); the rewards go to the node's
own address. Each block's tries, time, hash rate, target and reward are shown.

options:
      --node <url>        the node (default $BLOCKYARD_NODE, else ${DEFAULT_NODE_URL})
      --api-token <t>     the node's API token, needed from another machine
                          (default $BLOCKYARD_API_TOKEN; the node writes it to <data-dir>/<network>/api-token)
      --json              print the node's answer as JSON
  -h, --help              this text

${exitCodesHelp}`;

export function runMine(argv: readonly string[]): Promise<number> {
  return runWithTerminal('blockyard mine', argv, async (term) => {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        node: { type: 'string' },
        'api-token': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) {
      process.stdout.write(mineUsage);
      return EXIT.ok;
    }
    const [countText = '1', ...extra] = positionals;
    if (extra.length > 0) throw usageError(`unexpected "${extra.join(' ')}"`);
    const count = /^[0-9]{1,4}$/.test(countText) ? Number(countText) : Number.NaN;
    if (!(count >= 1 && count <= MAX_MINE_COUNT)) {
      throw usageError(
        `COUNT must be a number of blocks from 1 to ${MAX_MINE_COUNT}, not "${countText}"`,
      );
    }
    const apiToken = values['api-token'] ?? term.env.BLOCKYARD_API_TOKEN;
    const client = createClient({
      baseUrl: nodeUrlOf(values.node, term.env),
      ...(apiToken ? { apiToken } : {}),
      // NOTE: many blocks on a hard target take a while; the node answers when all are mined.
      timeoutMs: 30 * 60_000,
    });
    if (!term.json && count > 1) term.note(`mining ${count} blocks on ${client.baseUrl}…`);
    const forged = await client.request('minePost', { query: { count } });
    term.result(forged, () => describeMined(forged));
    return EXIT.ok;
  });
}

/** The answer as a person reads it: one line a block, then the totals. */
export function describeMined(forged: Answer<'minePost'>): string {
  const blocks = forged.blocks;
  const rows = [
    ['block', 'hash', 'tries', 'time', 'hash rate', 'reward'],
    ...blocks.map((b) => [
      String(b.height),
      shortHash(b.hash),
      formatCount(b.tries),
      formatDuration(b.elapsed_ms),
      formatHashRate(b.hash_rate),
      `${b.reward} coins${b.fees > 0 ? ` (${b.fees} in fees)` : ''}`,
    ]),
  ];
  const tries = blocks.reduce((sum, b) => sum + b.tries, 0);
  const ms = blocks.reduce((sum, b) => sum + b.elapsed_ms, 0);
  const expected = formatCount(forged.expected_tries);
  return [
    `Mined ${plural(blocks.length, 'block')}: the chain is now at height ${forged.height}.`,
    table(rows),
    `  target ${forged.target}: a hash at or below it takes ${expected} tries on average.`,
    `  in all ${formatCount(tries)} tries in ${formatDuration(ms)}${ms > 0 ? ` (${formatHashRate((tries * 1000) / ms)})` : ''}.`,
  ].join('\n');
}
