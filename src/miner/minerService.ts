/**
 * Mining for the node: one block on demand (`/mine`, as the tutorials do) or continuously
 * (`--mine`). A template is built from the mempool on the current tip; the nonce search runs in
 * a NonceSearch (worker threads in production) and is aborted whenever the tip changes, so no
 * work is spent extending a stale block.
 */
import { EventEmitter } from 'node:events';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { BlockEntry } from '../chain/blockIndex.js';
import type { Chain } from '../chain/chain.js';
import {
  type Block,
  blockSubsidy,
  buildBlockTemplate,
  decodeBits,
  encodeHeader,
  fail,
  headerContext,
  ok,
  type Result,
} from '../core/index.js';
import type { Mempool } from '../mempool/mempool.js';
import type { NonceSearch } from './nonceSearch.js';

export interface MinerStatus {
  readonly running: boolean;
  readonly kernel: string;
  readonly threads: number;
  readonly hashRate: number;
  readonly blocksMined: number;
}

/** What finding one block took: what `/mine`, the Mine page and the CLI report. */
export interface MiningEffort {
  /** Nonces hashed for this block on its parent (a search restarted by a new template counts). */
  readonly tries: number;
  readonly elapsedMs: number;
  readonly target: bigint;
  /** What the coinbase pays: the subsidy plus the fees of the block's transfers. */
  readonly rewardUnits: bigint;
  readonly feesUnits: bigint;
}

export interface MinedBlock {
  readonly entry: BlockEntry;
  readonly block: Block;
  readonly effort: MiningEffort;
}

/** A search in progress, sent every PROGRESS_MS while one lasts that long. */
export interface MiningProgress {
  readonly height: number;
  readonly target: bigint;
  readonly elapsedMs: number;
  /** Estimated from the hash rate: the workers count their tries only when a search ends. */
  readonly tries: number;
  readonly hashRate: number;
}

const PROGRESS_MS = 250;

export interface MinerOptions {
  readonly chain: Chain;
  readonly mempool: Mempool;
  readonly search: NonceSearch;
  /** The public key the coinbase pays. */
  readonly rewardKey: Uint8Array;
  readonly now: () => number;
  /** Continuous mining waits at least this long between its blocks (0: flat out). */
  readonly minIntervalMs: number;
}

