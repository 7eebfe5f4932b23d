/**
 * The chain: a block tree kept in the store, the main chain through the most cumulative work,
 * and reorganisation onto a heavier branch with undo data. Blocks are added one at a time (a
 * queue), each checked cheapest-first: context-free checks and proof of work on arrival, the
 * header against its own branch before it is stored, and the body (balances, nonces,
 * signatures) when it is connected: its signatures on other cores (the verifier's worker threads
 * or libuv's pool) while this thread applies it, or earlier still if a sync asked for them
 * (verifyAhead). A block found invalid while connecting is marked so, with everything built on
 * it, and the node returns to its best valid branch. This file adds blocks; the moves of the
 * main chain (switch, connect, disconnect, invalid, prune) are chainMoves.ts's, its reads
 * chainReads.ts's.
 */
import {
  type AccountReader,
  type Block,
  blockSize,
  chainWorkAfter,
  checkBlock,
  equalBytes,
  fail,
  hashHeader,
  headerContext,
  isBetterTip,
  ok,
  type Result,
  toHex,
  validateHeader,
} from '../core/index.js';
import type { BlockEntry } from './blockIndex.js';
import { ChainMoves } from './chainMoves.js';
import { loadBlockTree } from './loadBlockTree.js';
import type { AddBlockOutcome, BlockOrigin, ChainOptions } from './types.js';
import {
  type AlreadyVerified,
  forWorkers,
  idsOfBytes,
  startSignaturesAhead,
  startSignaturesOnTip,
} from './verifySignatures.js';

export type { AddBlockOutcome, BlockOrigin, ChainEvents, ChainOptions } from './types.js';

export class Chain extends ChainMoves {
  private queue: Promise<unknown> = Promise.resolve();
  private seen = 0;

  private constructor(options: ChainOptions) {
    super(options);
  }

  /** Opens the chain in `store`, creating the genesis block in an empty one. */
  static async open(options: ChainOptions): Promise<Chain> {
    const chain = new Chain(options);
    await chain.load();
    return chain;
  }

  /** Runs `work` (a sync adding many blocks) with the store's commits grouped (storage/types.ts). */
  deferDurability<T>(work: () => Promise<T>): Promise<T> {
    return this.options.store.deferDurability(work);
  }

  /**
   * Commits the block writes held for a sync (addBlock's `held`). PERF: a sync's blocks were
   * stored and connected in two SQL transactions each; held, one per batch the sync fetched.
   */
  commitHeld(): void {
    this.options.store.holdBlocks(false);
  }

  /** The account state at the tip. */
  get state(): AccountReader {
    return this.accounts;
  }

  /** Skips the signature check of the transactions `verified` says were checked (the mempool's). */
  trustVerified(verified: AlreadyVerified): void {
    this.alreadyVerified = verified;
  }

  /** Resolves once every block handed to addBlock so far has been dealt with. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Blocks in the tree off the main chain (side branches, invalid blocks). */
  get sideCount(): number {
    return this.sideBranches.count;
  }

  /**
   * Adds a block from anywhere (the miner, the API, a peer). Calls run one at a time. A block
   * nobody asked for says so in `origin`: it falls under the side-branch policy.
   */
  addBlock(block: Block, origin: BlockOrigin = {}): Promise<Result<AddBlockOutcome>> {
    const run = this.queue.then(() => this.add(block, origin));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Starts checking the signatures of a block that is about to be added, on other cores, so that
   * addBlock finds them done or under way: a sync hands in its next blocks (whose headers it has
   * checked) while this thread connects the ones before. `bytes`, if the caller has them, are the
   * block's encoding (SECURITY: any other bytes only check other signatures than addBlock needs),
   * and `hash` its header's hash (as BlockOrigin's). Nothing else happens here, and only for a block with its proof of work whose transactions
   * are the ones its header commits to (checked here, or by the worker); addBlock still checks
   * everything, the signatures against the ids of what it connects.
   */
  verifyAhead(block: Block, bytes?: Uint8Array, hash?: Uint8Array): void {
    const { params } = this.options;
    startSignaturesAhead(block, { bytes, hash }, params, this.signatures, this.alreadyVerified);
  }

  private async load(): Promise<void> {
    this.seen = loadBlockTree(this.options.store, this.options.params, this.index);
    for (const entry of this.index.entries()) {
      if (!this.index.isOnMain(entry)) this.sideBranches.onStored(entry, 0);
    }
    // A node stopped in the middle of a reorganisation finishes it now.
    const best = this.index.bestLeaf();
    if (best !== this.tip) await this.switchTo(best);
  }

  private async add(block: Block, origin: BlockOrigin): Promise<Result<AddBlockOutcome>> {
    const { store } = this.options;
    // NOTE: a block that is not a sync's (the miner's, a user's) commits whatever a sync held
    // with its own writes, one by one, as before: it is reported connected only once committed.
    store.holdBlocks(origin.held === true);
    return this.addChecked(block, origin);
  }

