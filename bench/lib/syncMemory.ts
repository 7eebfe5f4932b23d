/**
 * A fresh node's resident memory while it syncs full blocks from one peer (issue 13, aim 5): the
 * serving node loads a chain of `blocks` full blocks (built once, cached in `file`), a fresh node,
 * compiled by tsc and run on plain node as the node runs, syncs it; its RSS is sampled from /proc
 * every 20 ms and its peak (VmHWM) read at the end. bench/p2p.ts prints it as an aim; alone, for
 * comparing two trees alternated (run it from each root):
 *   npx tsx bench/lib/syncMemory.ts [blocks] [file]
 * SYNCMEM_FRESH_FLAGS (node's flags, space-separated) and SYNCMEM_FRESH_ENV (JSON) start the fresh
 * node only with more, e.g. SYNCMEM_FRESH_FLAGS=--semi-space-growth-factor=2 for a young
 * generation let grow (src/cli/youngGeneration.ts), SYNCMEM_FRESH_ENV='{"MALLOC_ARENA_MAX":"2"}'.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { maxTransfersPerBlock } from '../../src/core/index.js';
import { easyParams } from '../../test/support/chainBuilder.js';
import { compileBenchChild } from './compiledNode.js';
import { fundedChain } from './fundedChain.js';
import { type NodeChild, readBlockFile, startNode, writeBlockFile } from './nodeChild.js';
import { rssOf } from './report.js';
import { formatBreakdown, type SmapsBreakdown, smapsBreakdown } from './smapsBreakdown.js';

/** After the sync, the node idles this long: its verify workers stop after 10 s without work. */
const SETTLE_MS = 12_000;

export interface SyncMemory {
  readonly blocks: number;
  readonly transfers: number;
  /** RSS of the fresh node once started, before the sync (bytes). */
  readonly startedRss: number;
  /** Its peak RSS (VmHWM) over start and sync, and the highest sample during the sync. */
  readonly peakRss: number;
  readonly sampledPeakRss: number;
  /** The serving node's peak RSS (VmHWM) once it has loaded the chain (chain.addBlock, local). */
  readonly serverLoadPeakRss: number;
  /** Its peak once it has served the sync as well. */
  readonly serverPeakRss: number;
  /** Its RSS right after the sync, and SETTLE_MS later (its verify workers stopped by then). */
  readonly afterRss: number;
  readonly settledRss: number;
  readonly syncMs: number;
  readonly cpuMs: number;
  readonly mainCpuMs: number | undefined;
  /**
   * SETTLE_MS after the sync: the node's process.memoryUsage(), its threads, and its
   * /proc/<pid>/smaps_rollup (what of its RSS is anonymous memory, what file pages), in MB.
   */
  readonly settled: string;
  /** The same, of the node as started, before the sync. */
  readonly started: string;
  /**
   * SYNCMEM_SMAPS=1: the parts of the RSS as started, at its highest sample, and SETTLE_MS after
   * the sync.
   */
  readonly startedParts: SmapsBreakdown | undefined;
  readonly peakParts: SmapsBreakdown | undefined;
  readonly settledParts: SmapsBreakdown | undefined;
  /** RSS samples during the sync: ms since it started, bytes. */
  readonly samples: readonly [number, number][];
  /** The node's own process.memoryUsage() during the sync, every 500 ms: ms, then MB each. */
  readonly usage: readonly string[];
}

/** Builds (or reads back from `file`) a funded chain with `count` full blocks after it. */
export function fullBlocksFile(file: string, count: number): { blocks: number; transfers: number } {
  if (!existsSync(file)) {
    const chain = fundedChain(easyParams, {
      senders: 2_000,
      spends: count * maxTransfersPerBlock(easyParams.maxBlockBytes),
    });
    for (let i = 0; i < count; i++) chain.fullBlock();
    writeBlockFile(file, chain.builder.blocks.slice(1));
  }
  const items = readBlockFile(file);
  const transfers = items.reduce((n, { block }) => n + block.txs.length - 1, 0);
  return { blocks: items.length, transfers };
}

/**
 * Syncs the blocks of `file` (made with `count` full blocks if missing) into a fresh node, its memory sampled. `compiled`: p2pNode.ts as
 * compileBenchChild made it (made here if not given).
 */
