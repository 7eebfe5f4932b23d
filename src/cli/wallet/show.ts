/**
 * The wallet commands that only look: `list`, `address`, `balance` and `history`. The keystore
 * keeps nothing but the encrypted words, so every address (and so every balance) needs the
 * password; `blockyard chain address ADDRESS` looks an address up without any wallet.
 */
import { parseArgs } from 'node:util';
import type { TxJson } from '../../core/index.js';
import { accountAddress, accountsOf } from '../../wallet/index.js';
import {
  coins,
  directionOf,
  plural,
  shortHash,
  signedAmount,
  table,
  txInCoins,
} from '../format.js';
import { usageError } from '../io.js';
import { commonOptions, createWalletContext, parseIndex, type WalletIo } from './context.js';
import { followSent, sentPathOf } from './sentFile.js';
import { listWallets, replaceKeystoreFile } from './walletFiles.js';

export const listUsage = `usage: blockyard wallet list [--wallet-dir DIR] [--json]

Lists the wallets in the wallet folder: name, accounts in use, when it was made.
`;

export async function runList(io: WalletIo, argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: commonOptions, strict: true });
  const ctx = createWalletContext(io, values);
  const wallets = listWallets(ctx.dir);
  ctx.term.result(
    {
      dir: ctx.dir,
      wallets: wallets.map((w) =>
        w.keystore
          ? {
              name: w.name,
              file: w.file,
              accounts: w.keystore.accounts,
              created_at: w.keystore.created_at,
            }
          : { name: w.name, file: w.file, problem: w.problem },
      ),
    },
    () => {
      if (wallets.length === 0) {
        return `No wallets in ${ctx.dir}: make one with \`blockyard wallet new\`, or \`blockyard wallet import\` one.`;
      }
      const rows = wallets.map((w) =>
        w.keystore
          ? [
              w.name,
              plural(Math.max(1, w.keystore.accounts), 'account'),
              `made ${w.keystore.created_at}`,
            ]
          : [w.name, 'not a wallet:', w.problem ?? ''],
      );
      return `Wallets in ${ctx.dir}:\n${table(rows)}`;
    },
  );
}

export const addressUsage = `usage: blockyard wallet address [--index N] [options]

Shows the address of account N (default 0) of the wallet: m/44'/1'/0'/0'/N'. Asking for an
account past the ones in use adds it (and those before it) to the wallet's balance.

      --index <n>           the account (default 0)
`;

export async function runAddress(io: WalletIo, argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { ...commonOptions, index: { type: 'string' } },
    strict: true,
  });
  const ctx = createWalletContext(io, values);
  const index = parseIndex(values.index);
  const wallet = ctx.wallet();
  const network = (await ctx.network())!;
  const mnemonic = await ctx.unlock(wallet.keystore);
  const account = accountsOf(mnemonic)(index);
  const address = accountAddress(account, network.addressPrefix);
  if (index >= wallet.keystore.accounts) {
    // `accounts` is a label outside the encryption: raising it needs no password or re-sealing.
    replaceKeystoreFile(wallet.file, { ...wallet.keystore, accounts: index + 1 });
  }
  ctx.term.result(
    { wallet: wallet.name, network: network.name, index, path: account.path, address },
    () => address,
  );
}

export const balanceUsage = `usage: blockyard wallet balance [--index N] [options]

Shows what each account of the wallet holds, as the node sees it, and the total, in the same
four numbers as the wallet page: "balance" is confirmed in blocks; "pending in" is what others'
transfers still in the mempool will pay it; "pending out" what its own pending transfers pay
(amounts and fees); "can spend now" is what a new transfer can use (newly mined coins also wait
for maturity on devnet: "immature").

      --index <n>           only account N
`;

