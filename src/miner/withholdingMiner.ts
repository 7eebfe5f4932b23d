/**
 * The lab's attacker miner (nodes started with --lab only): it mines a private branch on top of
 * the tip it started from, keeps the blocks it finds to itself, and hands them to its own chain
 * only when released. Released blocks are then ordinary blocks: the chain checks them like any
 * other and gossip announces them, so what the network does with them is the real fork choice.
 * Transfers given to it (`addPrivate`) go only into its private blocks: no mempool, no gossip
 * (the Finney attacker's payment to itself).
 */
import { EventEmitter } from 'node:events';
import type { BlockEntry } from '../chain/blockIndex.js';
import type { Chain } from '../chain/chain.js';
import {
  type Block,
  blockHashHex,
  buildBlockTemplate,
  decodeBits,
  encodeHeader,
  hashHeader,
  headerContext,
  type Transfer,
  txIdHex,
} from '../core/index.js';
import type { NonceSearch } from './nonceSearch.js';
import { selfishMove } from './selfishMove.js';

/**
 * When the private blocks go public: only when the lab says (`manual`); as soon as the private
 * branch is longer than the public chain this node sees (`ahead`: the double spender after the
 * merchant shipped); or by Eyal and Sirer's rules (`selfish`, selfishMove.ts). The last two are
 * decided here, on the node, at the moment its chain or its private branch changes, as a real
 * attacker's node would: a controller polling over HTTP reacted 0.1–0.3 s late.
 */
export type ReleasePolicy = 'manual' | 'ahead' | 'selfish';

export interface WithheldBlock {
  readonly block: Block;
  readonly hashHex: string;
}

export interface WithholdingStatus {
  readonly on: boolean;
  /** The public block the private branch grows from. */
  readonly baseHeight: number;
  readonly baseHash: string;
  readonly blocks: readonly {
    readonly height: number;
    readonly hash: string;
    readonly txs: number;
  }[];
  /** Private transfers not yet in a private block. */
  readonly pendingTxs: readonly string[];
  readonly release: ReleasePolicy;
}

export interface ReleaseOutcome {
  readonly hash: string;
  readonly height: number;
  /** What the node's own chain made of it: connected (a reorg, maybe), side, or a refusal code. */
  readonly status: string;
}

