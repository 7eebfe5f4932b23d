/**
 * The controls a demo needs (issue 15, point 7) on real nodes: --reset starts a network over
 * (and harms no running node), --dev-accounts funds a mnemonic's first accounts from the node's
 * own coins, once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { confirmReset, demoPlan } from '../../../src/cli/nodeDemo.js';
import { COIN, toHex } from '../../../src/core/index.js';
import { createInlineNonceSearch } from '../../../src/miner/inlineNonceSearch.js';
import { devMnemonic, fundDevAccounts } from '../../../src/node/devAccounts.js';
import { accountAddress, accountsOf } from '../../../src/wallet/index.js';
import { closeNodesAfterEach, startNode, stopNode } from '../../support/http.js';

closeNodesAfterEach();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'blockyard-demo-'));
  dirs.push(dir);
  return dir;
};
const WORDS =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

describe('--reset', { timeout: 60_000 }, () => {
  it('deletes the chain and keeps the node key; refuses while another node runs there', async () => {
    const dataDir = tempDir();
    const first = await startNode({ dataDir, search: createInlineNonceSearch() });
    const address = first.nodeKey.address;
    expect((await first.miner.mineMany(3)).ok).toBe(true);

    // A second node asking for a reset on the running node's folder is refused, harming nothing.
    await expect(
      startNode({ dataDir, reset: true, search: createInlineNonceSearch() }),
    ).rejects.toThrow(/in use|already/i);
    expect(first.chain.tip.header.height).toBe(3);
    await stopNode(first);

    const said: string[] = [];
    expect(await confirmReset(dataDir, 'tutorial', false, (t) => said.push(t))).toBe(false);
    expect(said.join('')).toMatch(
      /--reset deletes the tutorial network's chain in .*\n {2}chain\.sqlite/,
    );
    expect(said.join('')).toMatch(/Nothing deleted: add --yes/);
    expect(await confirmReset(dataDir, 'tutorial', true, () => {})).toBe(true);

    const again = await startNode({ dataDir, reset: true, search: createInlineNonceSearch() });
    expect(again.chain.tip.header.height).toBe(0);
    expect(again.nodeKey.address).toBe(address);
  });

  it('checks the demo flags', () => {
    expect(demoPlan({ reset: false, yes: false, 'dev-balance': '100' })).toEqual({
      reset: false,
      devAccounts: 0,
      devBalanceUnits: 100n * COIN,
    });
    for (const [values, problem] of [
      [{ 'dev-accounts': '0' }, /--dev-accounts must be a number from 1 to 100, not "0"/],
      [{ 'dev-accounts': '101' }, /--dev-accounts must be/],
      [{ 'dev-accounts': '2', 'dev-balance': '-1' }, /--dev-balance must be/],
      [{ yes: true }, /--yes goes with --reset/],
      [{ 'dev-mnemonic': WORDS }, /--dev-mnemonic goes with --dev-accounts/],
    ] as const) {
      const plan = demoPlan({ reset: false, yes: false, 'dev-balance': '100', ...values });
      expect('problem' in plan && plan.problem).toMatch(problem);
    }
  });
});

describe('--dev-accounts', { timeout: 60_000 }, () => {
  it("funds the mnemonic's first accounts from the node's coins, once", async () => {
    const node = await startNode();
    const funded = await fundDevAccounts(node, WORDS, 3, 120n * COIN);
    expect(funded.ok).toBe(true);
    if (!funded.ok) return;
    const derive = accountsOf(WORDS);
    for (const [i, account] of funded.value.entries()) {
      const key = derive(i);
      expect(account.address).toBe(accountAddress(key, node.chain.params.addressPrefix));
      expect(node.chain.state.getAccount(toHex(key.publicKey))?.balance).toBe(120n * COIN);
      expect(account.fundedBy).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(node.mempool.size).toBe(0); // confirmed, not pending

    // Again (a restart on the same chain): nothing is sent twice.
    const height = node.chain.tip.header.height;
    const again = await fundDevAccounts(node, WORDS, 3, 120n * COIN);
    expect(again.ok && again.value.map((a) => a.fundedBy)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(node.chain.tip.header.height).toBe(height);
  });

  it('keeps a new mnemonic in the data directory, so a restart funds the same accounts', () => {
    const dataPath = tempDir();
    const made = devMnemonic(dataPath, undefined);
    expect(made.ok && made.value.split(' ')).toHaveLength(12);
    expect(devMnemonic(dataPath, undefined)).toEqual(made);
    expect(devMnemonic(undefined, 'not words').ok).toBe(false);
  });
});