export async function runBalance(io: WalletIo, argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { ...commonOptions, index: { type: 'string' } },
    strict: true,
  });
  const ctx = createWalletContext(io, values);
  const wallet = ctx.wallet();
  const info = await ctx.nodeInfo();
  const network = await ctx.nodeNetwork();
  const indexes =
    values.index === undefined
      ? Array.from({ length: Math.max(1, wallet.keystore.accounts) }, (_, i) => i)
      : [parseIndex(values.index)];
  const account = accountsOf(await ctx.unlock(wallet.keystore));
  const views = await Promise.all(
    indexes.map(async (index) => {
      const view = await ctx.client.account(accountAddress(account(index), network.addressPrefix));
      return { index, ...view };
    }),
  );
  const keys = [
    'balance',
    'pending_in',
    'pending_out',
    'available',
    'spendable',
    'immature',
  ] as const;
  const sum = (key: (typeof keys)[number]) => views.reduce((total, v) => total + v[key], 0n);
  const total = Object.fromEntries(keys.map((key) => [key, coins(sum(key))]));
  const anyImmature = sum('immature') > 0n;
  ctx.term.result(
    {
      wallet: wallet.name,
      network: network.name,
      node: ctx.nodeUrl,
      height: info.height,
      accounts: views.map((v) => ({
        index: v.index,
        address: v.address,
        ...Object.fromEntries(keys.map((key) => [key, coins(v[key])])),
        pending: v.pending,
        next_nonce: `${v.next_nonce}`,
      })),
      total,
    },
    () => {
      const shown = [
        'balance',
        'pending_in',
        'pending_out',
        'available',
        ...(anyImmature ? (['immature'] as const) : []),
      ] as const;
      const head = {
        balance: 'balance',
        pending_in: 'pending in',
        pending_out: 'pending out',
        available: 'can spend now',
        immature: 'immature',
      };
      const sign = (key: string, units: bigint) =>
        units === 0n
          ? coins(units)
          : key === 'pending_in'
            ? `+${coins(units)}`
            : key === 'pending_out'
              ? `−${coins(units)}`
              : coins(units);
      const rows = [
        ['account', 'address', ...shown.map((key) => head[key])],
        ...views.map((v) => [String(v.index), v.address, ...shown.map((key) => sign(key, v[key]))]),
      ];
      if (views.length > 1) {
        rows.push(['total', '', ...shown.map((key) => sign(key, sum(key)))]);
      }
      return [
        `Wallet "${wallet.name}" on the ${network.name} network (${ctx.nodeUrl}, height ${info.height})`,
        '',
        table(rows),
      ].join('\n');
    },
  );
}

export const historyUsage = `usage: blockyard wallet history [--index N] [--limit N] [options]

Lists the transfers of account N (default 0), pending first, then newest first.

      --index <n>           the account (default 0)
      --limit <n>           how many confirmed transactions (default 20, at most 100)
`;

export async function runHistory(io: WalletIo, argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { ...commonOptions, index: { type: 'string' }, limit: { type: 'string' } },
    strict: true,
  });
  const ctx = createWalletContext(io, values);
  const index = parseIndex(values.index);
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= 100)) {
    throw usageError(`--limit must be a number from 1 to 100, not "${values.limit}"`);
  }
  const wallet = ctx.wallet();
  const network = await ctx.nodeNetwork();
  const mnemonic = await ctx.unlock(wallet.keystore);
  const address = accountAddress(accountsOf(mnemonic)(index), network.addressPrefix);
  await followSent(sentPathOf(ctx.dir, wallet.name), ctx.client, ctx.term);
  const answer = await ctx.client.history(address, limit);
  const view = (tx: TxJson) => ({ direction: directionOf(tx, address), ...txInCoins(tx) });
  ctx.term.result(
    {
      wallet: wallet.name,
      network: network.name,
      index,
      address,
      pending: answer.pending.map(view),
      transactions: answer.transactions.map(view),
    },
    () => {
      const all = [...answer.pending, ...answer.transactions];
      if (all.length === 0) return `Account ${index} (${address}) has no transactions yet.`;
      const row = (tx: TxJson, where: string, confirmations: string) => {
        const direction = directionOf(tx, address);
        const other =
          tx.type === 'coinbase' ? 'block reward' : direction === 'in' ? tx.from : tx.to;
        return [
          where,
          confirmations,
          direction,
          signedAmount(tx, direction),
          other,
          shortHash(tx.id ?? ''),
        ];
      };
      const rows = [
        ['height', 'confirmations', 'kind', 'amount', 'from / to', 'id'],
        ...answer.pending.map((tx) => row(tx, 'pending', '0')),
        ...answer.transactions.map((tx) => row(tx, String(tx.height), String(tx.confirmations))),
      ];
      return [`Account ${index} of "${wallet.name}": ${address}`, '', table(rows)].join('\n');
    },
  );
}
