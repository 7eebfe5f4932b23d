/**
 * What the hostile tests of a full-block sync share (not a test file): a chain of full 1 MB
 * blocks (6,368 transfers each) made once a file, a data directory holding it for the serving
 * nodes, real node processes (test/support/servingNodeChild.ts) with their stdout lines to
 * await, GET /api/info polled all along, and the check that a node's directory reopens on the
 * whole chain (valid from genesis, its accounts and transaction index agreeing with it).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { fundedChain } from '../../../bench/lib/fundedChain.js';
import {
  type Block,
  hashTx,
  maxTransfersPerBlock,
  type NetworkParams,
  validateChain,
} from '../../../src/core/index.js';
import type { NodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import { easyParams } from '../../support/chainBuilder.js';
import { get, postJson, startNode, stopNode } from '../../support/http.js';
import { feed, hexOf, makeTempDir, openChain } from '../../support/nodeFixtures.js';

const childScript = fileURLToPath(new URL('../../support/servingNodeChild.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Run after each test, last first (runCleanups, each test file's afterEach). */
export const cleanups: (() => void | Promise<void>)[] = [];

/** Runs and empties `cleanups`, last first. */
export async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/**
 * Signatures taken as valid: for the serving nodes' copy of the chain, and for checking a
 * node's chain once its every block is known to be the builder's by its hash (the syncing node
 * itself checks every signature).
 */
export const trusting: NodeVerifier = { verify: () => true, verifyAsync: async () => true };

/** Genesis, 2 small funding blocks, then `full` full blocks, on `params`. */
export function fullBlockChain(full: number, params: NetworkParams = easyParams): Block[] {
  const chain = fundedChain(params, {
    senders: 1_000,
    spends: full * maxTransfersPerBlock(params.maxBlockBytes),
  });
  for (let b = 0; b < full; b++) chain.fullBlock();
  return chain.builder.blocks;
}

/** A new temp directory holding `blocks` where a node keeps them (<dir>/<network>/chain.sqlite). */
export async function servedDir(blocks: readonly Block[], params = easyParams) {
  const served = makeTempDir();
  const dataPath = join(served.dir, params.name);
  mkdirSync(dataPath, { recursive: true, mode: 0o700 });
  const store = openSqliteStore(join(dataPath, 'chain.sqlite'));
  const writer = await openChain(store, { verifier: trusting, params });
  await feed(writer, blocks.slice(1));
  await writer.idle();
  store.close();
  return served;
}

/** A copy of `dir` in a new temp directory (removed after the test). */
export function copyOf(dir: string): string {
  const temp = makeTempDir();
  cleanups.push(temp.remove);
  cpSync(dir, temp.dir, { recursive: true });
  return temp.dir;
}

/** An empty temp directory (removed after the test). */
export function emptyDir(): string {
  const temp = makeTempDir();
  cleanups.push(temp.remove);
  return temp.dir;
}

export interface Message {
  readonly url?: string;
  readonly tip?: number;
  readonly paused?: number;
  readonly path?: string;
  readonly peer?: string;
  readonly error?: string;
}

export interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  readonly exited: Promise<void>;
  /** Resolves once the child printed a line for which `test` holds (or had printed it). */
  readonly line: (test: (message: Message) => boolean) => Promise<Message>;
}

/** servingNodeChild.ts on `dataDir` (easyParams) in `mode`; killed after the test. */
export async function spawnNode(dataDir: string, ...mode: string[]): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir, ...mode], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  });
  const seen: Message[] = [];
  const waiting: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const message = JSON.parse(text) as Message;
    seen.push(message);
    for (const w of waiting.splice(0)) {
      if (w.test(message)) w.resolve(message);
      else waiting.push(w);
    }
  });
  const line = (test: (m: Message) => boolean) => {
    const found = seen.find(test);
    if (found) return Promise.resolve(found);
    return new Promise<Message>((resolve, reject) => {
      waiting.push({ test, resolve });
      void exited.then(() => reject(new Error(`the node exited (${child.exitCode})`)));
    });
  };
  const { url } = await line((m) => m.url !== undefined);
  return { process: child, url: url!, exited, line };
}

export async function registerAt(node: { url: string }, peer: { url: string }): Promise<void> {
  const answer = await postJson(`${node.url}/nodes/register`, { nodes: [peer.url] });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
}

/**
 * GET /api/info at `url`, one request after another (10 ms apart) until stop(): every status
 * (0: the request failed), and the heights it reported.
 */
export function pollInfo(url: string) {
  const statuses: number[] = [];
  const heights: number[] = [];
  let stopped = false;
  const polling = (async () => {
    while (!stopped) {
      const answer = await get(`${url}/api/info`).catch(() => undefined);
      statuses.push(answer?.status ?? 0);
      if (answer?.status === 200) heights.push(answer.body.height);
      // NOTE: pacing, not a wait for something: the node is not flooded with requests.
      await delay(10);
    }
  })();
  const stop = async () => {
    stopped = true;
    await polling;
  };
  cleanups.push(stop);
  return { statuses, heights, stop };
}

/** A process's state letter from /proc (R, S, D, T: stopped, Z, …). */
export function procState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

/** The peak resident memory of a process (VmHWM), from /proc. */
export function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}

/** `url`'s record in the peer book of the node at `nodeUrl` (GET /nodes/get), if it has one. */
export async function peerRecord(nodeUrl: string, url: string) {
  const answer = await get(`${nodeUrl}/nodes/get`);
  expect(answer.status).toBe(200);
  return answer.body.peers.find((p: { url: string }) => p.url === url);
}

/** Reopens `dir` (a stopped node's) here: `blocks` whole, accounts and tx index agreeing. */
export async function expectWholeChain(
  dir: string,
  blocks: readonly Block[],
  params = easyParams,
): Promise<void> {
  const reopened = await startNode({ dataDir: dir, params });
  const tipHeight = blocks.length - 1;
  expect(reopened.chain.tip.hashHex).toBe(hexOf(blocks[tipHeight]!));
  const main = reopened.chain.main.map((entry) => reopened.chain.getBlock(entry));
  for (const [h, block] of main.entries()) expect(hexOf(block)).toBe(hexOf(blocks[h]!));
  const checked = validateChain(main, params, trusting.verify, Date.now());
  if (!checked.ok) throw new Error(`invalid chain: ${checked.code} ${checked.detail}`);
  expect(checked.value.chainWork).toBe(reopened.chain.tip.chainWork);
  for (const [key, account] of checked.value.accounts)
    expect(reopened.chain.state.getAccount(key)).toEqual(account);
  for (const [h, block] of main.entries()) {
    // The first and last transfers of each block are where they should be.
    for (const index of new Set([0, 1, block.txs.length - 1])) {
      const tx = block.txs[index];
      if (tx) expect(reopened.chain.getTxLocation(hashTx(tx))).toMatchObject({ height: h, index });
    }
  }
  await stopNode(reopened);
}
