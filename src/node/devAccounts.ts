/**
 * `blockyard node --dev-accounts N` (issue 15, point 7), as Foundry's anvil: the first N accounts
 * of a mnemonic are funded from the node's own coins at start, so a demo has wallets with money
 * at once. The node mines until its spendable balance covers the transfers (the reward is its
 * only income), sends them, and mines one more block to confirm them. Accounts that already hold
 * the amount (a restart on the same chain) are left alone.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Address, fail, ok, type Result, spendableAt, toHex } from '../core/index.js';
import { DEFAULT_FEE_UNITS } from '../wallet/fee.js';
import { accountAddress, accountsOf, mnemonicFromEntropy, parseMnemonic } from '../wallet/index.js';
import type { BlockyardNode } from './createNode.js';
import { createNodeWallet } from './nodeWallet.js';

/** The most blocks mined to fund them (a devnet whose difficulty has grown could take long). */
const MAX_FUNDING_BLOCKS = 5_000;
const MNEMONIC_FILE = 'dev-mnemonic.txt';

export interface DevAccount {
  readonly index: number;
  readonly address: Address;
  readonly balanceUnits: bigint;
  /** The transfer that funded it now; undefined when it already held the amount. */
  readonly fundedBy: string | undefined;
}

/**
 * The dev mnemonic: the one given, else the one kept in the network's folder (so a restart funds
 * the same accounts), else a new one, kept there. SECURITY: these are development keys; the file
 * is readable by its owner only, and the words are printed at every start.
 */
export function devMnemonic(
  dataPath: string | undefined,
  given: string | undefined,
): Result<string> {
  if (given !== undefined) return parseMnemonic(given);
  const path = dataPath && join(dataPath, MNEMONIC_FILE);
  if (path && existsSync(path)) return parseMnemonic(readFileSync(path, 'utf8').trim());
  const words = mnemonicFromEntropy(randomBytes(16));
  if (path) writeFileSync(path, `${words}\n`, { mode: 0o600 });
  return ok(words);
}

export async function fundDevAccounts(
  node: BlockyardNode,
  mnemonic: string,
  count: number,
  amountUnits: bigint,
): Promise<Result<DevAccount[]>> {
  const { chain, mempool, miner, nodeKey } = node;
  const { params } = chain;
  const derive = accountsOf(mnemonic);
  const accounts = Array.from({ length: count }, (_, i) => derive(i));
  const balanceOf = (publicKey: Uint8Array) =>
    chain.state.getAccount(toHex(publicKey))?.balance ?? 0n;
  const toFund = accounts.filter((a) => balanceOf(a.publicKey) < amountUnits);
  const need = BigInt(toFund.length) * (amountUnits + DEFAULT_FEE_UNITS);
  const nodeSpendable = () => {
    const account = chain.state.getAccount(toHex(nodeKey.publicKey));
    return account ? spendableAt(account, chain.tip.header.height + 1) : 0n;
  };
  for (let mined = 0; nodeSpendable() < need; mined++) {
    if (mined >= MAX_FUNDING_BLOCKS) {
      return fail(
        'MINER_ABORTED',
        `${mined} blocks mined and the node still cannot fund the dev accounts`,
      );
    }
    const block = await miner.mineOnce();
    if (!block.ok) return block;
  }
  const wallet = createNodeWallet(nodeKey, mempool, params);
  const sent = new Map<number, string>();
  for (const account of toFund) {
    const transfer = await wallet.send(account.publicKey, amountUnits);
    if (!transfer.ok) return transfer;
    sent.set(account.index, transfer.value.idHex);
  }
  if (toFund.length > 0) {
    const confirm = await miner.mineOnce();
    if (!confirm.ok) return confirm;
  }
  return ok(
    accounts.map((account) => ({
      index: account.index,
      address: accountAddress(account, params.addressPrefix),
      balanceUnits: balanceOf(account.publicKey),
      fundedBy: sent.get(account.index),
    })),
  );
}
