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
  mined: [BlockEntry];
  error: [Error];
}> {
  private running: AbortController | undefined;
  private blocksMined = 0;
  /** One per search in progress: `/mine` and the continuous miner may search at once. */
  private readonly searches = new Set<AbortController>();
  private loop: Promise<void> | undefined;

  constructor(private readonly options: MinerOptions) {
    super();
    // SECURITY/PERF: never keep hashing on a parent that is no longer the tip.
    options.chain.on('tip', () => {
      for (const search of this.searches) search.abort();
    });
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
  async mineOnce(signal?: AbortSignal): Promise<Result<BlockEntry>> {
    for (;;) {
      const parent = this.options.chain.tip;
      const block = await this.solve(this.template(), signal);
      if (signal?.aborted)
        return fail('MINER_ABORTED', 'mining was stopped before a block was found');
      if (!block) continue; // the tip moved: start again on the new one
      const added = await this.options.chain.addBlock(block);
      if (!added.ok) return added;
      if (added.value.status === 'connected' && added.value.entry.parent === parent) {
        this.blocksMined++;
        this.emit('mined', added.value.entry);
        return ok(added.value.entry);
      }
    }
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
      const wait = this.options.minIntervalMs - (this.options.now() - started);
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
      (h) => chain.index.ancestorAt(parent, h).header,
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
  private async solve(template: Block, outer?: AbortSignal): Promise<Block | undefined> {
    const target = decodeBits(template.header.bits).target;
    let header = template.header;
    const controller = new AbortController();
    this.searches.add(controller);
    const onOuter = () => controller.abort();
    outer?.addEventListener('abort', onOuter);
    try {
      while (!controller.signal.aborted) {
        const nonce = await this.options.search.search(
          encodeHeader(header),
          target,
          controller.signal,
        );
        if (nonce !== null) return { header: { ...header, nonce }, txs: template.txs };
        header = { ...header, timestampMs: Math.max(this.options.now(), header.timestampMs + 1) };
      }
      return undefined;
    } finally {
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
