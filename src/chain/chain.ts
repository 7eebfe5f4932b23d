/**
 * The chain: a block tree kept in the store, the main chain through the most cumulative work,
 * and reorganisation onto a heavier branch with undo data. Blocks are added one at a time (a
 * queue), each checked cheapest-first: context-free checks and proof of work on arrival, the
 * header against its own branch before it is stored, and the body (balances, nonces,
 * signatures) when it is connected: its signatures on other cores (the verifier's worker threads
 * or libuv's pool) while this thread applies it, or earlier still if a sync asked for them
 * (verifyAhead). A block found invalid while connecting is marked so, with everything built on
 * it, and the node returns to its best valid branch.
 */
import {
  type AccountReader,
  applyBlock,
  type Block,
  type BlockEffects,
  blockSize,
  chainWorkAfter,
  checkBlock,
  equalBytes,
  fail,
  hashHeader,
  hashTx,
  headerContext,
  isBetterTip,
  ok,
  type Result,
  toHex,
  validateHeader,
} from '../core/index.js';
import type { ConnectBlock } from '../storage/types.js';
import { AccountCache } from './accountCache.js';
import type { BlockEntry } from './blockIndex.js';
import { ChainReads } from './chainReads.js';
import { loadBlockTree } from './loadBlockTree.js';
import { SideBranches } from './sideBranches.js';
import { SignatureCache } from './signatureCache.js';
import type { AddBlockOutcome, BlockOrigin, ChainOptions, KnownBlock } from './types.js';
import {
  type AlreadyVerified,
  forWorkers,
  idsOfBytes,
  startSignaturesAhead,
  startSignaturesOnTip,
  verifyBlockSignatures,
} from './verifySignatures.js';

export type { AddBlockOutcome, BlockOrigin, ChainEvents, ChainOptions } from './types.js';

export class Chain extends ChainReads {
  private readonly sideBranches: SideBranches;
  private queue: Promise<unknown> = Promise.resolve();
  private seen = 0;
  /** Blocks connected or disconnected so far: tells whether a switch moved the main chain. */
  private moves = 0;
  private readonly accounts: AccountCache;
  private readonly signatures: SignatureCache;
  /** Transactions whose signatures are known good (the mempool's): trustVerified. */
  private alreadyVerified: AlreadyVerified = () => false;

