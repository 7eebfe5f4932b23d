/**
 * kill -9 right after POST /api/tx/batch answers. What an answer reports as pending (admitted,
 * or already pending) must be in the mempool journal before the answer leaves
 * (src/mempool/mempoolJournal.ts): a node that kills itself the moment its answer is in the
 * kernel's socket buffer (servingNodeChild.ts, kill-after-batch) must start again with every one
 * of them pending, its senders' nonces and balances agreeing, and nothing it refused. The
 * narrowest case, a retry answered "already pending" in the turn another request admitted the
 * transfer, is timed exactly in test/unit/mempool/journal.test.ts.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { COIN, encodeTx, hashTx, type Transfer, toHex, txToJson } from '../../../src/core/index.js';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import {
  alice,
  bob,
  carol,
  easyParams,
  fundedChain,
  type Party,
} from '../../support/chainBuilder.js';
import { addressOf, closeNodesAfterEach, get, startNode, stopNode } from '../../support/http.js';
import { makeTempDir } from '../../support/nodeFixtures.js';

closeNodesAfterEach();
const childScript = fileURLToPath(new URL('../../support/servingNodeChild.ts', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const builder = fundedChain();

/** A data directory whose chain paid alice and bob 10 coins each (fundedChain), no node on it. */
async function fundedDataDir(): Promise<string> {
  const temp = makeTempDir();
  cleanups.push(temp.remove);
  const node = await startNode({ dataDir: temp.dir });
  for (const block of builder.blocks.slice(1)) {
    expect((await node.chain.addBlock(block)).ok).toBe(true);
  }
  await stopNode(node);
  return temp.dir;
}

/** A node on `dataDir` in a child process that SIGKILLs itself right after its `last`-th batch answer. */
async function killingNode(dataDir: string, last: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', childScript, dataDir, 'kill-after-batch', String(last)],
    {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  cleanups.push(() => child.kill('SIGKILL'));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the node exited (${code}) before it listened`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { url?: string };
      if (message.url) resolve(message.url);
    });
  });
  return { url, exited };
}

interface Outcome {
  readonly id?: string;
  readonly error?: { code: string };
}

/** POST /api/tx/batch: its results, or undefined if the node died before answering. */
async function postBatch(url: string, bodies: readonly unknown[]): Promise<Outcome[] | undefined> {
  try {
    const response = await fetch(`${url}/api/tx/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transactions: bodies }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { results: Outcome[] }).results;
  } catch (error) {
    if (error instanceof TypeError) return undefined; // fetch failed: the connection died
    throw error;
  }
}

const pay = (from: Party, nonce: bigint, options: { amount?: bigint; fee?: bigint } = {}) =>
  builder.transfer(from, carol, options.amount ?? COIN / 10n, { nonce, fee: options.fee ?? 1000n });

/** Half the bodies as the JSON view, half as hex: both parsers' transfers are journaled. */
const bodyOf = (tx: Transfer, i: number) =>
  i % 2 === 0 ? txToJson(tx, easyParams) : { hex: toHex(encodeTx(tx)) };

const idOf = (tx: Transfer) => toHex(hashTx(tx));

/**
 * After the restart: the pool is exactly `pending` (the journal too, row for row), and each
 * sender's address view counts them: its next nonce and what it has pending out.
 */
