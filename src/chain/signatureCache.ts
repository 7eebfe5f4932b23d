/**
 * Signature checks by transaction id, so that a block's can be started before the block is
 * connected (a sync checks the next blocks' on every core while this thread connects the current
 * one) and the connect finds them done or under way. As Bitcoin Core's signature cache, keyed by
 * what was checked. SECURITY: a transaction id is SHA-256d of all the transaction's bytes,
 * signature included, so an entry answers for those exact bytes and nothing else: callers put in
 * the id of the very transaction they check (or the verifier's workers report the ids of what they
 * checked), and a connect looks up the ids it hashed itself from the block it connects.
 *
 * Bounded: the oldest entries go first. An entry is dropped when it is used (`take`); one dropped
 * early only means that signature is checked again.
 */
import { type Block, RecentMap, type Transfer, txSigningBytes } from '../core/index.js';
import type { NodeVerifier } from '../crypto/nodeEd25519.js';
import type { BlockJob } from '../crypto/signatureWorkers.js';
import type { EarlyStart } from './verifySignatures.js';

/** A whole block's checks under way on the workers, by block hash; bounded too. */
const MAX_BLOCK_JOBS = 32;

export class SignatureCache {
  /**
   * `true`: verified by a worker; a promise: a check of the thread pool, or its answer.
   * PERF: a RecentMap, not a Map whose first key is deleted on each insert past the bound: that
   * walks every hole the taken entries left (recentMap.ts), ≈ 12 µs an insert once full.
   */
  private readonly checks: RecentMap<string, true | Promise<boolean>>;
  /** A RecentMap too: settled() leaves holes as take() does. */
  private readonly blocks = new RecentMap<string, Promise<void>>(MAX_BLOCK_JOBS);
  /**
   * What a check started ahead hashed of its block (keepAhead), by the very block object: kept
   * no longer than the block is (a sync that gives up on a block lets both go).
   */
  private readonly ahead = new WeakMap<Block, EarlyStart>();

  constructor(
    private readonly verifier: NodeVerifier,
    /** About ten full blocks of 6,368 transfers. */
    maxEntries = 65_536,
  ) {
    this.checks = new RecentMap(maxEntries);
  }

  get size(): number {
    return this.checks.size;
  }

  /** Whether whole blocks can be checked on worker threads. */
  get hasWorkers(): boolean {
    return this.verifier.verifyBlock !== undefined;
  }

  /** Whether the workers can check a block's transfers at given offsets (startBlockAt). */
  get checksAt(): boolean {
    return this.verifier.verifyAt !== undefined;
  }

  has(idHex: string): boolean {
    return this.checks.has(idHex);
  }

  /** Starts checking `tx`, whose id is `idHex`, on the thread pool, unless that is done or under way. */
  start(idHex: string, tx: Transfer): void {
    if (this.checks.has(idHex)) return;
    const check = this.verifier.verifyAsync(tx.from, txSigningBytes(tx), tx.signature);
    // NOTE: only a good answer is worth keeping; a bad one is left to be checked again by whoever
    // asks next (an error of the moment must not condemn a transaction for good).
    const forgetIfBad = (valid: boolean) => {
      if (!valid && this.checks.get(idHex) === check) this.checks.delete(idHex);
    };
    check.then(forgetIfBad, () => forgetIfBad(false));
    this.set(idHex, check);
  }

  /**
   * Starts checking the transfers of the block `bytes` (hash `hashHex`) on the workers:
   * by default every one, on one worker, once its merkle root is found to be the header's;
   * `settled(hashHex)` waits for it. Nothing if a check of that block is under way already.
   */
  startBlock(hashHex: string, bytes: Uint8Array, blockJob: BlockJob = { checkRoot: true }): void {
    if (!this.verifier.verifyBlock || this.blocks.has(hashHex)) return;
    // A failed job only leaves its transfers to be checked when the block connects.
    const job = this.verifier.verifyBlock(bytes, blockJob).then(
      (valid) => this.remember(valid),
      () => undefined,
    );
    this.blocks.set(hashHex, job);
  }

  /**
   * Starts checking, on the workers, the transfers of the block `bytes` (hash `hashHex`) that
   * start at `offsets`, whose ids (hex) are `idsHex`, one for each offset; `settled(hashHex)`
   * waits for it. Nothing if a check of that block is under way already. SECURITY: the caller
   * hashed each id from the 157 bytes at its offset of these very bytes (a transfer's whole
   * encoding): the workers' verdict for those bytes is remembered under that id, so it answers
   * for that exact transaction and nothing else, as any entry here.
   */
  startBlockAt(
    hashHex: string,
    bytes: Uint8Array,
    offsets: readonly number[],
    idsHex: readonly string[],
  ): void {
    const { verifyAt } = this.verifier;
    if (!verifyAt || this.blocks.has(hashHex)) return;
    const job = verifyAt(bytes, offsets).then(
      (verdicts) => {
        if (!verdicts) return; // unchecked: take() checks them on the thread pool
        for (const [k, idHex] of idsHex.entries()) if (verdicts[k] === 1) this.set(idHex, true);
      },
      () => undefined,
    );
    this.blocks.set(hashHex, job);
  }

  /**
   * Checks the transfers at `indexes` of the block `bytes` on every worker, now. What they do not
   * answer for (they failed), take() checks on the thread pool.
   */
  async checkBlock(bytes: Uint8Array, indexes: readonly number[]): Promise<void> {
    if (!this.verifier.verifyBlock) return;
    try {
      this.remember(await this.verifier.verifyBlock(bytes, { indexes, spread: true }));
    } catch {
      // as above
    }
  }

  /**
   * Keeps what a check started ahead (Chain.verifyAhead) hashed of `block` from its bytes: its
   * ids, their hex and merkle root, for the block's connect (takeAhead).
   */
  keepAhead(block: Block, start: EarlyStart): void {
    this.ahead.set(block, start);
  }

  /**
   * What keepAhead kept of `block`, once, if it was hashed from these very `bytes` (the same
   * array: SECURITY: the ids are those of the bytes as they were hashed, and a sync hands the
   * chain the bytes it decoded the block from, and changes neither); else undefined.
   */
  takeAhead(block: Block, bytes: Uint8Array | undefined): EarlyStart | undefined {
    const start = this.ahead.get(block);
    this.ahead.delete(block);
    return start && bytes !== undefined && start.bytes === bytes ? start : undefined;
  }

  /** Whether a check of block `hashHex` started by startBlock is waiting to be settled. */
  hasBlock(hashHex: string): boolean {
    return this.blocks.has(hashHex);
  }

  /** The check of block `hashHex` started by startBlock, if there is one, to wait for. */
  settled(hashHex: string): Promise<void> | undefined {
    const job = this.blocks.get(hashHex);
    this.blocks.delete(hashHex);
    return job;
  }

  /**
   * Whether `tx` (id `idHex`) is validly signed: `true` if a worker found so, else the answer of
   * the thread pool's check, started earlier or now. The entry is dropped: a connected block's
   * transactions are not asked again.
   */
  take(idHex: string, tx: Transfer): true | Promise<boolean> {
    const known = this.checks.get(idHex);
    if (known === undefined) {
      return this.verifier.verifyAsync(tx.from, txSigningBytes(tx), tx.signature);
    }
    this.checks.delete(idHex);
    return known;
  }

  private remember(validIds: readonly string[]): void {
    for (const idHex of validIds) this.set(idHex, true);
  }

  private set(idHex: string, check: true | Promise<boolean>): void {
    this.checks.set(idHex, check);
  }
}
