/**
 * The network layer, side by side in one run:
 *
 * (a) Propagation (bench/lib/propagation.ts): five nodes, each in its own process as `blockyard
 *     devnet` runs them, wired in a line (node i introduced to node i-1). Blocks are submitted
 *     one at a time to node 0 (chain.addBlock, as its miner does); each node reports when its
 *     chain's tip becomes that block, on the machine's one monotonic clock. Latency = that
 *     moment - node 0's, per node (1 to 4 hops), against a floor measured in the same run: the
 *     two HTTP round trips a hop takes (announce, then the block fetched directly:
 *     src/p2p/directFetch.ts).
 * (b) Sync: a chain of full blocks (as many transfers as fit, from many funded senders), built
 *     here and loaded into a serving node with chain.addBlock; a fresh node then syncs it from
 *     that one peer. Blocks/s and transactions/s, against the machine's Ed25519 verify rate on
 *     every core (the limit: a syncing node checks every signature once), and against the
 *     serving node's own chain.addBlock of the same blocks from memory (no network at all).
 *     Both nodes run bench/lib/p2pNode.ts compiled by tsc on plain node, as `blockyard node`
 *     runs dist/. NOTE: until 2026-12-07 they ran under tsx, whose loader every signature worker
 *     registered again (a worker's start 0.5–0.6 s of CPU against ≈ 0.1 s compiled): a sync of
 *     30 full blocks cost 4–20 µs (median 9) more CPU a transfer under tsx, in 5 of 5 rounds
 *     alternated (bench/lib/syncAlternate.ts, load 13–26), a cost no user's node pays.
 * (c) Where the sync's time goes: the same blocks fetched over HTTP with the sync's own client
 *     and nothing else done with them, and the hex decoding of what came.
 *
 * Separate processes, not five createNode in one: in one process every node's work would queue
 * on one event loop, and the latency would be the other four nodes' queue, not the network's.
 * Nothing is asserted, but that the signatures of the big blocks were checked on the workers
 * (bench/lib/onWorkers.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Block,
  blockHashHex,
  decodeBlock,
  hashTx,
  maxTransfersPerBlock,
} from '../src/core/index.js';
import { BlocksAnswerReader } from '../src/p2p/blocksAnswer.js';
import { VERIFY_AHEAD_BLOCKS } from '../src/p2p/fetchBodies.js';
import { MAX_BLOCKS_PER_REQUEST } from '../src/p2p/messages.js';
import { callPeerReading } from '../src/p2p/peerClient.js';
import { easyParams } from '../test/support/chainBuilder.js';
import { compileBenchChild } from './lib/compiledNode.js';
import { fundedChain } from './lib/fundedChain.js';
import { type Answer, type NodeChild, startNode, writeBlockFile } from './lib/nodeChild.js';
import { assertOnWorkers, transfersForWorkers } from './lib/onWorkers.js';
import { BLOCKS, FULL_PROPAGATED, propagationPart, WARM_UP_BLOCKS } from './lib/propagation.js';
import { printAim } from './lib/report.js';
import { measureSyncMemory } from './lib/syncMemory.js';
import { busiestAndRest } from './lib/threadCpu.js';
import {
  cpuShare,
  type ReferenceRates,
  spreadText,
  startVerifyReference,
} from './lib/verifyReference.js';

/** Full blocks of the chain a fresh node syncs. */
const FULL_BLOCKS = 30;
const SENDERS = 2_000;
/** Issue 13, aim 3: sync and block connect at 80 % of the verify rate. */
const AIM = 0.8;
/**
 * Reference slices before the local load, between it and the sync, and after the sync: each run
 * is compared with the 2 × 6 slices around it (bench/lib/verifyReference.ts).
 */
const SLICES = 6;
/** Issue 13, aim 5: no peak of resident memory above 150 MB. */
const MEMORY_AIM = 150e6;