async function expectPending(node: BlockyardNode, pending: readonly Transfer[]): Promise<void> {
  const ids = (list: readonly { idHex: string }[]) => list.map((e) => e.idHex).sort();
  expect(ids(node.mempool.entries())).toEqual(ids(pending.map((tx) => ({ idHex: idOf(tx) }))));
  expect(
    node.store
      .loadJournal()
      .map((row) => toHex(row.id))
      .sort(),
  ).toEqual(ids(node.mempool.entries()));
  for (const party of [alice, bob]) {
    const own = pending.filter((tx) => toHex(tx.from) === toHex(party.key));
    const view = await get(`${node.url}/api/address/${addressOf(party.key)}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      balance: `${10n * COIN}`,
      nonce: '0',
      next_nonce: `${own.length}`,
      pending: own.length,
      pending_out: `${own.reduce((sum, tx) => sum + tx.amount + tx.fee, 0n)}`,
    });
  }
}

describe('a node killed right after answering POST /api/tx/batch', () => {
  it('keeps the transfers a mixed batch admitted, and none it refused', async () => {
    const dataDir = await fundedDataDir();
    const { url, exited } = await killingNode(dataDir, 1);
    const [a0, a1, a2, b0] = [pay(alice, 0n), pay(alice, 1n), pay(alice, 2n), pay(bob, 0n)];
    const forged = { ...pay(alice, 2n, { amount: 2n * COIN }), signature: a2.signature };
    const batch = [
      bodyOf(a0, 0),
      bodyOf(a1, 1),
      bodyOf(a1, 0), // the same transfer again
      bodyOf(forged, 1),
      bodyOf(pay(alice, 2n, { amount: 100n * COIN }), 0), // more than alice has
      bodyOf(pay(alice, 7n), 1), // a gap after nonce 2
      { hex: '00ff' }, // not a transfer
      bodyOf(b0, 0),
      bodyOf(a2, 1),
    ];
    const results = await postBatch(url, batch);
    expect(await exited).toBe('SIGKILL');
    expect(results?.map((r) => r.id ?? r.error?.code)).toEqual([
      idOf(a0),
      idOf(a1),
      'TX_ALREADY_KNOWN',
      'TX_BAD_SIGNATURE',
      'TX_INSUFFICIENT_FUNDS',
      'TX_NONCE_TOO_HIGH',
      'ENCODING_TRUNCATED',
      idOf(b0),
      idOf(a2),
    ]);

    const node = await startNode({ dataDir });
    await expectPending(node, [a0, a1, a2, b0]);
    const refused = await get(`${node.url}/api/tx/${idOf(forged)}`);
    expect(refused.status).toBe(404);
  });

  it('keeps what every answer reported pending with two batches and a retry in flight', async () => {
    const dataDir = await fundedDataDir();
    const { url, exited } = await killingNode(dataDir, 1);
    const ofAlice = Array.from({ length: 10 }, (_, i) => pay(alice, BigInt(i)));
    const ofBob = Array.from({ length: 10 }, (_, i) => pay(bob, BigInt(i)));
    // A client's retry of alice's batch: each of its transfers is admitted once, here or there.
    const batches = [ofAlice, ofBob, ofAlice];
    const answers = await Promise.all(batches.map((txs) => postBatch(url, txs.map(bodyOf))));
    expect(await exited).toBe('SIGKILL');
    const answered = answers.flatMap((results, k) =>
      results ? results.map((r, i) => ({ r, tx: batches[k]![i]! })) : [],
    );
    expect(answered.length).toBeGreaterThan(0);
    // Every result says pending, by its id or as already known: nothing else can be refused.
    for (const { r, tx } of answered) {
      expect(r.id ?? r.error?.code).toBe(r.id ? idOf(tx) : 'TX_ALREADY_KNOWN');
    }

    const node = await startNode({ dataDir });
    for (const { tx } of answered) expect(node.mempool.has(idOf(tx))).toBe(true);
    // An unanswered batch is in whole or not at all (one decision, one commit).
    const kept = [ofAlice, ofBob].filter((txs) => node.mempool.has(idOf(txs[0]!)));
    await expectPending(node, kept.flat());
  });

  it('keeps a replacement that a batch admitted, not the transfer it replaced', async () => {
    const dataDir = await fundedDataDir();
    const { url, exited } = await killingNode(dataDir, 2);
    const [a0, a1, b0] = [pay(alice, 0n), pay(alice, 1n), pay(bob, 0n)];
    const first = await postBatch(url, [a0, a1].map(bodyOf));
    expect(first?.map((r) => r.id)).toEqual([idOf(a0), idOf(a1)]);

    const richer = pay(alice, 1n, { amount: COIN, fee: 5000n });
    const poorer = pay(alice, 0n, { fee: 500n });
    const second = await postBatch(url, [richer, poorer, b0].map(bodyOf));
    expect(await exited).toBe('SIGKILL');
    expect(second?.map((r) => r.id ?? r.error?.code)).toEqual([
      idOf(richer),
      'MEMPOOL_NONCE_CONFLICT',
      idOf(b0),
    ]);

    const node = await startNode({ dataDir });
    await expectPending(node, [a0, richer, b0]);
  });
});