export class MinerService extends EventEmitter<{
  status: [MinerStatus];
  mined: [MinedBlock];
  progress: [MiningProgress];
  error: [Error];
}> {
  private running: AbortController | undefined;
  private blocksMined = 0;
  /** One per search in progress: `/mine` and the continuous miner may search at once. */
  private readonly searches = new Set<AbortController>();
  private loop: Promise<void> | undefined;
  private blockTimeMs: number;

  constructor(private readonly options: MinerOptions) {
    super();
    this.blockTimeMs = options.minIntervalMs;
  }

  /** SECURITY/PERF: a new tip (src/node/wireEvents.ts): never keep hashing on an old parent. */
  onTip(): void {
    for (const search of this.searches) search.abort();
  }

  status(): MinerStatus {
    const { search } = this.options;
    return {
      running: this.running !== undefined,
      kernel: search.kernel,
      threads: search.threads,
      hashRate: search.hashRate(),
      blocksMined: this.blocksMined,
    };
  }

  /** Mines one block on the current tip and adds it to the chain. */
  async mineOnce(signal?: AbortSignal): Promise<Result<MinedBlock>> {
    for (;;) {
      const parent = this.options.chain.tip;
      const template = this.template();
      const solved = await this.solve(template, signal);
      if (signal?.aborted)
        return fail('MINER_ABORTED', 'mining was stopped before a block was found');
      if (!solved) continue; // the tip moved: start again on the new one
      // PERF: synced to disk once the new tip is announced (sqliteStore.ts deferDurability), and
      // before anyone is told it was mined: the first hop of a block no longer waits for an fsync.
      const { chain } = this.options;
      const added = await chain.deferDurability(() => chain.addBlock(solved.block));
      if (!added.ok) return added;
      if (added.value.status === 'connected' && added.value.entry.parent === parent) {
        this.blocksMined++;
        const coinbase = template.txs[0];
        const rewardUnits = coinbase?.type === 'coinbase' ? coinbase.amount : 0n;
        const mined: MinedBlock = {
          entry: added.value.entry,
          block: solved.block,
          effort: {
            tries: solved.tries,
            elapsedMs: solved.elapsedMs,
            target: decodeBits(template.header.bits).target,
            rewardUnits,
            feesUnits:
              rewardUnits - blockSubsidy(this.options.chain.params, template.header.height),
          },
        };
        this.emit('mined', mined);
        return ok(mined);
      }
    }
  }

  /** Mines `count` blocks one after another; stops at the first failure, keeping what was mined. */
  async mineMany(count: number, signal?: AbortSignal): Promise<Result<MinedBlock[]>> {
    const mined: MinedBlock[] = [];
    for (let i = 0; i < count; i++) {
      const one = await this.mineOnce(signal);
      if (!one.ok) return mined.length === 0 ? one : ok(mined);
      mined.push(one.value);
      // NOTE: an easy target finds a block in microseconds: let the API and events breathe.
      await yieldToIo();
    }
    return ok(mined);
  }

  /** Continuous mining's pace: at least this long between its blocks (0: flat out). */
  setBlockTime(ms: number): void {
    this.blockTimeMs = ms;
  }

  get blockTime(): number {
    return this.blockTimeMs;
  }

  start(): void {
    if (this.running) return;
    this.running = new AbortController();
    this.loop = this.run(this.running.signal);
    this.emit('status', this.status());
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running.abort();
    this.running = undefined;
    await this.loop;
    this.emit('status', this.status());
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const started = this.options.now();
      const mined = await this.mineOnce(signal);
      if (!mined.ok && mined.code !== 'MINER_ABORTED') {
        // The chain refusing the miner's own block is a bug: stop rather than spin.
        this.running = undefined;
        this.emit('status', this.status());
        this.emit(
          'error',
          new Error(`the miner's own block was refused: ${mined.code} ${mined.detail}`),
        );
        return;
      }
      const wait = this.blockTimeMs - (this.options.now() - started);
      if (wait > 0 && !signal.aborted) await delay(wait, signal);
      // A block can take no time at all (an easy target, the inline search): yield to I/O
      // anyway, or the API, stop() and the event stream would never get a turn.
      else await yieldToIo();
    }
  }

  private template(): Block {
    const { chain, mempool, rewardKey, now } = this.options;
    const parent = chain.tip;
    const ctx = headerContext(
      chain.params,
      parent.header,
      parent.hash,
      (h) => chain.ancestorAt(parent, h).header,
      now(),
    );
    return buildBlockTemplate({
      params: chain.params,
      parentHash: parent.hash,
      height: parent.header.height + 1,
      bits: ctx.requiredBits,
      // CONSENSUS: strictly after the median time past, even if this clock is behind.
      timestampMs: Math.max(now(), ctx.medianTimePastMs + 1),
      minerKey: rewardKey,
      selection: mempool.selectForBlock(),
    });
  }

  /** Searches the template's nonces, rolling the timestamp when a range runs out. */
  private async solve(
    template: Block,
    outer?: AbortSignal,
  ): Promise<{ block: Block; tries: number; elapsedMs: number } | undefined> {
    const { search } = this.options;
    const target = decodeBits(template.header.bits).target;
    let header = template.header;
    const controller = new AbortController();
    this.searches.add(controller);
    const onOuter = () => controller.abort();
    outer?.addEventListener('abort', onOuter);
    const startedMs = performance.now();
    let tries = 0;
    // Long searches (a devnet's, a slow machine's) are shown while they run.
    const progress = setInterval(() => {
      const elapsedMs = performance.now() - startedMs;
      const hashRate = search.hashRate();
      this.emit('progress', {
        height: header.height,
        target,
        elapsedMs,
        tries: Math.max(tries, Math.round((hashRate * elapsedMs) / 1000)),
        hashRate,
      });
    }, PROGRESS_MS);
    try {
      while (!controller.signal.aborted) {
        const found = await search.search(encodeHeader(header), target, controller.signal);
        tries += found.tries;
        if (found.nonce !== null) {
          const block = { header: { ...header, nonce: found.nonce }, txs: template.txs };
          return { block, tries, elapsedMs: performance.now() - startedMs };
        }
        header = { ...header, timestampMs: Math.max(this.options.now(), header.timestampMs + 1) };
      }
      return undefined;
    } finally {
      clearInterval(progress);
      outer?.removeEventListener('abort', onOuter);
      this.searches.delete(controller);
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
