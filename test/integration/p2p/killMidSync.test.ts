/**
 * kill -9 in the middle of a sync. A sync holds its blocks' SQL writes in one transaction per
 * batch (ChainStore.holdBlocks): a node killed before a commit must reopen on the chain as of
 * the last one, whole (the main chain valid from genesis, the account state, the transaction
 * index and the tip agreeing), and then take the rest from its peer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { COIN, hashTx, validateChain } from '../../../src/core/index.js';
import { alice, bob, ChainBuilder, easyParams, miner, verify } from '../../support/chainBuilder.js';
import { closeNodesAfterEach, startNode, stopNode } from '../../support/http.js';
import { makeTempDir } from '../../support/nodeFixtures.js';
import { register, startP2pNode, waitForTip } from '../../support/p2p.js';

closeNodesAfterEach();
const childScript = fileURLToPath(new URL('../../support/servingNodeChild.ts', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const BLOCKS = 400;
/** The child is killed once it reports this height: well inside the sync. */
const KILL_AT = 60;

/** A chain with some state to get wrong: coinbases, and transfers every few blocks. */
function buildChain(): ChainBuilder {
  const b = new ChainBuilder();
  b.mine();
  for (let h = 2; h <= BLOCKS; h++) {
    const transfers =
      h % 7 === 0
        ? [b.transfer(miner, alice, 2n * COIN)]
        : h % 11 === 0 && b.account(alice.key)
          ? [b.transfer(alice, bob, 1n * COIN)]
          : [];
    b.mine({ transfers });
  }
  return b;
}

describe('a node killed with SIGKILL mid-sync', () => {
  it('reopens on a consistent chain, then syncs the rest', async () => {
    const builder = buildChain();
    const server = await startP2pNode();
    for (const block of builder.blocks.slice(1)) await server.chain.addBlock(block);

    const temp = makeTempDir();
    cleanups.push(temp.remove);
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', childScript, temp.dir, 'report-tips'],
      {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    cleanups.push(() => child.kill('SIGKILL'));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let reported = 0;
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the syncing node exited (${code})`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const message = JSON.parse(line) as { url?: string; tip?: number };
        if (message.url) resolve(message.url);
        if (message.tip !== undefined) {
          reported = message.tip;
          // No handler runs, nothing is committed or closed.
          if (reported >= KILL_AT) child.kill('SIGKILL');
        }
      });
    });
    const registered = await fetch(`${url}/nodes/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nodes: [server.url] }),
    });
    expect(registered.status).toBe(201);
    await exited;

    // Reopened in this process: the main chain as stored, checked from genesis.
    const node = await startNode({ dataDir: temp.dir });
    const height = node.chain.tip.header.height;
    process.stdout.write(
      `killed at a reported height of ${reported} (of ${BLOCKS}); reopened at ${height}\n`,
    );
    expect(height).toBeLessThanOrEqual(reported);
    const main = node.chain.main.map((entry) => node.chain.getBlock(entry));
    const checked = validateChain(main, easyParams, verify, Date.now());
    if (!checked.ok) throw new Error(`invalid chain: ${checked.code} ${checked.detail}`);
    expect(checked.value.chainWork).toBe(node.chain.tip.chainWork);
    for (const [key, account] of checked.value.accounts)
      expect(node.chain.state.getAccount(key)).toEqual(account);
    for (const [h, block] of main.entries()) {
      expect(node.chain.main[h]!.hashHex).toBe(server.chain.main[h]!.hashHex);
      for (const [index, tx] of block.txs.entries())
        expect(node.chain.getTxLocation(hashTx(tx))).toMatchObject({ height: h, index });
    }

    // And it goes on from there.
    await register(node, [server]);
    await waitForTip(node, server.chain.tip.hashHex, 60_000);
    expect(node.chain.tip.header.height).toBe(BLOCKS);
    await stopNode(node);
  }, 120_000);
});
