/**
 * The one composition root: builds a node from options — store, chain, mempool, miner, API —
 * and wires their events. Everything else receives what it needs as arguments.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { BlockViews } from '../api/blockViews.js';
import type { ApiDeps, NodeEvent } from '../api/deps.js';
import { buildApi } from '../api/server.js';
import { Chain } from '../chain/chain.js';
import type { SideLimits } from '../chain/sideBranches.js';
import { type NetworkParams, parseAddress } from '../core/index.js';
import { createNodeVerifier } from '../crypto/nodeEd25519.js';
import { Mempool } from '../mempool/mempool.js';
import { MempoolJournal } from '../mempool/mempoolJournal.js';
import { ReorgLog } from '../mempool/reorgLog.js';
import { createCappedNonceSearch } from '../miner/cappedNonceSearch.js';
import {
  createInlineNonceSearch,
  createWorkerNonceSearch,
  type KernelChoice,
  loadKernel,
  MinerService,
  type NonceSearch,
} from '../miner/index.js';
import { Links } from '../p2p/links.js';
import { Network } from '../p2p/network.js';
import { createMemoryStore } from '../storage/memoryStore.js';
import { openSqliteStore } from '../storage/sqliteStore.js';
import type { ChainStore } from '../storage/types.js';
import { logConversion } from './conversionLog.js';
import { type DataDirLock, lockDataDir } from './dataDirLock.js';
import { Faucet } from './faucet.js';
import { joinInfo } from './joinInfo.js';
import { createLabMode, type LabMode } from './labMode.js';
import { createLazyNonceSearch } from './lazyNonceSearch.js';
import { silentLogger } from './logger.js';
import { loadMempool, MEMPOOL_FILE } from './mempoolFile.js';
import { loadOrCreateNodeKey, type NodeKey } from './nodeKey.js';
import { createNodeWallet } from './nodeWallet.js';
import { deleteChainFiles } from './resetChain.js';
import { collectStartGarbage, selfUrl, warmHex, warmHttp } from './warmUp.js';
import { wireEvents, wireParts } from './wireEvents.js';

export interface NodeOptions {
  readonly params: NetworkParams;
  /** Root of the data; the node keeps `<dataDir>/<network>/`. Undefined: memory only. */
  readonly dataDir?: string | undefined;
  readonly host?: string;
  readonly port?: number;
  readonly mine?: boolean;
  /** Address the rewards go to; default the node's own. */
  readonly minerAddress?: string | undefined;
  /** Bearer token for operator routes; default a new one per start, written to `api-token`. */
  readonly apiToken?: string | undefined;
  /** Continuous mining waits this long between blocks at least (default: 1 s on the fixed-difficulty tutorial network). */
  readonly minerIntervalMs?: number;
  /** Mining threads (default one per core) and kernel (default the fastest that loads). */
  readonly minerThreads?: number | undefined;
  readonly minerKernel?: KernelChoice | undefined;
  /** Delete the chain's files before opening them (--reset); the node key and token stay. */
  readonly reset?: boolean;
  /** Coins the faucet pays each new address (--faucet); undefined: no faucet. */
  readonly faucetUnits?: bigint | undefined;
  /** Peers to introduce this node to at start (host:port or URLs). */
  readonly peers?: readonly string[];
  /** Timers of the network (tests shorten them). */
  readonly syncIntervalMs?: number;
  readonly peerTimeoutMs?: number;
  /** How often an answering peer is pinged (Network's pingIntervalMs; tests count ping rounds). */
  readonly pingIntervalMs?: number;
  /** The most transfers the mempool holds (default 50,000). */
  readonly mempoolMaxCount?: number | undefined;
  /** What is kept of side branches nobody asked for (default: src/chain/sideBranches.ts's). */
  readonly sideLimits?: SideLimits;
  /**
   * Blocks of undo data kept and blocks between two copies of the accounts (default: the
   * store's, src/storage/undoWindow.ts, stateSnapshots.ts): tests make switches deeper than them.
   */
  readonly storeWindows?: { readonly undoBlocks?: number; readonly snapshotBlocks?: number };
  /** How long a switch of the main chain runs between turns of the event loop; tests set 0. */
  readonly switchSliceMs?: number;
  /** How the mempool journal commits (bench intake compares them; default 'group'). */
  readonly journalCommit?: 'group' | 'each';
  /** Lab mode (--lab): the lab's routes, a hash-rate cap (hashes/s; null: none), cut links. */
  readonly lab?: { readonly hashRate: number | null } | undefined;
  /** A nonce search to use instead of the worker pool (tests). */
  readonly search?: NonceSearch;
  readonly logger?: Logger;
  /**
   * Once listening, two calls to itself warm Node's HTTP code (warmUp.ts): `blockyard node`
   * sets it, so that the first peer it is told of is adopted without that cold start.
   */
  readonly warmUp?: boolean;
  readonly now?: () => number;
}

