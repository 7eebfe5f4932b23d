/**
 * A sync of full 1 MB blocks (6,368 transfers each) from a peer that goes away in the middle of
 * it, while a second peer holds the same chain. Big blocks come in batches of 2 (fetchBodies.ts,
 * BATCH_HEX_CHARS), a branch no other hostile test takes. Every node is a real process: the
 * peer that goes away stops itself (SIGSTOP) on its third request for blocks, after it served
 * the first ones; then (a) it is woken (SIGCONT) after the syncing node has given up on it, or
 * (b) killed (SIGKILL). The syncing node must end on the whole chain (the rest from the other
 * peer), answer GET /api/info all along, keep its memory within bounds, not score the peer that
 * went away, and reopen on a chain that is whole: valid from genesis, its accounts and
 * transaction index agreeing with it (no block half connected).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fundedChain } from '../../../bench/lib/fundedChain.js';
import { hashTx, maxTransfersPerBlock, validateChain } from '../../../src/core/index.js';
import type { NodeVerifier } from '../../../src/crypto/nodeEd25519.js';
import { openSqliteStore } from '../../../src/storage/sqliteStore.js';
import { easyParams } from '../../support/chainBuilder.js';
import { closeNodesAfterEach, get, postJson, startNode, stopNode } from '../../support/http.js';
import { afterGenesis, feed, hexOf, makeTempDir, openChain } from '../../support/nodeFixtures.js';

closeNodesAfterEach();
const childScript = fileURLToPath(new URL('../../support/servingNodeChild.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const FULL_BLOCKS = 10;
const SENDERS = 1_000;
/**
 * The peer stops on this request for blocks. The node asks: the capped first request (blocks 1
 * and 2, the small ones), blocks 3–4, then 5–8 (asked for while 3–4 were on their way, sized by
 * the small blocks' hex), then 2 full blocks a request: the 4th asks for 9–10. NOTE: before
 * fetchBodies.ts sized a batch when it asks for it, the 4th asked for 9–12 (8 MB of hex): it was
 * sized when 5–8 were asked for, also by the small blocks.
 */
const STOP_ON_REQUEST = 4;
/**
 * The syncing node's peak resident memory may not pass this. NOTE: generous on purpose (a node
 * under tsx; bench p2p's compiled node peaks at 365–378 MB over 30 full blocks): it catches a
 * sync that holds what it should let go (answers asked again and again, blocks kept), not a few
 * MB.
 */
const PEAK_RSS_BOUND = 1_200e6;

const chain = fundedChain(easyParams, {
  senders: SENDERS,
  spends: FULL_BLOCKS * maxTransfersPerBlock(easyParams.maxBlockBytes),
});
for (let b = 0; b < FULL_BLOCKS; b++) chain.fullBlock();
const blocks = chain.builder.blocks;
const tipHeight = blocks.length - 1;
const tipHash = hexOf(blocks[tipHeight]!);

/**
 * Signatures taken as valid: for the serving peers' copy of the chain, and for checking the
 * syncing node's chain once its every block is known to be the builder's by its hash (the
 * syncing node itself checks every signature). NOTE: 63,680 signatures checked twice more on
 * this thread took ≈ 35 s a test at load 10.
 */
const trusting: NodeVerifier = { verify: () => true, verifyAsync: async () => true };

/**
 * A data directory holding the whole chain, made once and copied for each serving peer: the
 * node's SQLite store where createNode keeps it (<dataDir>/<network>/chain.sqlite).
 */
const served = makeTempDir();
beforeAll(async () => {
  const dataPath = join(served.dir, easyParams.name);
  mkdirSync(dataPath, { recursive: true, mode: 0o700 });
  const store = openSqliteStore(join(dataPath, 'chain.sqlite'));
  const writer = await openChain(store, { verifier: trusting });
  await feed(writer, afterGenesis(chain.builder));
  await writer.idle();
  store.close();
}, 120_000);
afterAll(() => served.remove());

interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  readonly exited: Promise<void>;
  /** Resolves once the child printed a line for which `test` holds. */
  readonly line: (test: (message: Message) => boolean) => Promise<Message>;
}

interface Message {
  readonly url?: string;
  readonly tip?: number;
  readonly paused?: number;
  readonly path?: string;
  readonly peer?: string;
  readonly error?: string;
}

/** servingNodeChild.ts on `dataDir` (a copy of the served chain, or empty) in `mode`. */
async function spawnNode(dataDir: string, ...mode: string[]): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir, ...mode], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
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

/** A copy of the served chain in a new temp directory. */
function servedCopy(): string {
  const temp = makeTempDir();
  cleanups.push(temp.remove);
  cpSync(served.dir, temp.dir, { recursive: true });
  return temp.dir;
}

async function registerAt(node: Child, peer: Child): Promise<void> {
  const answer = await postJson(`${node.url}/nodes/register`, { nodes: [peer.url] });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
}

/**
 * GET /api/info on `node`, one request after another (10 ms apart) until stop(): every status
 * (0: the request failed), and the heights it reported.
 */
