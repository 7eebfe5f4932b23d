/**
 * `blockyard chain info|block|tx|address`: reads a node's chain from the terminal, over the same
 * HTTP API the dashboards use. No wallet and no password: everything here is public.
 */
import { parseArgs } from 'node:util';
import { type Client, createClient, type TxView } from '../api/client.js';
import type { TxJson } from '../core/index.js';
import {
  ago,
  coins,
  directionOf,
  fields,
  plural,
  shortHash,
  signedAmount,
  table,
  txInCoins,
} from './format.js';
import { EXIT, exitCodesHelp, runWithTerminal, type Terminal, usageError } from './io.js';
import { DEFAULT_NODE_URL, nodeUrlOf } from './wallet/context.js';
import type { DroppedView } from './wallet/follow.js';

export const chainUsage = `usage: blockyard chain <command> [options]

commands:
  info                  the node and the tip of its chain
  block [HEIGHT|HASH]   a block and its transactions (default: the tip)
  tx ID                 a transaction: pending, confirmed in which block, or dropped and why
  address ADDRESS       an address's balance, nonce and recent transactions

options:
      --node <url>      the node to ask (default $BLOCKYARD_NODE, else ${DEFAULT_NODE_URL})
      --limit <n>       address: how many recent transactions (default 20, at most 100)
      --json            print one JSON object on stdout (amounts in coins); errors too
  -h, --help            this text

${exitCodesHelp}`;

export function runChain(argv: readonly string[]): Promise<number> {
  return runWithTerminal('blockyard chain', argv, async (term) => {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        node: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
    const [command, argument, ...extra] = positionals;
    if (values.help || command === undefined || command === 'help') {
      process.stdout.write(chainUsage);
      return EXIT.ok;
    }
    if (extra.length > 0) throw usageError(`unexpected "${extra.join(' ')}"`);
    const client = createClient({ baseUrl: nodeUrlOf(values.node, term.env) });
    switch (command) {
      case 'info':
        if (argument !== undefined) throw usageError(`chain info takes no argument`);
        return showInfo(term, client);
      case 'block':
        return showBlock(term, client, argument);
      case 'tx':
        if (!argument || !/^[0-9a-fA-F]{64}$/.test(argument)) {
          throw usageError('chain tx needs a transaction id: 64 hex characters');
        }
        return showTx(term, client, argument);
      case 'address': {
        if (!argument) throw usageError('chain address needs an address');
        const limit = values.limit === undefined ? 20 : Number(values.limit);
        if (!(Number.isInteger(limit) && limit >= 1 && limit <= 100)) {
          throw usageError(`--limit must be a number from 1 to 100, not "${values.limit}"`);
        }
        return showAddress(term, client, argument, limit);
      }
      default:
        throw usageError(`"${command}" is not a chain command; they are: info, block, tx, address`);
    }
  });
}

async function showInfo(term: Terminal, client: Client): Promise<number> {
  const info = await client.info();
  term.result({ node: client.baseUrl, ...info }, () =>
    [
      `Node ${client.baseUrl} (blockyard ${info.version})`,
      fields([
        [
          'network',
          `${info.network} (chain id ${info.chain_id}, addresses ${info.address_prefix}1…)`,
        ],
        ['height', String(info.height)],
        ['tip', `${info.tip_hash} (${ago(info.tip_timestamp_ms, Date.now())})`],
        ['target', `bits 0x${info.bits.toString(16)}, ${info.hash_rate} hashes/s mining here`],
        ['mempool', `${plural(info.mempool_size, 'transaction')} (${info.mempool_bytes} bytes)`],
        ['peers', String(info.peer_count)],
        [
          'sync',
          info.sync.syncing
            ? `syncing from ${info.sync.peer}: ${info.sync.height} of ${info.sync.target_height}`
            : 'up to date with its peers',
        ],
        ['node address', info.node_address],
        ['genesis', info.genesis_hash],
      ]),
    ].join('\n'),
  );
  return EXIT.ok;
}

function txRows(txs: readonly TxJson[]): string[][] {
  return [
    ['#', 'kind', 'from', 'to', 'amount', 'fee', 'id'],
    ...txs.map((tx, i) => [
      String(i),
      tx.type,
      tx.type === 'coinbase' ? '(block reward)' : tx.from,
      tx.to,
      coins(tx.amount),
      tx.type === 'coinbase' ? '' : coins(tx.fee),
      shortHash(tx.id ?? ''),
    ]),
  ];
}

