/**
 * `blockyard wallet send`: signs a transfer here and hands only the signed result to the node.
 *
 * Everything that can be checked before the password is (the address's checksum and network,
 * the amounts), and the balance before signing, so a mistake costs no password and no fee.
 * The nonce is the node's `next_nonce` for the account, which counts its pending transfers.
 */
import { parseArgs } from 'node:util';
import { ClientError } from '../../api/client.js';
import { ok, parseAddress } from '../../core/index.js';
import {
  accountAddress,
  accountsOf,
  createTransfer,
  DEFAULT_FEE_UNITS,
  describeTransfer,
  parseAmount,
} from '../../wallet/index.js';
import { coins, fields } from '../format.js';
import { CliError, fromFailure, usageError } from '../io.js';
import { commonOptions, createWalletContext, parseIndex, type WalletIo } from './context.js';
import { type ConfirmedView, followTransaction } from './follow.js';
import { followSent, recordSent, sentPathOf } from './sentFile.js';

const DEFAULT_TIMEOUT_S = 300;

export const sendUsage = `usage: blockyard wallet send --to ADDRESS --amount COINS [options]

Signs a transfer with the wallet's key, here, and submits it to the node.

      --to <address>        who gets the coins
      --amount <coins>      how much, in coins: 1.5 (at most 8 decimals)
      --fee <coins>         the fee, in coins (default ${coins(DEFAULT_FEE_UNITS)}); a higher fee is mined first
      --index <n>           send from account N (default 0)
      --nonce <n>           sign with this nonce instead of the account's next one: with a higher
                            --fee, replaces a pending transfer that has it
      --wait <n>            wait until n blocks confirm it (a progress line on stderr)
      --timeout <seconds>   how long --wait waits (default ${DEFAULT_TIMEOUT_S})
`;

function positiveNumber(text: string | undefined, flag: string, max: number, integer: boolean) {
  if (text === undefined) return undefined;
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(n > 0 && n <= max && (!integer || Number.isInteger(n)))) {
    throw usageError(
      `${flag} must be a ${integer ? 'whole ' : ''}number from 1 to ${max}, not "${text}"`,
    );
  }
  return n;
}

export async function runSend(io: WalletIo, argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...commonOptions,
      to: { type: 'string' },
      amount: { type: 'string' },
      fee: { type: 'string' },
      index: { type: 'string' },
      nonce: { type: 'string' },
      wait: { type: 'string' },
      timeout: { type: 'string' },
    },
    strict: true,
  });
  const ctx = createWalletContext(io, values);
  if (values.to === undefined) throw usageError('--to ADDRESS is missing: who gets the coins?');
  if (values.amount === undefined) throw usageError('--amount COINS is missing, e.g. --amount 1.5');
  const index = parseIndex(values.index);
  const want = positiveNumber(values.wait, '--wait', 1_000, true);
  const timeoutS = positiveNumber(values.timeout, '--timeout', 86_400, false) ?? DEFAULT_TIMEOUT_S;
  if (values.nonce !== undefined && !/^\d{1,20}$/.test(values.nonce)) {
    throw usageError(`--nonce must be a whole number, not "${values.nonce}"`);
  }
  const wallet = ctx.wallet();
  const network = await ctx.nodeNetwork();

  // Before the password: is this an address of this network, and are these amounts?
  const to = parseAddress(values.to, network.addressPrefix);
  if (!to.ok) throw fromFailure(to);
  const amount = parseAmount(values.amount, 'amount');
  if (!amount.ok) throw fromFailure(amount);
  const fee = values.fee === undefined ? ok(DEFAULT_FEE_UNITS) : parseAmount(values.fee, 'fee');
  if (!fee.ok) throw fromFailure(fee);
  const feeUnits = fee.value;

  const account = accountsOf(await ctx.unlock(wallet.keystore))(index);
  const from = accountAddress(account, network.addressPrefix);
  // Transfers sent earlier that the node lost go again first: they hold the nonces before ours.
  const sentPath = sentPathOf(ctx.dir, wallet.name);
  await followSent(sentPath, ctx.client, ctx.term);
  const [state, history] = await Promise.all([
    ctx.client.account(from),
    ctx.client.history(from, 1),
  ]);
  const nonce = values.nonce === undefined ? state.next_nonce : BigInt(values.nonce);
  // The node counts this account's pending transfers against its balance too; one with the
  // same nonce is the one this replaces.
  const held = history.pending
    .filter((tx) => tx.type === 'transfer' && tx.from === from && BigInt(tx.nonce) !== nonce)
    .reduce((sum, tx) => sum + BigInt(tx.amount) + BigInt(tx.type === 'transfer' ? tx.fee : 0), 0n);
  const need = amount.value + feeUnits;
  const funds = () =>
    `account ${index} (${from}) can spend ${coins(state.spendable)} coins` +
    (state.immature > 0n
      ? ` of its ${coins(state.balance)} (${coins(state.immature)} is newly mined, not spendable yet)`
      : '') +
    (held > 0n ? `, of which pending transfers already use ${coins(held)}` : '');
  if (state.spendable - held < need) {
    throw new CliError(
      'TX_INSUFFICIENT_FUNDS',
      `${funds()}; this transfer needs ${coins(need)} (${coins(amount.value)} + fee ${coins(feeUnits)})`,
      { spendable: coins(state.spendable - held), balance: coins(state.balance) },
    );
  }

  const signed = createTransfer(network, {
    secretKey: account.secretKey,
    to: values.to,
    amountCoins: values.amount,
    ...(values.fee === undefined ? {} : { feeCoins: values.fee }),
    nonce,
  });
  if (!signed.ok) throw fromFailure(signed);
  const summary = describeTransfer(signed.value.tx, network);
  ctx.term.say(
    [
      `Signed on the ${network.name} network (chain id ${summary.chain_id}):`,
      fields([
        ['from', `${summary.from} (account ${index} of "${wallet.name}")`],
        ['to', summary.to],
        ['amount', summary.amount],
        ['fee', summary.fee],
        ['total', summary.total],
        ['nonce', summary.nonce],
      ]),
    ].join('\n'),
  );

  try {
    await ctx.client.submitTx(signed.value.json);
  } catch (error) {
    if (error instanceof ClientError && error.code === 'TX_INSUFFICIENT_FUNDS') {
      throw new CliError(error.code, `${error.message}; ${funds()}`);
    }
    throw error;
  }
  const id = signed.value.id;
  recordSent(sentPath, { id, tx: signed.value.json, nodeUrl: ctx.nodeUrl, sentAtMs: Date.now() });
  ctx.term.say(`Sent to ${ctx.nodeUrl}: transaction ${id}`);

  let confirmed: ConfirmedView | undefined;
  if (want !== undefined) {
    confirmed = await followTransaction(ctx, id, want, timeoutS * 1000);
  }
  ctx.term.result(
    {
      id,
      status: confirmed ? 'confirmed' : 'pending',
      network: network.name,
      wallet: wallet.name,
      index,
      ...summary,
      ...(confirmed
        ? {
            confirmations: confirmed.confirmations,
            height: confirmed.height,
            block_hash: confirmed.block_hash,
          }
        : {}),
    },
    () =>
      confirmed
        ? `Confirmed: ${confirmed.confirmations} confirmations, in block ${confirmed.height} (${confirmed.block_hash})`
        : want === undefined
          ? `Pending; \`blockyard chain tx ${id}\` follows it.`
          : undefined,
  );
}