export interface BlockyardNode {
  readonly url: string;
  readonly chain: Chain;
  /** The node's store (tests read its journal and accounts). */
  readonly store: ChainStore;
  readonly mempool: Mempool;
  readonly miner: MinerService;
  readonly nodeKey: NodeKey;
  readonly apiToken: string;
  readonly app: FastifyInstance;
  readonly network: Network;
  readonly dataPath: string | undefined;
  /** Whether the warm-up's calls (options.warmUp) were answered. */
  readonly warmed: boolean;
  close(): Promise<void>;
}

export function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export async function createNode(options: NodeOptions): Promise<BlockyardNode> {
  const { params } = options;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger();
  const dataPath = options.dataDir === undefined ? undefined : join(options.dataDir, params.name);
  if (dataPath) mkdirSync(dataPath, { recursive: true, mode: 0o700 });
  // Before anything in the folder is read or written: a second node there must harm nothing.
  const lock = dataPath ? lockDataDir(dataPath) : undefined;
  try {
    // Under the lock: a node running on this folder has refused us above, and is not harmed.
    if (options.reset && dataPath) {
      const deleted = deleteChainFiles(dataPath);
      logger.warn(
        { deleted: deleted.map((f) => f.name) },
        `--reset: the ${options.params.name} chain was deleted`,
      );
    }
    return await startNode(options, { now, logger, dataPath, lock });
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function startNode(
  options: NodeOptions,
  ctx: {
    now: () => number;
    logger: Logger;
    dataPath: string | undefined;
    lock: DataDirLock | undefined;
  },
): Promise<BlockyardNode> {
  const { params } = options;
  const { now, logger, dataPath, lock } = ctx;
  const store = dataPath
    ? openSqliteStore(join(dataPath, 'chain.sqlite'), {
        onConversion: logConversion(logger),
        ...options.storeWindows,
      })
    : createMemoryStore(options.storeWindows);
  const verifier = createNodeVerifier();
  const chain = await Chain.open({
    params,
    store,
    verifier,
    now,
    ...(options.sideLimits ? { sideLimits: options.sideLimits } : {}),
    ...(options.switchSliceMs === undefined ? {} : { switchSliceMs: options.switchSliceMs }),
  });
  const mempool = new Mempool(chain, verifier, {
    now,
    ...(options.mempoolMaxCount === undefined ? {} : { maxCount: options.mempoolMaxCount }),
  });
  const journal = new MempoolJournal(store, mempool, now, options.journalCommit);
  const nodeKey = loadOrCreateNodeKey(dataPath, params.addressPrefix);
  const rewardKey =
    options.minerAddress === undefined
      ? nodeKey.publicKey
      : parseMinerAddress(options.minerAddress, params);
  // The kernel the workers will pick (they run the same loadKernel), learned without them.
  const kernel = loadKernel(options.minerKernel ?? 'auto').kernel;
  const ordinarySearch =
    options.search ??
    createLazyNonceSearch(() => startWorkerSearch(options, logger), {
      kernel: kernel.name,
      threads: options.minerThreads ?? availableParallelism(),
    });
  // Lab mode: the miner searches at the lab's capped rate (src/miner/cappedNonceSearch.ts).
  const capped = options.lab
    ? createCappedNonceSearch(ordinarySearch, kernel, options.lab.hashRate)
    : undefined;
  const search = capped ?? ordinarySearch;
  const miner = new MinerService({
    chain,
    mempool,
    search,
    rewardKey,
    now,
    // NOTE: a lab node's blocks come at random times, as its capped proof of work finds them.
    minIntervalMs:
      options.minerIntervalMs ?? (params.retarget === null && !options.lab ? 1_000 : 0),
  });
  const apiToken = options.apiToken ?? randomBytes(24).toString('base64url');
  if (dataPath && options.apiToken === undefined) {
    const tokenPath = join(dataPath, 'api-token');
    // SECURITY: made anew, because `mode` applies only when a file is created: an older file
    // would keep its own mode, and the new token would be written into it first.
    rmSync(tokenPath, { force: true });
    writeFileSync(tokenPath, `${apiToken}\n`, { mode: 0o600 });
  }

  const events = new EventEmitter<{ event: [NodeEvent] }>();
  events.setMaxListeners(1_000);
  const reorgs = new ReorgLog(chain, mempool, now);

  let listenPort = 0;
  const host = options.host ?? '127.0.0.1';
  const links = options.lab ? new Links(() => listenPort) : undefined;
  const network = new Network({
    chain,
    mempool,
    store,
    nodeAddress: nodeKey.address,
    version: readVersion(),
    logger,
    now,
    port: () => listenPort,
    links,
    ...(options.peerTimeoutMs === undefined ? {} : { timeoutMs: options.peerTimeoutMs }),
    ...(options.syncIntervalMs === undefined ? {} : { syncIntervalMs: options.syncIntervalMs }),
    ...(options.pingIntervalMs === undefined ? {} : { pingIntervalMs: options.pingIntervalMs }),
  });
  const labMode: LabMode | undefined =
    capped && links
      ? createLabMode({
          chain,
          miner,
          search: capped,
          links,
          rewardKey,
          nodeAddress: nodeKey.address,
          now,
          events,
          announceSide: (block) => network.gossip.onSideBlock(block.header),
        })
      : undefined;
  const views = new BlockViews(chain, store);
  wireParts({ chain, mempool, journal, reorgs, views, miner, gossip: network.gossip });
  wireEvents({
    chain,
    mempool,
    reorgs,
    miner,
    events,
    logger,
    addedByRun: (height, hashHex) => network.addedByRun(height, hashHex),
  });
  // Once everything listens: what the journal admits again is announced, logged and counted.
  const restored = await journal.restore();
  if (restored.admitted + restored.dropped > 0) {
    logger.info(restored, `mempool: ${restored.admitted} journaled transfers admitted again`);
  }
  // NOTE: nodes before the journal saved the mempool to a file at close: read it once.
  const mempoolPath = dataPath && join(dataPath, MEMPOOL_FILE);
  if (mempoolPath) await loadMempool(mempoolPath, mempool, logger);

  const nodeWallet = createNodeWallet(nodeKey, mempool, params);
  const deps: ApiDeps = {
    params,
    network,
    chain,
    views,
    mempool,
    reorgs,
    miner,
    nodeWallet,
    apiToken,
    version: readVersion(),
    events,
    now,
    faucet:
      options.faucetUnits === undefined
        ? undefined
        : new Faucet({ amountUnits: options.faucetUnits, params, wallet: nodeWallet, now }),
    join: () => joinInfo(host, listenPort),
    lab: labMode,
  };
  const app = await buildApi(deps, {
    logger,
    checkResponses: process.env.BLOCKYARD_CHECK_RESPONSES === '1',
  });
  try {
    await app.listen({ host, port: options.port ?? 5000 });
  } catch (error) {
    // Nothing started may outlive a node that could not listen (the port is taken, say).
    await app.close();
    await search.close();
    store.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 5000);
  listenPort = port;
  network.start(options.peers ?? []);
  if (options.warmUp) warmHex();
  // The node serves meanwhile; a call to itself that is not answered within a second is left.
  const warmed = options.warmUp
    ? await warmHttp(selfUrl(host, port), network.closingSignal)
    : false;
  // PERF: what the start left is collected now, not inside the first sync. A fresh bundled node
  // was ready with 17.5 MB of old generation (old 12.3, code 0.7, large objects 3.5) against the
  // 20 MB limit V8 set during the start, so V8 was to start marking as soon as it next checked
  // (under 4 MB left, the young generation's size: youngGeneration.ts), and a first register +
  // resolve onto 20 blocks ahead often held a full collection ("[IncrementalMarking] Start
  // (task): 16MB / 20MB", then "Mark-Compact 18.4 (24.9) -> 12.6 (23.8) MB", --trace-gc set
  // once ready). Whether it fell inside the request hung on a few hundred KB and on timing:
  // c84aa2d in none of 40 rounds, 75303d8 in 4 of 12 and 2 of 12 (gc counts of
  // bench/lib/freshAdoptProfile.ts, alternated, load 11–15), those rounds 39–65 ms of CPU against
  // a median of 30: last session's fresh-adopt regression. Collected here (15–24 ms, before the
  // node says it is up) it is ready with 13.1 MB and more than 12 MB to the point where V8 marks.
  // 75303d8 without and with this alone, 20 rounds alternated (load 5.7–6.0): a full collection
  // in the request in 3 → 0 rounds; fresh CPU median 26.5 → 26.7 ms, mean 29.2 → 26.7, highest
  // 55.8 → 32.3. NOTE: the median does not fall: code run first after a process's first full
  // collection pays for it once (2,000 small functions: 0.3 → 5 ms, 256 page faults), here inside
  // the request; what goes is the 20–30 ms collection that fell into one round in 7 or so.
  if (options.warmUp) collectStartGarbage();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  lock?.setUrl(url);
  if (options.mine) miner.start();
  // An idle chain brings no new tip, so old transfers are also expired on a timer.
  const expiry = setInterval(() => mempool.expire(), 60_000);
  expiry.unref();

  return {
    url,
    chain,
    store,
    mempool,
    miner,
    nodeKey,
    apiToken,
    app,
    network,
    dataPath,
    warmed,
    async close() {
      clearInterval(expiry);
      network.close();
      await labMode?.close();
      await miner.stop();
      await app.close();
      await chain.idle();
      journal.flush();
      await search.close();
      store.close();
      lock?.release();
    },
  };
}

/** The worker pool with the fastest kernel; if workers cannot start, the slow inline search. */
async function startWorkerSearch(options: NodeOptions, logger: Logger): Promise<NonceSearch> {
  try {
    return await createWorkerNonceSearch({
      ...(options.minerThreads === undefined ? {} : { threads: options.minerThreads }),
      ...(options.minerKernel === undefined ? {} : { kernel: options.minerKernel }),
    });
  } catch (error) {
    logger.warn(
      { err: error },
      'mining workers could not start; mining on the main thread, slowly',
    );
    return createInlineNonceSearch();
  }
}

function parseMinerAddress(address: string, params: NetworkParams): Uint8Array {
  const parsed = parseAddress(address, params.addressPrefix);
  if (!parsed.ok) throw new Error(`--miner-address: ${parsed.detail}`);
  return parsed.value;
}