export class WithholdingMiner extends EventEmitter<{
  withheld: [WithheldBlock];
  released: [readonly ReleaseOutcome[]];
}> {
  private base: BlockEntry | undefined;
  private blocks: WithheldBlock[] = [];
  private pending: Transfer[] = [];
  private loop: Promise<void> | undefined;
  private running: AbortController | undefined;
  /** Aborted to make the loop build its template again (new private transfers). */
  private current: AbortController | undefined;
  private policy: ReleasePolicy = 'manual';
  /** The policy's decisions, one at a time (a release adds blocks, which asks again). */
  private deciding: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly chain: Chain,
    private readonly search: NonceSearch,
    private readonly rewardKey: Uint8Array,
    private readonly now: () => number,
    /** Tells peers of a released block that did not become this node's tip (a tie). */
    private readonly announceSide: (block: Block) => void = () => {},
  ) {
    super();
  }

  get withholding(): boolean {
    return this.base !== undefined;
  }

  get mining(): boolean {
    return this.running !== undefined;
  }

  status(): WithholdingStatus {
    const base = this.base ?? this.chain.tip;
    return {
      on: this.withholding,
      baseHeight: base.header.height,
      baseHash: base.hashHex,
      blocks: this.blocks.map((b) => ({
        height: b.block.header.height,
        hash: b.hashHex,
        txs: b.block.txs.length - 1,
      })),
      pendingTxs: this.pending.map(txIdHex),
      release: this.policy,
    };
  }

  /** Starts (or starts again) a private branch on the current tip; earlier private blocks are dropped. */
  async begin(): Promise<void> {
    await this.setMining(false);
    this.base = this.chain.tip;
    this.blocks = [];
    this.policy = 'manual';
    await this.setMining(true);
  }

  /** Stops withholding: private blocks not released are dropped. */
  async end(): Promise<void> {
    await this.setMining(false);
    this.policy = 'manual';
    this.base = undefined;
    this.blocks = [];
    this.pending = [];
  }

  async setMining(on: boolean): Promise<void> {
    if (on && !this.running && this.base) {
      const controller = new AbortController();
      this.running = controller;
      this.loop = this.run(controller.signal);
    } else if (!on && this.running) {
      this.running.abort();
      this.running = undefined;
      await this.loop;
    }
  }

  addPrivate(tx: Transfer): void {
    this.pending.push(tx);
    this.current?.abort();
  }

  /** Sets when the private blocks go public, and applies it at once: what that released. */
  async setPolicy(policy: ReleasePolicy): Promise<ReleaseOutcome[]> {
    this.policy = policy;
    return this.react();
  }

  /**
   * Applies the policy to what the node sees now; called when a private block is found and
   * when the node's tip changes. Resolves with what it released.
   */
  react(): Promise<ReleaseOutcome[]> {
    const next = this.deciding.then(() => this.decide());
    this.deciding = next.catch(() => undefined);
    return next;
  }

  private async decide(): Promise<ReleaseOutcome[]> {
    const base = this.base;
    if (!base || this.policy === 'manual') return [];
    const tip = this.chain.tip;
    const privateHeight = base.header.height + this.blocks.length;
    if (this.policy === 'ahead')
      // The lab network's difficulty is fixed: a longer branch is one with more work.
      return privateHeight > tip.header.height && this.blocks.length > 0 ? this.release() : [];
    const move = selfishMove({
      publicHeight: tip.header.height,
      publicTip: tip.hashHex,
      baseHeight: base.header.height,
      baseHash: base.hashHex,
      pending: this.blocks.map((b) => b.block.header),
    });
    if (move.kind === 'adopt') {
      // The public chain is ahead: mine privately from its tip again.
      this.base = tip;
      this.blocks = [];
      this.current?.abort();
    }
    return move.kind === 'release' ? this.release(move.count) : [];
  }

  /** Hands the first `count` private blocks (default all) to the node's chain, in order. */
  async release(count = this.blocks.length): Promise<ReleaseOutcome[]> {
    const out: ReleaseOutcome[] = [];
    const taken = this.blocks.splice(0, Math.max(0, count));
    for (const { block, hashHex } of taken) {
      const added = await this.chain.addBlock(block);
      out.push({
        hash: hashHex,
        height: block.header.height,
        status: added.ok ? added.value.status : added.code,
      });
      const entry = this.chain.get(hashHex);
      if (entry) this.base = entry;
      // A block that ties the public tip stays on a side branch here; its peers still hear of it.
      if (added.ok && added.value.status === 'side') this.announceSide(block);
    }
    if (out.length > 0) this.emit('released', out);
    return out;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const template = this.template();
      const controller = new AbortController();
      this.current = controller;
      const onStop = () => controller.abort();
      signal.addEventListener('abort', onStop);
      try {
        const { nonce } = await this.search.search(
          encodeHeader(template.header),
          decodeBits(template.header.bits).target,
          controller.signal,
        );
        if (nonce === null || controller.signal.aborted) continue;
        const block = { header: { ...template.header, nonce }, txs: template.txs };
        const found = { block, hashHex: blockHashHex(block.header) };
        const included = new Set<unknown>(block.txs);
        this.pending = this.pending.filter((tx) => !included.has(tx));
        this.blocks.push(found);
        this.emit('withheld', found);
        void this.react().catch(() => undefined);
      } finally {
        signal.removeEventListener('abort', onStop);
        this.current = undefined;
      }
    }
  }

  /** A block on the private tip: the private transfers not yet mined, and the coinbase. */
  private template(): Block {
    const base = this.base ?? this.chain.tip;
    const last = this.blocks[this.blocks.length - 1]?.block;
    const parent = last?.header ?? base.header;
    const parentHash = last ? hashHeader(last.header) : base.hash;
    const ancestorAt = (h: number) =>
      h > base.header.height
        ? this.blocks[h - base.header.height - 1]!.block.header
        : this.chain.ancestorAt(base, h).header;
    const ctx = headerContext(this.chain.params, parent, parentHash, ancestorAt, this.now());
    const txs = [...this.pending];
    return buildBlockTemplate({
      params: this.chain.params,
      parentHash,
      height: parent.height + 1,
      bits: ctx.requiredBits,
      timestampMs: Math.max(this.now(), ctx.medianTimePastMs + 1),
      minerKey: this.rewardKey,
      selection: { txs, fees: txs.reduce((sum, tx) => sum + tx.fee, 0n) },
    });
  }
}
