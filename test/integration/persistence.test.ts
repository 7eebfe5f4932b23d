/**
 * The chain survives restarts: a node closed and started again on its data directory has the
 * same tip, balances and address, and keeps its secrets in files only its user can read. And it
 * survives a crash: a node killed with SIGKILL while mining (or while taking transactions) starts
 * again on a valid chain that holds every block it had reported as connected.
 */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Block, COIN, encodeTx, fromHex, toHex, validateChain } from '../../src/core/index.js';
import type { BlockyardNode } from '../../src/node/createNode.js';
import { MEMPOOL_FILE } from '../../src/node/mempoolFile.js';
import { bob, easyParams, verify } from '../support/chainBuilder.js';
import { type Reported, spawnMiningNode } from '../support/crashLoop.js';
import {
  addressOf,
  type Body,
  closeNodesAfterEach,
  get,
  mine,
  postJson,
  sendFromNode,
  startNode,
  stopNode,
} from '../support/http.js';
import { makeTempDir } from '../support/nodeFixtures.js';

closeNodesAfterEach();

const temps: Array<() => void> = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const remove of temps.splice(0)) remove();
});

function tempDataDir(): string {
  const temp = makeTempDir();
  temps.push(temp.remove);
  return temp.dir;
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

async function balanceOf(node: BlockyardNode, address: string): Promise<string> {
  const answer = await get(`${node.url}/api/address/${address}`);
  expect(answer.status).toBe(200);
  return answer.body.balance;
}

/** Checks the node's main chain block by block from genesis, and its stored state against it. */
function expectValidChain(node: BlockyardNode): void {
  const blocks: Block[] = node.chain.main.map((entry) => node.chain.getBlock(entry));
  const outcome = validateChain(blocks, easyParams, verify, Date.now());
  if (!outcome.ok) throw new Error(`invalid chain: ${outcome.code} ${outcome.detail}`);
  expect(outcome.value.chainWork).toBe(node.chain.tip.chainWork);
  expect(node.store.countAccounts()).toBe(outcome.value.accounts.size);
  for (const [key, account] of outcome.value.accounts) {
    expect(node.chain.state.getAccount(key)).toEqual(account);
  }
}

describe('a restart', () => {
  it('keeps the tip, the balances, the address and the transfers; secrets are mode 600', async () => {
    const dataDir = tempDataDir();
    const first = await startNode({ dataDir });
    const dataPath = first.dataPath!;
    expect(dataPath).toBe(join(dataDir, easyParams.name));
    for (let i = 0; i < 3; i++) await mine(first);
    const sentId = await sendFromNode(first, bob.key, 3);
    await mine(first);

    const before = (await get(`${first.url}/api/info`)).body;
    const nodeBalance = await balanceOf(first, first.nodeKey.address);
    const bobBalance = await balanceOf(first, addressOf(bob.key));
    expect(bobBalance).toBe(`${3n * COIN}`);
    expect(readFileSync(join(dataPath, 'api-token'), 'utf8').trim()).toBe(first.apiToken);
    await stopNode(first);

    const second = await startNode({ dataDir });
    const after = (await get(`${second.url}/api/info`)).body;
    expect(after).toMatchObject({
      height: before.height,
      tip_hash: before.tip_hash,
      chain_work: before.chain_work,
      node_address: first.nodeKey.address,
      genesis_hash: before.genesis_hash,
    });
    expect(second.nodeKey.address).toBe(first.nodeKey.address);
    expect(await balanceOf(second, second.nodeKey.address)).toBe(nodeBalance);
    expect(await balanceOf(second, addressOf(bob.key))).toBe(bobBalance);
    const confirmed = await get(`${second.url}/api/tx/${sentId}`);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', height: 4 });
    const history = await get(`${second.url}/api/address/${addressOf(bob.key)}/history`);
    expect(history.body.transactions.map((tx: Body) => tx.id)).toEqual([sentId]);
    expect((await get(`${second.url}/chain`)).body.length).toBe(5);
    expectValidChain(second);

    // Secrets: the key and the token only the user can read, in a folder only the user can enter.
    expect(modeOf(dataPath)).toBe(0o700);
    const keyFile = join(dataPath, 'node-key.json');
    expect(existsSync(keyFile)).toBe(true);
    expect(modeOf(keyFile)).toBe(0o600);
    expect(JSON.parse(readFileSync(keyFile, 'utf8')).address).toBe(first.nodeKey.address);
    const tokenFile = join(dataPath, 'api-token');
    expect(modeOf(tokenFile)).toBe(0o600);
    // A new token each start, written where the operator finds it.
    expect(second.apiToken).not.toBe(first.apiToken);
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(second.apiToken);

    const mined = await get(`${second.url}/mine`);
    expect(mined.body.height).toBe(before.height + 1);
    expect(mined.body.previous_hash).toBe(before.tip_hash);
  });

  it('writes the token with mode 600 even over an older, readable token file', async () => {
    const dataDir = tempDataDir();
    const first = await startNode({ dataDir });
    const tokenFile = join(first.dataPath!, 'api-token');
    await stopNode(first);
    writeFileSync(tokenFile, 'an old token\n');
    chmodSync(tokenFile, 0o644);
    expect(modeOf(tokenFile)).toBe(0o644);
    const second = await startNode({ dataDir });
    expect(modeOf(tokenFile)).toBe(0o600);
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(second.apiToken);
  });

  it('keeps the pending transfers: journaled before the 201, admitted again at start, then mined', async () => {
    const dataDir = tempDataDir();
    const first = await startNode({ dataDir });
    await mine(first);
    const ids: string[] = [];
    for (const amount of [1, 2, 3]) {
      ids.push(await sendFromNode(first, bob.key, amount));
    }
    // On disk before the answer, not at close: the store holds them while the node runs.
    expect(
      first.store
        .loadJournal()
        .map((t) => toHex(t.id))
        .sort(),
    ).toEqual([...ids].sort());
    await stopNode(first);
    expect(existsSync(join(first.dataPath!, MEMPOOL_FILE))).toBe(false);

    const second = await startNode({ dataDir });
    expect(
      second.mempool
        .entries()
        .map((e) => e.idHex)
        .sort(),
    ).toEqual([...ids].sort());
    await mine(second);
    expect(await balanceOf(second, addressOf(bob.key))).toBe(`${6n * COIN}`);
    expect(second.mempool.size).toBe(0);
    expect(second.store.loadJournal()).toEqual([]);
  });

  it('reads a mempool file an older node saved at close, once, and removes it', async () => {
    const dataDir = tempDataDir();
    const first = await startNode({ dataDir });
    await mine(first);
    const sentId = await sendFromNode(first, bob.key, 1);
    const tx = first.mempool.get(sentId)!.tx;
    await stopNode(first);
    // An older node had no journal: clear it by hand, and write the file it wrote instead.
    const { openSqliteStore } = await import('../../src/storage/sqliteStore.js');
    const store = openSqliteStore(join(first.dataPath!, 'chain.sqlite'));
    store.journalTxs([], [fromHex(sentId)]);
    store.close();
    const saved = join(first.dataPath!, MEMPOOL_FILE);
    writeFileSync(saved, JSON.stringify({ version: 1, transactions: [toHex(encodeTx(tx))] }));
    const second = await startNode({ dataDir });
    expect(second.mempool.has(sentId)).toBe(true);
    expect(existsSync(saved)).toBe(false);
  });

  it('starts with an empty mempool when the saved one is unreadable, and says why', async () => {
    const dataDir = tempDataDir();
    const first = await startNode({ dataDir });
    await stopNode(first);
    writeFileSync(join(first.dataPath!, MEMPOOL_FILE), '{"transactions": ["zz", 5, "00"');
    const second = await startNode({ dataDir });
    expect(second.mempool.size).toBe(0);
    expect(existsSync(join(first.dataPath!, MEMPOOL_FILE))).toBe(false);
  });
});

// ---- crashes -----------------------------------------------------------------------------------

/** Restarts the killed node's data in this process and checks it against what the child said. */
async function expectRecovered(dataDir: string, connected: readonly Reported[]) {
  const node = await startNode({ dataDir });
  expectValidChain(node);
  const main = node.chain.main;
  const lastReported = connected.at(-1)!;
  expect(node.chain.tip.header.height).toBeGreaterThanOrEqual(lastReported.height);
  const missing = connected.filter((r) => main[r.height]?.hashHex !== r.hash);
  expect(missing).toEqual([]);
  // And it carries on: mines on its tip and takes a transfer.
  const tip = node.chain.tip.hashHex;
  const mined = await get(`${node.url}/mine`);
  expect(mined.status).toBe(200);
  expect(mined.body.previous_hash).toBe(tip);
  await sendFromNode(node, bob.key, 1);
  return node;
}

describe('a crash (SIGKILL)', () => {
  it('while mining loses no block the node had reported connected', async () => {
    const dataDir = tempDataDir();
    const child = await spawnMiningNode(dataDir, children);
    await child.until(() => child.connected.length >= 60);
    await child.kill();
    // Heights come in order, one block at a time, on one chain.
    child.connected.forEach((r, i) => {
      if (i > 0) expect(r.height).toBe(child.connected[i - 1]!.height + 1);
    });
    const node = await expectRecovered(dataDir, child.connected);
    expect(node.nodeKey.address).toBe(child.address);
  });

  it('while taking transactions loses no block it reported, nor any transfer in them', async () => {
    const dataDir = tempDataDir();
    const child = await spawnMiningNode(dataDir, children);
    await child.until(() => child.connected.length >= 2);
    const recipient = addressOf(bob.key);
    const accepted: string[] = [];
    const refused: string[] = [];
    /** Requests the kill cut short: sent, perhaps admitted and mined, never answered. */
    let cut = 0;
    let running = true;
    // Four submitters, each sending the next transfer as soon as its last one is answered.
    const submitter = async () => {
      while (running) {
        try {
          const answer = await postJson(`${child.url}/transactions/new`, {
            sender: child.address,
            recipient,
            amount: '0.001',
          });
          if (answer.status === 201) accepted.push(answer.body.id);
          else refused.push(`${answer.status} ${answer.body?.error?.code}`);
        } catch {
          cut++;
          return; // the node is gone
        }
      }
    };
    const submitters = Array.from({ length: 4 }, submitter);
    const confirmedCount = () => child.connected.reduce((sum, r) => sum + r.txs - 1, 0);
    await child.until(() => confirmedCount() >= 40);
    await child.kill();
    running = false;
    await Promise.all(submitters);
    // A transfer is mined once admitted, and its 201 may still be on its way when the node dies:
    // each confirmed transfer was answered, or is one of the (at most 4) requests cut short.
    expect(cut).toBeLessThanOrEqual(4);
    expect(accepted.length + cut).toBeGreaterThanOrEqual(40);
    // Concurrent unsigned transfers each get the node's next nonce: none is refused.
    expect(refused).toEqual([]);

    const node = await expectRecovered(dataDir, child.connected);
    // Every transfer in a reported block is confirmed, in that block.
    for (const reported of child.connected.filter((r) => r.txs > 1)) {
      const block = node.chain.getBlock(node.chain.main[reported.height]!);
      expect(block.txs).toHaveLength(reported.txs);
    }
    const bobBalance = BigInt(await balanceOf(node, recipient));
    expect(bobBalance).toBeGreaterThanOrEqual(BigInt(confirmedCount()) * (COIN / 1000n));
  });
});