  private constructor(options: ChainOptions) {
    super(options);
    this.accounts = new AccountCache(options.store);
    this.signatures = new SignatureCache(options.verifier);
    this.sideBranches = new SideBranches(this.index, options.now, options.sideLimits);
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

  /**
   * Moves the main chain to end at `target`. If a block of target's branch turns out invalid, it
   * and its descendants are marked, and the chain settles on the best valid leaf instead (often
   * the old tip again). Emits one `reorg` and one `tip` for the whole move. NOTE: `tip` comes
   * whenever blocks were connected or disconnected, even when the chain came back to the same
   * tip: listeners (the mempool) saw those blocks go and come, and settle on this event.
   */
  private async switchTo(target: BlockEntry, known?: KnownBlock): Promise<Result> {
    const oldTip = this.tip;
    const moves = this.moves;
    const first = await this.moveTo(target, known);
    let result = first;
    while (!result.ok) {
      const best = this.index.bestLeaf();
      if (best === this.tip) break;
      result = await this.moveTo(best);
    }
    if (this.moves !== moves) {
      const forkPoint = this.index.forkPoint(oldTip, this.tip);
      if (forkPoint !== oldTip) {
        const depth = oldTip.header.height - forkPoint.header.height;
        this.emit('reorg', { depth, oldTip, newTip: this.tip, forkPoint });
      }
      this.emit('tip', this.tip);
      this.prune();
    }
    return first;
  }

  /**
   * Disconnects back to the fork point, then connects target's branch up to its first invalid
   * block. Signatures depend on nothing but the block, so the branch's are checked first, while
   * the chain is untouched; the switch itself then runs without a pause, and no reader (the API,
   * the mempool) ever sees the state halfway through a reorganisation.
   */
  private async moveTo(target: BlockEntry, known?: KnownBlock): Promise<Result> {
    const forkPoint = this.index.forkPoint(this.tip, target);
    const branch: BlockEntry[] = [];
    for (let e: BlockEntry | undefined = target; e && e !== forkPoint; e = e.parent) branch.push(e);
    branch.reverse();
    // PERF: the block just added (usually the whole branch) is not read back nor hashed again.
    const load = (entry: BlockEntry): KnownBlock => {
      if (known?.entry === entry) return known;
      const block = this.getBlock(entry);
      return { entry, block, txIds: block.txs.map(hashTx) };
    };
    if (forkPoint === this.tip && branch.length === 1) return this.extendTip(load(branch[0]!));
    let badSignature: { at: number; failure: Result } | undefined;
    for (const [at, entry] of branch.entries()) {
      const signatures = await this.verifySignatures(load(entry));
      if (!signatures.ok) {
        badSignature = { at, failure: signatures };
        break;
      }
    }
    while (this.tip !== forkPoint) this.disconnectTip();
    for (const [at, entry] of branch.entries()) {
      const connected = this.connect(
        load(entry),
        badSignature?.at === at ? badSignature.failure : ok(),
      );
      if (!connected.ok) return this.markInvalid(entry, connected);
    }
    return ok();
  }

  /**
   * The usual move: one block on the tip. PERF: it is applied (account reads, the state
   * transition) and written to the store (tentatively: ChainStore.connectTentatively) while its
   * signatures are checked on other cores, and the state cannot change in between: only this
   * queue changes it. A bad signature drops the write: the block leaves no trace.
   * Measured (bench/connect.ts, full blocks of 6,368 transfers): the SQLite write, ≈ 240 ms a
   * block, came after the ≈ 730 ms of signatures (quiet, d8b45fb); now it is done while they are
   * checked. With the signatures started before checkBlock too (startOnTip), a block's time
   * outside its signature check fell from 600–860 ms to 370–460 ms at load 9 (the same run,
   * before/after one after the other), and the whole process's CPU per block stayed ≈ 2.0 s:
   * the gain is cores that idled, so it shows on a quiet machine, not a loaded one.
   * PERF: so what counts is the CPU a transfer takes. Counted by part (bench/connect.ts prints this
   * thread's and the verify threads', node --cpu-prof of both, load 6–13): the verify threads
   * spend ≈ 94 % of theirs in OpenSSL's verify (the rest: hashing the ids they report, key lookup,
   * messages); this thread ≈ 44 % in SQLite's writes (5 B-tree rows a transfer at ≈ 5 µs each,
   * near a bare row's floor of ≈ 2 µs for these random 32-byte keys: UPSERT, UPDATE, sorted
   * inserts measured no better), ≈ 25 % in applyBlock's reads and diffs, ≈ 15 % hashing and
   * checkBlock. A query for each new recipient (accountFilter.ts), an encoding per transfer for
   * its id and a second of the block (idsOfEncoded) are gone: this thread's CPU a transfer went
   * 102–108 → 80–95 µs (4 runs each, alternating, load 6–14).
   * PERF: with applyBlock reading each account once, a block's index rows written in two
   * statements (storage/indexRows.ts) and checkBlock taking the ids' hex: 47.6, 48.4 → 39.7,
   * 37.5 µs (two chains in one process, old and new code, fed the same 10 full blocks
   * alternately, load 11–12). What is left (node --cpu-prof of the same): the SQLite write 52 %
   * (the accounts' rows 25, the index rows 21), applyBlock 16 %, the start on the tip 16 %
   * (hashing the ids, their merkle root, encoding a block handed in without its bytes),
   * checkBlock 12 %, the commit 7 %.
   */
  private async extendTip(known: KnownBlock): Promise<Result> {
    const { store, params } = this.options;
    const signatures = this.verifySignatures(known);
    const effects = applyBlock(this.accounts, known.block, params);
    if (!effects.ok) return this.markInvalid(known.entry, effects);
    const written = store.connectTentatively?.(this.connectRecord(known, effects.value));
    const checked = await signatures.catch((error: unknown) => {
      written?.drop();
      throw error;
    });
    // CONSENSUS: nothing of a block is kept before every signature of it is found good.
    if (!checked.ok) written?.drop();
    const connected = this.connect(known, checked, effects, written?.keep() === true);
    return connected.ok ? connected : this.markInvalid(known.entry, connected);
  }

  private connectRecord({ entry, block, txIds }: KnownBlock, effects: BlockEffects): ConnectBlock {
    return { hash: entry.hash, block, txIds, diff: effects.diff, undo: effects.undo };
  }

  private verifySignatures({ entry, block, txIds, txIdsHex }: KnownBlock): Promise<Result> {
    const { hashHex } = entry;
    const { signatures, alreadyVerified } = this;
    const idsHex = txIdsHex ?? txIds.map(toHex);
    return verifyBlockSignatures(block, hashHex, idsHex, signatures, alreadyVerified);
  }

  /** Marks a block that failed to connect invalid, with its descendants; returns the failure. */
  private markInvalid(entry: BlockEntry, failure: Result): Result {
    for (const bad of this.index.markInvalid(entry)) this.options.store.markInvalid(bad.hash);
    if (!failure.ok) this.emit('invalid', entry, failure.code);
    return failure;
  }

  /**
   * Applies (unless `effects` are given, computed on the tip) and stores (unless `written`
   * already) one block whose signatures were already checked (`signatures`). CONSENSUS: a failure of the state transition
   * is reported before a bad signature, as when both were checked one after the other.
   */
  private connect(
    known: KnownBlock,
    signatures: Result,
    effects: Result<BlockEffects> = applyBlock(this.accounts, known.block, this.options.params),
    written = false,
  ): Result {
    if (!effects.ok) return effects;
    if (!signatures.ok) return signatures;
    const { entry, block, txIds } = known;
    if (!written) this.options.store.connectBlock(this.connectRecord(known, effects.value));
    this.accounts.applyDiff(effects.value.diff);
    this.index.main.push(entry);
    this.sideBranches.onConnected(entry);
    this.moves++;
    this.emit('connected', entry, block, txIds);
    return ok();
  }

  /** Deletes side branches that lie wholly deep below the tip (sideBranches.ts). */
  private prune(): void {
    const pruned = this.sideBranches.takePrunable();
    if (pruned.length === 0) return;
    // Children first: the index never holds a block whose parent it has lost.
    pruned.sort((a, b) => b.header.height - a.header.height);
    this.options.store.deleteBlocks(pruned.map((e) => e.hash));
    this.index.remove(pruned);
  }

  private disconnectTip(): void {
    const entry = this.tip;
    const { block } = this.options.store.disconnectTip();
    this.accounts.clear();
    this.index.main.pop();
    this.sideBranches.onDisconnected(entry);
    this.moves++;
    this.emit('disconnected', entry, block);
  }
}