function pollInfo(node: Child) {
  const statuses: number[] = [];
  const heights: number[] = [];
  let stopped = false;
  const polling = (async () => {
    while (!stopped) {
      const answer = await get(`${node.url}/api/info`).catch(() => undefined);
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

/** The peak resident memory of a process (VmHWM), from /proc. */
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}

/**
 * The syncing node, started on an empty directory, registers `peer` (it syncs from it) and the
 * peer stops on its STOP_ON_REQUEST-th request for blocks; then the syncing node also learns
 * the honest peer. `afterStop` does what the case does to the stopped peer.
 */
async function syncAcrossAStop(afterStop: (peer: Child, syncing: Child) => Promise<void>) {
  const [peer, honest, syncing] = await Promise.all([
    spawnNode(servedCopy(), 'pause-once-on-blocks', String(STOP_ON_REQUEST)),
    spawnNode(servedCopy()),
    (async () => {
      const temp = makeTempDir();
      cleanups.push(temp.remove);
      return { dir: temp.dir, child: await spawnNode(temp.dir, 'report-tips') };
    })(),
  ]);
  // The peers serve the whole chain.
  for (const serving of [peer, honest])
    expect((await get(`${serving.url}/api/info`)).body.height).toBe(tipHeight);
  const node = syncing.child;
  const info = pollInfo(node);
  await registerAt(node, peer);
  const stopped = await peer.line((m) => m.paused !== undefined);
  expect(stopped.path).toMatch(/^\/api\/p2p\/blocks\?hashes=/);
  // Full blocks come two a request: the one it stopped on asked for 2.
  expect(new URLSearchParams(stopped.path!.split('?')[1]).get('hashes')!.split(',')).toHaveLength(
    2,
  );
  const heightAtStop = (await get(`${node.url}/api/info`)).body.height as number;
  expect(heightAtStop).toBeLessThan(tipHeight);

  await registerAt(node, honest);
  await afterStop(peer, node);
  await node.line((m) => m.tip === tipHeight);
  await info.stop();

  const peak = peakRss(node.process.pid!);
  process.stdout.write(
    `full-block sync past a peer that went away at height ${heightAtStop} of ${tipHeight}: ` +
      `${info.statuses.length} GET /api/info answered, peak RSS ${(peak / 1e6).toFixed(0)} MB\n`,
  );
  expect(info.statuses.every((status) => status === 200)).toBe(true);
  // It answered while it synced, not only before and after.
  expect(info.heights.some((h) => h > heightAtStop && h < tipHeight)).toBe(true);
  expect(peak).toBeLessThan(PEAK_RSS_BOUND);
  return { node, dir: syncing.dir, peer, heightAtStop };
}

/** The peer that went away, as the syncing node's book has it: away, not lying. */
async function peerRecord(node: Child, url: string) {
  const answer = await get(`${node.url}/nodes/get`);
  expect(answer.status).toBe(200);
  return answer.body.peers.find((p: { url: string }) => p.url === url);
}

/** Stops the syncing node and reopens its directory here: the whole chain, whole. */
async function expectWholeChain(node: Child, dir: string): Promise<void> {
  node.process.kill('SIGTERM');
  await node.exited;
  const reopened = await startNode({ dataDir: dir });
  expect(reopened.chain.tip.hashHex).toBe(tipHash);
  const main = reopened.chain.main.map((entry) => reopened.chain.getBlock(entry));
  for (const [h, block] of main.entries()) expect(hexOf(block)).toBe(hexOf(blocks[h]!));
  const checked = validateChain(main, easyParams, trusting.verify, Date.now());
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

describe(`a sync of ${FULL_BLOCKS} full blocks from a peer that goes away`, () => {
  it('stopped (SIGSTOP) mid-sync, woken after the syncing node gave up on it: the rest comes from the other peer', async () => {
    const { node, dir, peer } = await syncAcrossAStop(async (stopped, syncing) => {
      // The syncing node's stall timeout ends the download from it (its last error is recorded).
      await syncing.line((m) => m.peer === stopped.url && m.error === 'P2P_TIMEOUT');
    });
    peer.process.kill('SIGCONT');
    // Once it answers a hello, it has read and answered the request it stopped on.
    expect((await get(`${peer.url}/api/p2p/hello`)).status).toBe(200);
    expect((await get(`${node.url}/api/info`)).body.height).toBe(tipHeight);
    expect(await peerRecord(node, peer.url)).toMatchObject({ banned: false, score: 0 });
    await expectWholeChain(node, dir);
  }, 180_000);

  it('killed (SIGKILL) mid-sync: the rest comes from the other peer', async () => {
    const { node, dir, peer } = await syncAcrossAStop(async (stopped) => {
      stopped.process.kill('SIGKILL');
      await stopped.exited;
    });
    const record = await peerRecord(node, peer.url);
    expect(record).toMatchObject({ banned: false, score: 0 });
    await expectWholeChain(node, dir);
  }, 180_000);
});
