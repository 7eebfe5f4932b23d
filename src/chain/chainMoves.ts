/**
 * The main chain's moves: switching to a heavier branch (disconnecting back to the fork point,
 * connecting the branch), extending the tip by one block while its signatures are checked on other
 * cores, marking invalid blocks, and pruning side branches deep below the tip. Chain (chain.ts)
 * adds blocks and decides when to move; this is the part that moves, split from it by meaning.
 */
import {
  type AccountReader,
  applyBlock,
  type Block,
  type BlockEffects,
  hashTx,
  ok,
  type Result,
  toHex,
} from '../core/index.js';
import type { ConnectBlock } from '../storage/types.js';
import { AccountCache } from './accountCache.js';
import type { BlockEntry } from './blockIndex.js';
import { ChainReads } from './chainReads.js';
import { SideBranches } from './sideBranches.js';
import { SignatureCache } from './signatureCache.js';
import { runSteps, SWITCH_SLICE_MS, slices } from './switchSlices.js';
import type { ChainOptions, KnownBlock } from './types.js';
import { type AlreadyVerified, verifyBlockSignatures } from './verifySignatures.js';

export abstract class ChainMoves extends ChainReads {
  protected readonly sideBranches: SideBranches;
  /** Blocks connected or disconnected so far: tells whether a switch moved the main chain. */
  private moves = 0;
  protected readonly accounts: AccountCache;
  protected readonly signatures: SignatureCache;
  /** Transactions whose signatures are known good (the mempool's): trustVerified. */
  protected alreadyVerified: AlreadyVerified = () => false;

  protected constructor(options: ChainOptions) {
    super(options);
    this.accounts = new AccountCache(options.store);
    this.signatures = new SignatureCache(options.verifier);
    this.sideBranches = new SideBranches(this.index, options.now, options.sideLimits);
  }

  /**
   * Moves the main chain to end at `target`. If a block of target's branch turns out invalid, it
   * and its descendants are marked, and the chain settles on the best valid leaf instead (often
   * the old tip again). Emits one `reorg` and one `tip` for the whole move. NOTE: `tip` comes
   * whenever blocks were connected or disconnected, even when the chain came back to the same
   * tip: listeners (the mempool) saw those blocks go and come, and settle on this event.
   */
  protected async switchTo(target: BlockEntry, known?: KnownBlock): Promise<Result> {
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
   * Disconnects back to the fork point, then connects target's branch, in the store as one
   * StoreSwitch: committed once the whole branch connects, aborted (nothing moved) at its first
   * invalid block, which is marked so. Signatures depend on nothing but the block, so the
   * branch's are checked first, while the chain is untouched. The store's part runs in slices
   * with the event loop's turns between them (switchSlices.ts), and no reader (the API, the
   * mempool, peers) sees the state halfway through: the store answers them as before the switch
   * until it commits, and this chain's tip, main chain, cached accounts and events change only
   * after the commit, in one go, each block with its events as when they moved one by one.
   * NOTE: a block added meanwhile waits in the queue (addBlock), as it did before.
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
    // PERF: nothing has moved yet, so the event loop may run between these on any store: each
    // block is read back and its ids hashed here, and signatures the mempool checked wait for no
    // other thread. A branch of 290 blocks of 1,000 transfers held the loop 18.7 s here (a 20.9 s
    // pause, the switch's longest; bench/lib/deepSwitchPause.ts 864 1000 288 288 289 1, load 13-17).
    const checking = slices(this.options.switchSliceMs ?? SWITCH_SLICE_MS, true);
    for (const [at, entry] of branch.entries()) {
      const signatures = await this.verifySignatures(load(entry));
      if (!signatures.ok) {
        badSignature = { at, failure: signatures };
        break;
      }
      await checking();
    }
    const { store, params } = this.options;
    const deep = this.pastUndo(forkPoint);
    const sw = store.beginSwitch();
    let taken: Uint8Array[] = [];
    try {
      const pause = slices(this.options.switchSliceMs ?? SWITCH_SLICE_MS, sw.isolated);
      if (deep) taken = await runSteps(sw.rewind(forkPoint.header.height, this.replay), pause);
      else
        for (let h = this.tip.header.height; h > forkPoint.header.height; h--) {
          taken.push(sw.disconnectTip());
          await pause();
        }
      for (const [at, entry] of branch.entries()) {
        const k = load(entry);
        // CONSENSUS: a failure of the state transition is reported before a bad signature.
        const effects = applyBlock(sw.state, k.block, params);
        if (!effects.ok || badSignature?.at === at) {
          sw.abort();
          return this.markInvalid(entry, effects.ok ? badSignature!.failure : effects);
        }
        sw.connect(this.connectRecord(k, effects.value));
        await pause();
      }
      sw.commit();
    } catch (error) {
      sw.abort();
      throw error;
    }
    // The accounts' state moved in the store: what this chain cached is of the old branch (also
    // when no block was taken off: a branch of several blocks on the tip, as Chain.open resumes).
    this.accounts.clear();
    // The store moved: so does this chain, block by block with their events, tip first. NOTE: in
    // one go, without the event loop's turns: the mempool moves with these events, and a reader
    // between two (GET /api/tx) would see a transfer of the old branch neither confirmed nor back
    // in the pool (servingDuringSwitch.test found it 404 with turns there).
    for (const hash of taken) {
      const entry = this.tip;
      if (toHex(hash) !== entry.hashHex) throw new Error(`the switch took off ${toHex(hash)}`);
      this.tookOff(entry, this.getBlock(entry));
    }
    for (const entry of branch) this.connected(load(entry));
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
    if (!written) this.options.store.connectBlock(this.connectRecord(known, effects.value));
    this.accounts.applyDiff(effects.value.diff);
    this.connected(known);
    return ok();
  }

  /** A block the store connected on the tip, connected here too. */
  private connected({ entry, block, txIds }: KnownBlock): void {
    this.index.main.push(entry);
    this.sideBranches.onConnected(entry);
    this.moves++;
    this.emit('connected', entry, block, txIds);
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

  /**
   * Whether the switch back to `forkPoint` goes past the store's undo window: then
   * StoreSwitch.rewind takes the main chain back without undo data, rebuilding the state from the
   * chain's blocks (src/storage/undoWindow.ts), else each block goes with its undo data.
   * CONSENSUS: fork choice has no depth limit; this only decides how the state goes back.
   */
  private pastUndo(forkPoint: BlockEntry): boolean {
    const deepest = this.index.main[forkPoint.header.height + 1];
    return deepest !== undefined && this.options.store.hasUndo?.(deepest.hash) === false;
  }

  /** The state transition a rewind replays the main chain's blocks with (ReplayBlock). */
  private readonly replay = (block: Block, state: AccountReader): BlockEffects => {
    const effects = applyBlock(state, block, this.options.params);
    if (!effects.ok)
      throw new Error(
        `main-chain block at ${block.header.height} no longer applies: ${effects.code}`,
      );
    return effects.value;
  };

  /** The tip `entry`, just taken off the main chain in the store, taken off here too. */
  private tookOff(entry: BlockEntry, block: Block): void {
    this.index.main.pop();
    this.sideBranches.onDisconnected(entry);
    this.moves++;
    this.emit('disconnected', entry, block);
  }
}
