/**
 * Who listens to whom: every subscription between the node's parts is made here, and nowhere
 * else (docs/architecture.md draws it). The parts only expose what they do on each event
 * (`onConnected`, `onTip`, …), so a reader finds the whole event flow, and its order, in one page.
 */
import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { BlockViews } from '../api/blockViews.js';
import type { NodeEvent } from '../api/deps.js';
import {
  expectedTries,
  formatDuration,
  formatHashRate,
  miningReport,
} from '../api/miningReport.js';
import { reorgJson } from '../api/reorgView.js';
import type { Chain } from '../chain/chain.js';
import { formatCount, headerToJson } from '../core/index.js';
import type { Mempool } from '../mempool/mempool.js';
import type { MempoolJournal } from '../mempool/mempoolJournal.js';
import type { ReorgLog } from '../mempool/reorgLog.js';
import type { MinerService } from '../miner/index.js';
import type { Gossip } from '../p2p/gossip.js';

/** The parts; a test that builds only some of them leaves the others out. */
export interface Parts {
  readonly chain: Chain;
  readonly mempool: Mempool;
  readonly journal?: MempoolJournal;
  readonly reorgs?: ReorgLog;
  readonly views?: BlockViews;
  readonly miner?: MinerService;
  readonly gossip?: Gossip;
}

/**
 * NOTE: the order within each event matters: on `tip` the mempool settles first, so that the
 * reorg log tells what it kept and dropped, and gossip announces a tip whose pool is settled.
 */
export function wireParts(p: Parts): void {
  const { chain, mempool, journal, reorgs, views, miner, gossip } = p;
  // PERF: a block's transfers the mempool checked are not checked again when it connects.
  chain.trustVerified(mempool.isVerified);
  // An admission is answered once it is on disk (the journal's group commit).
  if (journal) mempool.waitUntilDurable(() => journal.durable());

  chain.on('connected', (entry, block, txIds) => {
    mempool.onConnected(block, txIds);
    reorgs?.onConnected(entry, block, txIds);
    views?.onConnected(entry, block, txIds);
  });
  chain.on('disconnected', (entry, block) => {
    mempool.onDisconnected(block);
    reorgs?.onDisconnected(entry, block);
  });
  chain.on('reorg', (info) => reorgs?.onReorg(info));
  chain.on('tip', () => {
    mempool.onTip();
    miner?.onTip();
    reorgs?.onTip();
    gossip?.onTip();
  });
  mempool.on('added', (entry) => {
    journal?.onAdded(entry);
    reorgs?.onAdded(entry);
    gossip?.onAdded(entry);
  });
  mempool.on('removed', (entry) => journal?.onRemoved(entry.idHex));
  mempool.on('dropped', (record) => reorgs?.onDropped(record));
}

/** What the node tells its log and the event stream (GET /api/events). */
export function wireEvents(n: {
  chain: Chain;
  mempool: Mempool;
  reorgs: ReorgLog;
  miner: MinerService;
  events: EventEmitter<{ event: [NodeEvent] }>;
  logger: Logger;
  /** Whether a sync's run is adding this block (Network.addedByRun): it logs their progress. */
  addedByRun?: (height: number, hashHex: string) => boolean;
}): void {
  const { chain, mempool, reorgs, miner, events, logger, addedByRun } = n;
  const params = chain.params;
  chain.on('connected', (entry, block) => {
    // A block at the tip (mined, gossiped, a sync of one — even during a run) has its line; a
    // synced run's blocks, the sync's progress lines (src/p2p/syncLog.ts). PERF: a fresh node's
    // CPU for a register + resolve onto 20 blocks, logging pretty to stderr, minus the same
    // silent, before (a line a block, the format parsed back) → after, 11 alternated each
    // (bench/lib/logCost.ts, load 7–8 and 6.7–6.8): 8.3 → 3.4 ms and 4.2 → 1.0 ms.
    if (!addedByRun?.(entry.header.height, entry.hashHex))
      logger.info(
        { hash: entry.hashHex, txs: block.txs.length },
        `block ${entry.header.height} connected`,
      );
    // PERF: the block's JSON only for someone listening (GET /api/events, the lab's timeline):
    // built for every block of a sync whether or not, it was ≈ 5 % of adding a small block.
    if (events.listenerCount('event') > 0)
      events.emit('event', {
        type: 'block',
        data: { ...headerToJson(entry.header), tx_count: block.txs.length },
      });
  });
  chain.on('reorg', ({ depth, oldTip, newTip, forkPoint }) => {
    logger.warn(
      { depth, from: oldTip.hashHex, to: newTip.hashHex },
      `reorganised ${depth} block(s) back to ${forkPoint.header.height}`,
    );
    // NOTE: the `reorg` event goes out once the mempool has settled (the ReorgLog's).
  });
  reorgs.on('reorg', (record) =>
    events.emit('event', { type: 'reorg', data: reorgJson(record, params) }),
  );
  chain.on('invalid', (entry, code) =>
    logger.warn({ hash: entry.hashHex, code }, `block ${entry.header.height} is invalid`),
  );
  mempool.on('added', (entry) => events.emit('event', { type: 'tx', data: { id: entry.idHex } }));
  mempool.on('refused', (id, code, detail) =>
    events.emit('event', { type: 'tx_refused', data: { id, code, detail } }),
  );
  miner.on('status', (s) => {
    logger.info(
      { kernel: s.kernel, threads: s.threads },
      s.running ? 'miner started' : 'miner stopped',
    );
    events.emit('event', {
      type: 'miner',
      data: { running: s.running, kernel: s.kernel, threads: s.threads, hash_rate: s.hashRate },
    });
  });
  miner.on('error', (error) => logger.error({ err: error }, 'miner stopped on an error'));
  // Each block this node mines, with its effort (issue 15, point 2); the lab's timeline reads it.
  miner.on('mined', (mined) => {
    const report = miningReport(mined);
    logger.info(
      { hash: report.hash, tries: report.tries, ms: report.elapsed_ms },
      `mined block ${report.height}: ${formatCount(report.tries)} tries in ${formatDuration(report.elapsed_ms)} (${formatHashRate(report.hash_rate)}), reward ${report.reward} coins`,
    );
    events.emit('event', { type: 'mined', data: report });
  });
  miner.on('progress', (p) =>
    events.emit('event', {
      type: 'mining',
      data: {
        height: p.height,
        target: p.target.toString(16).padStart(64, '0'),
        elapsed_ms: Math.round(p.elapsedMs),
        tries: p.tries,
        hash_rate: p.hashRate,
        expected_tries: expectedTries(p.target),
      },
    }),
  );
}