  private async addChecked(block: Block, origin: BlockOrigin): Promise<Result<AddBlockOutcome>> {
    const { params, store } = this.options;
    // PERF: the header is hashed once here (or not at all, if the caller has: origin.hash), for
    // startOnTip and checkBlock both; a synced block's header was hashed 4 times on its way in.
    const { headerHash, early } = this.startOnTip(block, origin);
    const { bytes } = origin;
    const ids =
      early?.txIds ??
      (bytes && bytes.length <= params.maxBlockBytes ? idsOfBytes(bytes, block) : undefined);
    const checked = checkBlock(block, params, ids, headerHash, early?.root, early?.txIdsHex);
    if (!checked.ok) return checked;
    const hashHex = toHex(checked.value.hash);
    const known = this.index.get(hashHex);
    if (known) {
      return known.invalid
        ? fail('BLOCK_INVALID_ANCESTOR', `block ${hashHex} is known to be invalid`)
        : ok({ status: 'duplicate', entry: known });
    }
    const parentHex = toHex(block.header.prevHash);
    const parent = this.index.get(parentHex);
    if (!parent) {
      // Without its bytes: an orphan waits in memory, and is stored encoded when it connects.
      const { unrequestedFrom } = origin;
      this.orphans.add(hashHex, block, unrequestedFrom === undefined ? {} : { unrequestedFrom });
      return ok({ status: 'orphan', hashHex, missingHex: parentHex });
    }
    if (parent.invalid) {
      return fail(
        'BLOCK_INVALID_ANCESTOR',
        `block ${hashHex} builds on invalid block ${parentHex}`,
      );
    }
    const header = validateHeader(block.header, this.headerContextOn(parent));
    if (!header.ok) return header;

    const chainWork = chainWorkAfter(parent.chainWork, block.header.bits);
    // A block nobody asked for that would not become the tip (ties go to the first seen).
    let unrequestedBytes = 0;
    if (origin.unrequestedFrom !== undefined && chainWork <= this.tip.chainWork) {
      unrequestedBytes = blockSize(block);
      const admitted = this.sideBranches.admit(origin.unrequestedFrom, parent, unrequestedBytes);
      if (!admitted.ok) return admitted;
    }
    const record = {
      hash: checked.value.hash,
      header: block.header,
      chainWork,
      seenOrder: this.seen++,
      invalid: false,
    };
    store.saveBlock(record, block, origin.bytes ?? early?.bytes);
    const entry = this.index.add(record);
    this.sideBranches.onStored(entry, unrequestedBytes);

    let outcome: Result<AddBlockOutcome> = ok({ status: 'side', entry });
    if (isBetterTip(entry, this.tip)) {
      const oldTip = this.tip;
      const { txIds, txIdsHex } = checked.value;
      const switched = await this.switchTo(entry, { entry, block, txIds, txIdsHex });
      if (!switched.ok) outcome = switched;
      else if (this.tip === entry) {
        const forkPoint = this.index.forkPoint(oldTip, entry);
        outcome = ok({
          status: 'connected',
          entry,
          reorgDepth: oldTip.header.height - forkPoint.header.height,
        });
      }
    }
    for (const child of this.orphans.takeChildren(hashHex))
      await this.addChecked(child.block, child.origin);
    return outcome;
  }

  /**
   * A new block on the tip whose header is valid there has its signature checks started before
   * checkBlock (startSignaturesOnTip): `early`, the ids it hashed, for checkBlock, and the block's
   * bytes it encoded, for saving it; or undefined. `headerHash`: the header's hash if it was
   * computed (here, or by the caller: origin.hash), for checkBlock.
   * SECURITY: only a block that can become the tip (not a known one, not one whose header the
   * tip refuses: a block at the lowest difficulty costs nothing to mine) sets the workers going.
   */
  private startOnTip(
    block: Block,
    origin: BlockOrigin,
  ): { headerHash?: Uint8Array; early?: ReturnType<typeof startSignaturesOnTip> } {
    const { tip } = this;
    // PERF: a block too small for the workers (a quiet chain's, all of an adoption's 20) starts
    // nothing early: its header's context was computed and judged here for nothing, then again.
    // A running node's register + resolve onto 20 blocks, its CPU (bench/lib/adoptProfile.ts
    // NOPROF=1, 3 × 6 rounds, medians, alternated, load 8–11): 12.4, 12.0 → 10.6, 11.2 ms. Before
    // it, passing the hash (origin.hash) took the same figure 13.6, 14.5, 14.1 → 11.6, 13.3, 12.3.
    if (!forWorkers(block, this.signatures) || !equalBytes(block.header.prevHash, tip.hash))
      return origin.hash ? { headerHash: origin.hash } : {};
    const headerHash = origin.hash ?? hashHeader(block.header);
    if (this.index.get(toHex(headerHash))) return { headerHash };
    if (!validateHeader(block.header, this.headerContextOn(tip)).ok) return { headerHash };
    const { params } = this.options;
    const early = startSignaturesOnTip(
      block,
      origin.bytes,
      params,
      this.signatures,
      this.alreadyVerified,
      headerHash,
    );
    return { headerHash, early };
  }

  private headerContextOn(parent: BlockEntry) {
    return headerContext(
      this.options.params,
      parent.header,
      parent.hash,
      (h) => this.index.ancestorAt(parent, h).header,
      this.options.now(),
    );
  }
}