const params = easyParams;
const cores = availableParallelism();
const load = (): string => loadavg()[0]!.toFixed(1);
const WIDTHS = [34, 11, 11, 10, 10, 9];
const out = (...cells: string[]): void => {
  const line = cells.map((cell, i) => cell.padEnd(WIDTHS[i] ?? 0)).join(' ');
  process.stdout.write(`${line.trimEnd()}\n`);
};
const perSecond = (n: number): string => `${Math.round(n).toLocaleString('en-US')}/s`;
const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(0)}%`;

// ---------------------------------------------------------------------------------------------

out(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, node ${process.version}`);
out(`load average at start: ${load()}`);
out();

// (b)'s and (d)'s nodes, compiled once before anything is timed.
const compiled = compileBenchChild('bench/lib/p2pNode.ts', 'blockyard-bench-p2p-sync');
const temp = mkdtempSync(join(tmpdir(), 'blockyard-bench-p2p-'));
const started: NodeChild[] = [];
try {
  const reference = await startVerifyReference();

  // `bench/p2p.ts sync` runs (b) and (c) only.
  const printPropagation =
    process.argv[2] === 'sync'
      ? undefined
      : await propagationPart(temp, started, { params, senders: SENDERS, out });
  // (b) Sync of full blocks from one peer.
  const buildStarted = performance.now();
  const syncChain = fundedChain(params, {
    senders: SENDERS,
    spends: FULL_BLOCKS * maxTransfersPerBlock(params.maxBlockBytes),
  });
  const perBlock = syncChain.perBlock;
  for (let b = 0; b < FULL_BLOCKS; b++) syncChain.fullBlock();
  const blocks: Block[] = syncChain.builder.blocks.slice(1);
  const transfers = blocks.reduce((n, block) => n + block.txs.length - 1, 0);
  const file = join(temp, 'chain.bin');
  const chainBytes = writeBlockFile(file, blocks);
  const buildSeconds = (performance.now() - buildStarted) / 1000;

  const server = await startNode({ dataDir: join(temp, 'server') }, compiled);
  started.push(server);
  const beforeLoad = await reference.slices(SLICES);
  const loaded = await server.command('load', { file });
  if (!loaded.ok) throw new Error(`the serving node refused the chain: ${loaded.code}`);
  const fresh = await startNode({ dataDir: join(temp, 'fresh') }, compiled);
  started.push(fresh);
  const beforeSync = await reference.slices(SLICES);
  const synced = await fresh.command('sync', { url: server.url });
  if (!synced.ok) throw new Error(`the sync failed: ${synced.code} ${synced.detail}`);
  await reference.slices(SLICES);
  await reference.close();
  const loadReference = reference.rates(beforeLoad, beforeSync + SLICES);
  const syncReference = reference.rates(beforeSync);
  if (synced.height !== blocks.length)
    throw new Error(`the sync ended at height ${synced.height}, not ${blocks.length}`);
  assertOnWorkers('the local addBlock', loaded.onWorkers, transfersForWorkers(blocks));
  assertOnWorkers('the sync', synced.onWorkers, transfersForWorkers(blocks));
  // From the first full block connected to the last: the sync once its first request has come.
  const firstFull = blocks.findIndex((block) => block.txs.length > 1 + SENDERS);
  const tipAt = (i: number) => fresh.tips.get(blockHashHex(blocks[i]!.header))!;
  const steadySeconds = Number(tipAt(blocks.length - 1) - tipAt(firstFull)) / 1e9;
  const steadyTransfers = blocks
    .slice(firstFull + 1)
    .reduce((n, block) => n + block.txs.length - 1, 0);

  // (c) The same blocks over HTTP with the sync's client, and decoded; nothing else.
  const hashes = blocks.map((block) => blockHashHex(block.header));
  const fetchStarted = performance.now();
  const fetched: Uint8Array[] = [];
  for (let i = 0; i < hashes.length; i += MAX_BLOCKS_PER_REQUEST) {
    // As the sync reads an answer: its hex decoded into bytes as it comes (blocksAnswer.ts).
    const reader = new BlocksAnswerReader();
    const called = await callPeerReading(
      server.url,
      `/api/p2p/blocks?hashes=${hashes.slice(i, i + MAX_BLOCKS_PER_REQUEST).join(',')}`,
      reader,
      { timeoutMs: 60_000, maxBytes: MAX_BLOCKS_PER_REQUEST * 2_100_000 },
    );
    const page = called.ok ? reader.end() : called;
    if (!page.ok) throw new Error(`fetch: ${page.code} ${page.detail}`);
    fetched.push(...page.value);
  }
  const fetchSeconds = (performance.now() - fetchStarted) / 1000;
  const decodeStarted = performance.now();
  for (const bytes of fetched)
    if (!decodeBlock(bytes, { views: true }).ok) throw new Error('decode');
  const decodeSeconds = (performance.now() - decodeStarted) / 1000;

  // tx ids, as the chain computes them (encodeTx and SHA-256d with @noble/hashes), once each.
  const hashStarted = performance.now();
  for (const block of blocks) for (const tx of block.txs) hashTx(tx);
  const hashSeconds = (performance.now() - hashStarted) / 1000;

  // (d) A fresh node's memory while it syncs the same blocks, compiled, as the node runs.
  const memory = await measureSyncMemory(file, FULL_BLOCKS, compiled);

  // ------------------------------------------------------------------------------- report
  const syncSeconds = synced.ms / 1000;
  const loadSeconds = loaded.ms / 1000;
  printPropagation?.();

  const txRate = transfers / syncSeconds;
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  out(
    `(b) sync of ${blocks.length} blocks (${FULL_BLOCKS} full, ${perBlock.toLocaleString('en-US')} transfers each; ${transfers.toLocaleString('en-US')} transfers, ${mb(chainBytes)}) from one peer`,
  );
  // The limit: the better of the node's two ways to verify on every core, around each run.
  const limit = syncReference.best.median;
  const loadLimit = loadReference.best.median;
  /** The main thread's share of CPU/tx (Linux only). */
  const mainPerTx = (answer: Answer): string =>
    answer.mainCpuMs === undefined
      ? ''
      : `${((1000 * answer.mainCpuMs) / transfers).toFixed(0)} µs`;
  out('', 'blocks/s', 'transfers/s', 'of verify', 'aim', 'CPU/tx', 'main');
  const referenceRows = (when: string, rates: ReferenceRates) => {
    const limit_ = rates.best.median;
    for (const [way, spread] of [
      ['pool', rates.allCores],
      ['workers', rates.workers],
    ] as const) {
      out(
        `Ed25519 verify, ${cores} cores, ${way}`,
        '',
        perSecond(spread.median),
        percent(spread.median, limit_),
        `${when}: ${spreadText(spread)}`,
      );
    }
  };
  referenceRows('around the local load', loadReference);
  referenceRows('around the sync', syncReference);
  out(
    'Ed25519 verify, 1 core (CPU)',
    '',
    perSecond(syncReference.oneCoreCpu),
    percent(syncReference.oneCoreCpu, limit),
  );
  out(
    'chain.addBlock, local (serving node)',
    (blocks.length / loadSeconds).toFixed(2),
    perSecond(transfers / loadSeconds),
    percent(transfers / loadSeconds, loadLimit),
    '',
    `${((1000 * loaded.cpuMs) / transfers).toFixed(0)} µs`,
    mainPerTx(loaded),
  );
  out(
    'sync from one peer over HTTP',
    (blocks.length / syncSeconds).toFixed(2),
    perSecond(txRate),
    percent(txRate, limit),
    `≥ ${percent(AIM, 1)}`,
    `${((1000 * synced.cpuMs) / transfers).toFixed(0)} µs`,
    mainPerTx(synced),
  );
  out(
    '  the same, after its 1st full block',
    ((blocks.length - firstFull - 1) / steadySeconds).toFixed(2),
    perSecond(steadyTransfers / steadySeconds),
    percent(steadyTransfers / steadySeconds, limit),
    `≥ ${percent(AIM, 1)}`,
  );
  printAim({
    name: '3 sync from one peer, transfers/s',
    figure: perSecond(txRate),
    reference: `Ed25519 verify ${spreadText(syncReference.best)}`,
    ratio: percent(txRate, limit),
    target: `≥ ${percent(AIM, 1)}`,
    met: txRate >= AIM * limit,
  });
  printAim({
    name: '3 block connect (chain.addBlock, local), transfers/s',
    figure: perSecond(transfers / loadSeconds),
    reference: `Ed25519 verify ${spreadText(loadReference.best)}`,
    ratio: percent(transfers / loadSeconds, loadLimit),
    target: `≥ ${percent(AIM, 1)}`,
    met: transfers / loadSeconds >= AIM * loadLimit,
  });
  out(
    `  CPU a transfer against the reference's CPU a signature: sync ${cpuShare(syncReference, (1000 * synced.cpuMs) / transfers)}; local addBlock ${cpuShare(loadReference, (1000 * loaded.cpuMs) / transfers)}`,
  );
  /** "main 35 µs; the busiest others 70 µs, 68 µs; the rest (9 threads) 12 µs": CPU a transfer. */
  const byThread = (answer: Answer): string => {
    const threads = (answer.threadsMs ?? []) as [number | 'main', number][];
    const us = (ms: number) => `${((1000 * ms) / transfers).toFixed(0)} µs`;
    const main = threads.find(([tid]) => tid === 'main')?.[1] ?? 0;
    const others = threads.filter(([tid]) => tid !== 'main').map(([, ms]) => ms);
    return `main ${us(main)}; ${busiestAndRest(others, us)}`;
  };
  out(
    `  CPU a transfer by thread: sync ${byThread(synced)}; local addBlock ${byThread(loaded)}; signatures answered on the workers: sync ${synced.onWorkers}, local addBlock ${loaded.onWorkers} (of ${transfersForWorkers(blocks)} in big blocks)`,
  );
  out(
    `  the syncing node: ${syncSeconds.toFixed(1)} s, event loop busy ${(100 * synced.elu).toFixed(0)}%, CPU ${(synced.cpuMs / 1000).toFixed(1)} s (${(synced.cpuMs / synced.ms).toFixed(2)} cores), RSS after ${(synced.rss / 1e6).toFixed(0)} MB; serving node's load: ${loadSeconds.toFixed(1)} s, loop busy ${(100 * loaded.elu).toFixed(0)}%`,
  );
  out();
  out('(c) parts of the sync, done alone', 'MB/s', 'transfers/s', 'of verify');
  out(
    'fetch /api/p2p/blocks, 16 a request, to bytes',
    (chainBytes / 1e6 / fetchSeconds).toFixed(1),
    perSecond(transfers / fetchSeconds),
    percent(transfers / fetchSeconds, limit),
  );
  out(
    'bytes → decodeBlock (views)',
    (chainBytes / 1e6 / decodeSeconds).toFixed(1),
    perSecond(transfers / decodeSeconds),
    percent(transfers / decodeSeconds, limit),
  );
  out(
    'tx ids (encodeTx + SHA-256d), once',
    '',
    perSecond(transfers / hashSeconds),
    percent(transfers / hashSeconds, limit),
  );
  out();
  const mb0 = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
  out(
    `(d) resident memory of a fresh node syncing the ${blocks.length} blocks (compiled, plain node)`,
  );
  out('node as started (before the sync)', mb0(memory.startedRss));
  out(
    'peak while syncing',
    mb0(memory.peakRss),
    `sync ${(memory.syncMs / 1000).toFixed(1)} s, ${perSecond((1000 * memory.transfers) / memory.syncMs)}, CPU/tx ${((1000 * memory.cpuMs) / memory.transfers).toFixed(0)} µs`,
  );
  out('after the sync; 12 s later', mb0(memory.afterRss), mb0(memory.settledRss));
  out(
    'the serving node: peak once it loaded them (chain.addBlock, local); once it served them',
    mb0(memory.serverLoadPeakRss),
    mb0(memory.serverPeakRss),
  );
  printAim({
    name: `5 peak resident memory syncing ${FULL_BLOCKS} full blocks from one peer`,
    figure: mb0(memory.peakRss),
    reference: `node as started ${mb0(memory.startedRss)}`,
    ratio: `${(memory.peakRss / memory.startedRss).toFixed(2)}×`,
    target: `< ${mb0(MEMORY_AIM)}`,
    met: memory.peakRss < MEMORY_AIM,
  });
  out();
  out(
    `building the chain (signing with node:crypto, merkle roots) took ${buildSeconds.toFixed(1)} s`,
  );
  out(`load average at end: ${load()} (other processes on the cores lower every figure)`);
  out(`
(a) (not run by "bench/p2p.ts sync") Five nodes, each its own process (bench/lib/p2pNode.ts: SQLite, easy proof of work), node i
introduced to node i-1, so a block crosses 1 to 4 hops. ${WARM_UP_BLOCKS} warm-up blocks, then ${BLOCKS}
(coinbase only) submitted one at a time to node 0 with chain.addBlock, the next one 100 ms after
every node has the last. Latency: the moment a node's chain emits 'tip' with the block, minus
node 0's, both on CLOCK_MONOTONIC (process.hrtime). floor: per hop, two HTTP round trips
(announce, then the block fetched directly), the round trip being the median GET
/api/info from this process to node 1. Then ${FULL_PROPAGATED} full blocks (${perBlock.toLocaleString('en-US')} transfers) the same way;
their floor adds, per hop, node 0's own chain.addBlock of the block (its median is printed above); the
fetch of the 1 MB block comes on top.
(b) ${SENDERS.toLocaleString('en-US')} senders funded in block 2, then ${FULL_BLOCKS} blocks of ${perBlock.toLocaleString('en-US')} transfers (1 MB each), built
here and loaded into the serving node with chain.addBlock (timed: the "local" line, every
signature checked, SQLite written); both nodes compiled by tsc, on plain node; then a fresh node (its own process, SQLite) introduces itself and
syncs from it (Network.sync: headers first, then bodies in batches of 1, 2, 4, 8, then ${MAX_BLOCKS_PER_REQUEST} blocks,
or as many as hold 4 MB of hex (2 full blocks: fetchBodies.ts), a full garbage collection every 2 MB
of blocks added (collectGarbage.ts), each block's signatures checked on the worker threads up to ${VERIFY_AHEAD_BLOCKS} blocks ahead of the one being
connected), timed from the first request to the last block connected; "after its 1st full
block": from that block's 'tip' to the last's. "of verify": transfers/s ÷ the better of
createNode's two Ed25519 verify rates on all ${cores} cores: verifyAsync (libuv's thread pool, one
signature at a time) and verifyAt (a block's transfers on the worker threads); ${syncReference.signatures.toLocaleString('en-US')}
signatures by 64 cached keys a pass, one pass of each way a slice, ${SLICES} slices before the local load, ${SLICES}
between it and the sync, ${SLICES} after: each run against the median of the ${2 * SLICES} slices around it
(bench/lib/verifyReference.ts; min and max printed): the limit every synced transfer pays once.
CPU/tx: that node process's CPU (main thread and verify threads) ÷ transfers; main: its main
thread's alone.
(c) This process fetching the same blocks with the sync's client (callPeerReading, each answer's
hex read into bytes as it comes: blocksAnswer.ts) sequentially, then decodeBlock (views) of the
blocks: time spent without any validation.
(d) bench/lib/syncMemory.ts: a serving node loads the same blocks, then a fresh node syncs them,
both bench/lib/p2pNode.ts compiled by tsc and run on plain node (not tsx); the fresh node's
resident memory is read from /proc when it has started, and its peak (VmHWM) once synced; the
serving node's peak once it has loaded the blocks (all decoded first, then chain.addBlock each),
and once it has served the sync too.`);
} finally {
  for (const node of started) await node.close();
  rmSync(temp, { recursive: true, force: true });
}