export async function measureSyncMemory(
  file: string,
  count: number,
  compiled?: string,
): Promise<SyncMemory> {
  const { blocks, transfers } = fullBlocksFile(file, count);
  const script = compiled ?? compileBenchChild('bench/lib/p2pNode.ts', 'blockyard-bench-syncmem');
  const temp = mkdtempSync(join(tmpdir(), 'blockyard-syncmem-'));
  const started: NodeChild[] = [];
  try {
    const server = await startNode({ dataDir: join(temp, 'server'), tips: false }, script);
    started.push(server);
    const loaded = await server.command('load', { file });
    if (!loaded.ok) throw new Error(`the serving node refused the chain: ${loaded.code}`);
    const serverLoadPeakRss = rssOf(server.pid).peak;
    const fresh = await startNode(
      { dataDir: join(temp, 'fresh'), tips: false },
      script,
      JSON.parse(process.env.SYNCMEM_FRESH_ENV || '{}'),
      (process.env.SYNCMEM_FRESH_FLAGS ?? '').split(' ').filter(Boolean),
    );
    started.push(fresh);
    const startedRss = rssOf(fresh.pid).rss;
    const startedDetail = await settledDetail(fresh);
    const samples: [number, number][] = [];
    const t0 = performance.now();
    let sampledPeakRss = startedRss;
    // SYNCMEM_SMAPS=1: what the RSS is made of (smapsBreakdown.ts) at its highest sample.
    const smaps = process.env.SYNCMEM_SMAPS === '1';
    const startedParts = smaps ? smapsBreakdown(fresh.pid) : undefined;
    let peakParts = startedParts;
    const sampler = setInterval(() => {
      const { rss } = rssOf(fresh.pid);
      if (smaps && rss > sampledPeakRss) peakParts = smapsBreakdown(fresh.pid);
      sampledPeakRss = Math.max(sampledPeakRss, rss);
      samples.push([Math.round(performance.now() - t0), rss]);
    }, 20);
    const usage: string[] = [];
    let asking = false;
    const asker = setInterval(() => {
      if (asking) return;
      asking = true;
      void fresh.command('memory').then((u: Record<string, number>) => {
        asking = false;
        const m = (n: number | undefined) => ((n ?? 0) / 1e6).toFixed(0);
        usage.push(
          `${Math.round(performance.now() - t0)} ms: rss ${m(u.rss)} heap ${m(u.heapUsed)}/${m(u.heapTotal)} external ${m(u.external)} buffers ${m(u.arrayBuffers)} new space ${m(u.newSpace)}`,
        );
      });
    }, 500);
    // SYNCMEM_SNAPSHOT=ms,file: a heap snapshot of the syncing node that far into the sync.
    const [snapshotMs, snapshotFile] = (process.env.SYNCMEM_SNAPSHOT ?? '').split(',');
    if (snapshotFile)
      setTimeout(() => void fresh.command('snapshot', { file: snapshotFile }), Number(snapshotMs));
    const synced = await fresh.command('sync', { url: server.url });
    clearInterval(sampler);
    clearInterval(asker);
    if (!synced.ok) throw new Error(`the sync failed: ${synced.code} ${synced.detail}`);
    if (synced.height !== blocks) throw new Error(`the sync ended at ${synced.height}`);
    const { rss: afterRss, peak: peakRss } = rssOf(fresh.pid);
    const serverPeakRss = rssOf(server.pid).peak;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const settledRss = rssOf(fresh.pid).rss;
    const settled = await settledDetail(fresh);
    const settledParts = smaps ? smapsBreakdown(fresh.pid) : undefined;
    return {
      startedParts,
      peakParts,
      settledParts,
      blocks,
      transfers,
      startedRss,
      peakRss,
      sampledPeakRss,
      serverLoadPeakRss,
      serverPeakRss,
      afterRss,
      settledRss,
      settled,
      started: startedDetail,
      syncMs: synced.ms,
      cpuMs: synced.cpuMs,
      mainCpuMs: synced.mainCpuMs,
      samples,
      usage,
    };
  } finally {
    for (const node of started) await node.close();
    rmSync(temp, { recursive: true, force: true });
  }
}

/** SyncMemory.settled (or started) of the node `node`, now. */
async function settledDetail(node: NodeChild): Promise<string> {
  const m = (n: number | undefined) => ((n ?? 0) / 1e6).toFixed(1);
  const u = (await node.command('memory')) as Record<string, number>;
  const kb = (text: string, field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) * 1024;
  const rollup = readFileSync(`/proc/${node.pid}/smaps_rollup`, 'utf8');
  const status = readFileSync(`/proc/${node.pid}/status`, 'utf8');
  const threads = /^Threads:\s+(\d+)/m.exec(status)?.[1];
  return `rss ${m(kb(rollup, 'Rss'))} = anonymous ${m(kb(rollup, 'Anonymous'))} + file ${m(kb(rollup, 'Rss') - kb(rollup, 'Anonymous'))} | heap ${m(u.heapUsed)}/${m(u.heapTotal)} external ${m(u.external)} buffers ${m(u.arrayBuffers)} new space ${m(u.newSpace)} | threads ${threads}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const count = Number(process.argv[2] ?? 30);
  const file = process.argv[3] ?? join(tmpdir(), `blockyard-sync${count}.bin`);
  const m = await measureSyncMemory(file, count);
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
  const us = (ms: number) => `${((1000 * ms) / m.transfers).toFixed(0)} µs`;
  const every = Math.max(1, Math.floor(m.samples.length / 12));
  console.log(
    `RSS over the sync (ms: MB): ${m.samples
      .filter((_, i) => i % every === 0)
      .map(([t, rss]) => `${t}: ${(rss / 1e6).toFixed(0)}`)
      .join(', ')}`,
  );
  if (process.env.SYNCMEM_USAGE) for (const line of m.usage) console.log(line);
  console.log(`as started: ${m.started}`);
  if (m.startedParts) console.log(`started: ${formatBreakdown(m.startedParts)}`);
  if (m.peakParts) console.log(`at the peak sample: ${formatBreakdown(m.peakParts)}`);
  if (m.settledParts) console.log(`settled: ${formatBreakdown(m.settledParts)}`);
  console.log(`${SETTLE_MS / 1000} s after the sync: ${m.settled}`);
  console.log(
    `sync of ${m.blocks} blocks (${m.transfers} transfers): ${(m.syncMs / 1000).toFixed(1)} s, ${Math.round((1000 * m.transfers) / m.syncMs)}/s | CPU/tx ${us(m.cpuMs)} main ${m.mainCpuMs === undefined ? '?' : us(m.mainCpuMs)} | RSS started ${mb(m.startedRss)} peak ${mb(m.peakRss)} (sampled ${mb(m.sampledPeakRss)}) after ${mb(m.afterRss)}, ${SETTLE_MS / 1000} s later ${mb(m.settledRss)} | serving node's peak: its load ${mb(m.serverLoadPeakRss)}, served ${mb(m.serverPeakRss)} | load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
  );
}