async function showBlock(term: Terminal, client: Client, id: string | undefined): Promise<number> {
  if (id !== undefined && !/^(\d{1,10}|[0-9a-fA-F]{64})$/.test(id)) {
    throw usageError(`"${id}" is neither a height nor a 64-hex block hash`);
  }
  const block = await client.block(id ?? (await client.info()).height);
  const extra = block as { confirmations?: number; main_chain?: boolean };
  term.result({ ...block, transactions: block.transactions.map(txInCoins) }, () =>
    [
      `Block ${block.height}  ${block.hash}`,
      fields([
        ['previous', block.prev_hash],
        [
          'mined',
          `${new Date(block.timestamp_ms).toISOString()} (${ago(block.timestamp_ms, Date.now())})`,
        ],
        ['merkle root', block.merkle_root],
        ['bits, nonce', `0x${block.bits.toString(16)}, ${block.nonce}`],
        [
          'confirmations',
          extra.main_chain === false ? '0 (not on the main chain)' : String(extra.confirmations),
        ],
      ]),
      '',
      table(txRows(block.transactions)),
    ].join('\n'),
  );
  return EXIT.ok;
}

async function showTx(term: Terminal, client: Client, id: string): Promise<number> {
  const view = (await client.tx(id.toLowerCase())) as TxView | DroppedView;
  const tx = view.transaction;
  term.result({ ...view, transaction: txInCoins(tx) }, () =>
    [
      `Transaction ${tx.id}`,
      fields([
        [
          'status',
          view.status === 'confirmed'
            ? `confirmed: ${plural(view.confirmations, 'confirmation')}, block ${view.height} (${view.block_hash}), position ${view.index}`
            : view.status === 'dropped'
              ? `dropped ${ago(view.dropped_at_ms, Date.now())}: ${view.reason.message} [${view.reason.code}]`
              : 'pending in the mempool',
        ],
        ['kind', tx.type],
        ...(tx.type === 'transfer'
          ? ([
              ['from', tx.from],
              ['to', tx.to],
              ['amount', coins(tx.amount)],
              ['fee', coins(tx.fee)],
              ['nonce', tx.nonce],
            ] as const)
          : ([
              ['to', tx.to],
              ['amount', `${coins(tx.amount)} (block reward)`],
            ] as const)),
      ]),
    ].join('\n'),
  );
  return EXIT.ok;
}

async function showAddress(
  term: Terminal,
  client: Client,
  address: string,
  limit: number,
): Promise<number> {
  const account = await client.account(address);
  const history = await client.history(account.address, limit);
  const me = account.address;
  const view = (tx: TxJson) => ({ direction: directionOf(tx, me), ...txInCoins(tx) });
  term.result(
    {
      address: me,
      balance: coins(account.balance),
      spendable: coins(account.spendable),
      immature: coins(account.immature),
      nonce: `${account.nonce}`,
      next_nonce: `${account.next_nonce}`,
      pending: history.pending.map(view),
      transactions: history.transactions.map(view),
    },
    () => {
      const rows = [
        ['height', 'confirmations', 'kind', 'amount', 'id'],
        ...history.pending.map((tx) => {
          const d = directionOf(tx, me);
          return ['pending', '0', d, signedAmount(tx, d), shortHash(tx.id ?? '')];
        }),
        ...history.transactions.map((tx) => {
          const d = directionOf(tx, me);
          return [
            String(tx.height),
            String(tx.confirmations),
            d,
            signedAmount(tx, d),
            shortHash(tx.id ?? ''),
          ];
        }),
      ];
      return [
        `Address ${me}`,
        fields([
          ['balance', coins(account.balance)],
          ['spendable', coins(account.spendable)],
          ['immature', coins(account.immature)],
          ['nonce', `${account.nonce} (next: ${account.next_nonce}, ${account.pending} pending)`],
        ]),
        '',
        rows.length > 1 ? table(rows) : '  no transactions yet',
      ].join('\n');
    },
  );
  return EXIT.ok;
}
