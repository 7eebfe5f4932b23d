/**
 * Transactions waiting for a block. Admission checks each transfer against the tip's state
 * plus the sender's own pending transfers: nonces must follow on without gaps, and the sender's
 * spendable balance must cover everything it has pending (incoming pending payments are not
 * counted: money is spendable once confirmed). A pending transfer can be replaced by one with
 * the same nonce and a higher fee. Limits on count and bytes evict the cheapest last-in-line
 * transfer; old entries expire. Blocks remove what they confirm or invalidate; a reorg puts the
 * disconnected blocks' transfers back. What leaves unconfirmed is remembered in `dropped`.
 */
import { EventEmitter } from 'node:events';
import type { Chain } from '../chain/chain.js';
import {
  admitTransfer,
  type Block,
  checkTx,
  encodeTx,
  type Failure,
  fail,
  hashTx,
  type NetworkParams,
  ok,
  ownTx,
  type Result,
  type Selection,
  selectTransactions,
  sha256d,
  TRANSFER_SIZE,
  type Transfer,
  type Tx,
  toHex,
} from '../core/index.js';
import type { NodeVerifier } from '../crypto/nodeEd25519.js';
import { admissible, type PoolState, refusedAtOnce } from './admission.js';
import { type DroppedTx, DroppedTxs, type DropReason, describeDrop } from './droppedTxs.js';
import type { MempoolEntry, MempoolEvents, MempoolOptions, Offered } from './poolTypes.js';
import { ReorgReturns } from './reorgReturns.js';
import { SenderQueues } from './senderQueues.js';
import { SignatureBatch } from './signatureBatch.js';

export type { MempoolEntry, MempoolEvents, MempoolOptions } from './poolTypes.js';

export class Mempool extends EventEmitter<MempoolEvents> {
  private readonly byId = new Map<string, MempoolEntry>();
  private readonly senders = new SenderQueues<MempoolEntry>(
    (e) => e.tx.nonce,
    (e) => e.tx.amount + e.tx.fee,
  );
  private readonly maxCount: number;
  private readonly maxAgeMs: number;
  private readonly params: NetworkParams;
  /** What blocks a reorg took off the main chain touched and returned, until it settles. */
  private readonly reorg = new ReorgReturns();
  /** Admission decisions, one at a time in arrival order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Transfers that left without a block confirming them, and why (for GET /api/tx/:id). */
  readonly dropped = new DroppedTxs();
  /** Signature checks, gathered per turn of the event loop for the worker threads. */
  private readonly signatures: SignatureBatch;
  /** Resolves once what was admitted is on disk (the node's journal); at once without one. */
  private durable: () => Promise<void> = () => Promise.resolve();
  /** What the admission rules read (admission.ts). */
  private readonly state: PoolState;

  constructor(
    private readonly chain: Chain,
    verifier: NodeVerifier,
    private readonly options: MempoolOptions,
  ) {
    super();
    this.params = chain.params;
    this.maxCount = options.maxCount ?? 50_000;
    this.maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60 * 1000;
    this.signatures = new SignatureBatch(verifier);
    this.state = { byId: this.byId, senders: this.senders, chain, maxCount: this.maxCount };
    this.on('removed', (entry, reason) => {
      if (reason !== 'CONFIRMED') this.recordDrop(entry.tx, entry.idHex, reason);
    });
    this.on('added', (entry) => this.dropped.forget(entry.idHex));
  }

  get size(): number {
    return this.byId.size;
  }

  get bytes(): number {
    return this.byId.size * TRANSFER_SIZE;
  }

  has(idHex: string): boolean {
    return this.byId.has(idHex);
  }

  get(idHex: string): MempoolEntry | undefined {
    return this.byId.get(idHex);
  }

  entries(): MempoolEntry[] {
    return [...this.byId.values()];
  }

  /** The sender's pending transfers in nonce order. */
  pendingOf(senderHex: string): readonly MempoolEntry[] {
    return this.senders.get(senderHex);
  }

  /** The nonce a new transfer of this sender should carry. */
  nextNonce(senderHex: string): bigint {
    const account = this.chain.state.getAccount(senderHex);
    return (account?.nonce ?? 0n) + BigInt(this.senders.get(senderHex).length);
  }

  /** What the next block should contain. */
  selectForBlock(maxCount?: number): Selection {
    const pending = this.entries().map((e) => e.tx);
    return selectTransactions(
      pending,
      this.chain.state,
      this.params,
      this.chain.tip.header.height + 1,
      maxCount,
    );
  }

  /**
   * Admits a transaction: cheap checks, then its signature, then the checks again and insertion.
   * Signatures of concurrent submissions are verified in parallel (every core), but decisions are
   * taken one at a time in arrival order: a sender's nonces n and n + 1 sent together both enter.
   *
   * `bytes`: the transfer's canonical encoding if the caller has it (the bytes it decoded it
   * from). PERF: a transfer was encoded four times on its way in (its id, the signed bytes, the
   * journal, the announcement to peers); now its bytes are hashed for the id and kept in the
   * entry for the journal and the announcement: 12–20 µs → 7–10 µs a transfer for those three
   * (200,000 in a loop, load 8.5), of the 325 µs the main thread spends on one POST /api/tx.
   *
   * `idHex`: SHA-256d of `bytes` in hex, if the caller hashed them already (a JSON view's `id`,
   * checked as it was read); taken only with `bytes`. PERF: a JSON view with its id was hashed
   * twice on its way in; the second hash and hex cost 2.7–3.7 µs a transfer (20,000 in a loop,
   * tsx, load 7), of the 30–40 µs the main thread spends on a transfer of a JSON batch.
   */
  async add(tx: Tx, bytes?: Uint8Array, idHex?: string): Promise<Result<MempoolEntry>> {
    const [result] = await this.admit([tx], [bytes], [idHex]);
    return result!;
  }

  /**
   * Admits many transactions: their signatures are checked at once on all cores, and they are
   * decided in the given order, so a sender's nonces 0, 1, 2 in one batch all get in.
   * `addedAtMs`: when each was first admitted, if before now (the journal's, at a restart), so
   * that a restart does not make old transfers young again (they expire after maxAgeMs).
   */
  addBatch(
    txs: readonly Tx[],
    bytes: readonly (Uint8Array | undefined)[] = [],
    ids: readonly (string | undefined)[] = [],
    addedAtMs: readonly (number | undefined)[] = [],
  ): Promise<Result<MempoolEntry>[]> {
    return this.admit(txs, bytes, ids, addedAtMs);
  }

  /**
   * add() and addBatch(): each transfer as add() says, the batch together. PERF: one signature
   * job, one turn in the decision queue and one wait for the journal for the whole batch, where
   * each transfer made its own (≈ 8 promises and their callbacks a transfer).
   */
  private async admit(
    txs: readonly Tx[],
    bytes: readonly (Uint8Array | undefined)[],
    ids: readonly (string | undefined)[],
    addedAtMs: readonly (number | undefined)[] = [],
  ): Promise<Result<MempoolEntry>[]> {
    const results: Result<MempoolEntry>[] = new Array(txs.length);
    const offered: Offered[] = [];
    txs.forEach((tx, at) => {
      const early = this.offer(tx, bytes[at], at, ids[at]);
      if ('ok' in early) results[at] = early;
      else offered.push(early);
    });
    if (offered.length > 0) {
      const verdicts = this.signatures.checkAll(offered);
      const decision = this.queue.then(async () => {
        const valid = await verdicts;
        offered.forEach((o, k) => {
          const decided = this.decide(o, valid[k]!, addedAtMs[o.at]);
          if (!decided.ok && decided.code !== 'TX_ALREADY_KNOWN')
            this.emit('refused', o.idHex, decided.code, decided.detail);
          results[o.at] = decided;
        });
      });
      this.queue = decision.catch(() => undefined);
      await decision;
    }
    // Outside the queue: decisions go on while the journal commits, and one commit answers all.
    // An answer that says pending waits too, "already pending" included: another request may
    // have admitted the transfer this very turn, before its commit (a client's retry of a batch
    // in flight was answered so; killed then, the node lost what it had called pending).
    if (results.some(saysPending)) await this.durable();
    return results;
  }

  /**
   * The cheap checks before the signature's: the transfer to check, or why it is refused now.
   * SECURITY: replays cost no signature check. Other refusals could be cured by a submission
   * still in flight (its predecessor), so they are decided in turn.
   */
  private offer(
    tx: Tx,
    bytes: Uint8Array | undefined,
    at: number,
    knownId: string | undefined,
  ): Offered | Failure {
    const checked = checkTx(tx, this.params);
    if (!checked.ok) return checked;
    const transfer = tx as Transfer;
    const encoded = bytes ?? encodeTx(transfer);
    // An id comes only with the bytes it is the hash of (a JSON view's id, checked as it was read).
    const idHex = (bytes && knownId) ?? toHex(sha256d(encoded));
    const senderHex = toHex(transfer.from);
    const early = refusedAtOnce(this.state, transfer, idHex, senderHex);
    if (early && (early.code === 'TX_ALREADY_KNOWN' || early.code === 'TX_NONCE_TOO_LOW')) {
      if (early.code === 'TX_NONCE_TOO_LOW') this.emit('refused', idHex, early.code, early.detail);
      return early;
    }
    return { tx: transfer, bytes: encoded, idHex, senderHex, at };
  }

  /**
   * Makes add() resolve only once `durable()` has: an admission the caller reports (201) must
   * survive a crash (src/mempool/mempoolJournal.ts).
   */
  waitUntilDurable(durable: () => Promise<void>): void {
    this.durable = durable;
  }

  /** An offered transfer, once its signature is checked: admitted now, or why not. */
  private decide(o: Offered, valid: boolean, addedAtMs?: number): Result<MempoolEntry> {
    if (!valid) {
      return fail(
        'TX_BAD_SIGNATURE',
        "the signature does not match the transaction and the sender's key",
      );
    }
    // The state may have moved while the signature was checked: decide now, then insert at once.
    const decided = admissible(this.state, o.tx, o.idHex, o.senderHex);
    if (!decided.ok) return decided;
    const replaced = decided.value;
    return ok(this.insert(o.tx, o.bytes, o.idHex, o.senderHex, replaced, undefined, addedAtMs));
  }

  /**
   * Inserts an admitted transfer; `kept` is an entry put back as it was (no `added` event), and
   * `addedAtMs` when it was first admitted (default: now).
   */
  private insert(
    tx: Transfer,
    bytes: Uint8Array,
    idHex: string,
    senderHex: string,
    replaced: MempoolEntry | undefined,
    kept?: MempoolEntry,
    addedAtMs = this.options.now(),
  ): MempoolEntry {
    // ownTx: a transfer a reorg returned may be views into its block's bytes (decodeBlock's views).
    const entry: MempoolEntry = kept ?? { tx: ownTx(tx), bytes, idHex, senderHex, addedAtMs };
    if (replaced) {
      this.senders.replace(entry.senderHex, replaced, entry);
      this.byId.delete(replaced.idHex);
      this.emit('removed', replaced, 'REPLACED');
    } else {
      if (this.byId.size >= this.maxCount) {
        const cheapest = this.senders.cheapestTail((e) => e.tx.fee, entry.senderHex);
        if (cheapest) this.removeFrom(cheapest, 'EVICTED');
      }
      this.senders.push(entry.senderHex, entry);
    }
    this.byId.set(idHex, entry);
    if (!kept) this.emit('added', entry);
    return entry;
  }

  /** Whether the mempool verified this transaction's signature (the chain skips it then). */
  isVerified = (idHex: string): boolean => this.byId.has(idHex);

  /**
   * PERF: uses the ids the chain already computed (`txIds[i]` is block.txs[i]'s), and looks at a
   * sender only when it has transfers pending: re-hashing every transfer and reading every
   * sender's account was 8% of a syncing node's main thread, where the pool is empty (bench p2p
   * (b): sync 56% → 58% of the verify rate with this alone).
   */
  onConnected(block: Block, txIds: readonly Uint8Array[]): void {
    if (this.byId.size === 0) return;
    const touched = new Set<string>();
    block.txs.forEach((tx, i) => {
      if (tx.type !== 'transfer') return;
      const senderHex = toHex(tx.from);
      if (this.senders.get(senderHex).length === 0) return;
      touched.add(senderHex);
      const entry = this.byId.get(toHex(txIds[i] ?? hashTx(tx)));
      if (entry) this.removeOne(entry, 'CONFIRMED');
    });
    for (const senderHex of touched) {
      // Mid-reorg, an account an undone block touched is settled once, at the tip: its queue may
      // now start above its nonce, and checking it here would drop transfers that come back.
      if (!this.reorg.isUnsettled(senderHex)) this.revalidateSender(senderHex);
    }
  }

  /** A block taken off the main chain: its transfers come back, its accounts are checked again. */
  onDisconnected(block: Block): void {
    this.reorg.note(block);
  }

  /** The chain settled on a tip (after a reorg's blocks went and came): re-checks what they touched. */
  onTip(): void {
    for (const [key, returned] of this.reorg.take()) this.resettleSender(key, returned);
    this.expire();
  }

  /** Drops transfers pending longer than maxAgeMs (with their sender's later ones). Runs at each tip, and on a timer the node sets. */
  expire(): void {
    const cutoff = this.options.now() - this.maxAgeMs;
    for (const entry of this.entries()) {
      if (entry.addedAtMs < cutoff && this.byId.has(entry.idHex)) this.removeFrom(entry, 'EXPIRED');
    }
  }

  /**
   * Admits a sender's pending transfers again, with those a reorg returned, in nonce order against
   * the settled tip: an undone block can lower the sender's nonce (what comes back goes before
   * what is pending) or its balance (what is pending may no longer be paid for). What the new
   * branch confirmed or contradicts fails with a used nonce and stays out.
   */
  private resettleSender(senderHex: string, returned: readonly Transfer[]): void {
    const pending = [...this.senders.get(senderHex)];
    const candidates = new Map<string, { tx: Transfer; bytes: Uint8Array; kept?: MempoolEntry }>();
    for (const entry of pending) {
      this.senders.remove(senderHex, entry);
      this.byId.delete(entry.idHex);
      candidates.set(entry.idHex, { tx: entry.tx, bytes: entry.bytes, kept: entry });
    }
    for (const tx of returned) {
      const bytes = encodeTx(tx);
      const idHex = toHex(sha256d(bytes));
      if (!candidates.has(idHex)) candidates.set(idHex, { tx, bytes });
    }
    const ordered = [...candidates].sort(([, a], [, b]) => byNonceThenFee(a.tx, b.tx));
    for (const [idHex, { tx, bytes, kept }] of ordered) {
      const decided = admissible(this.state, tx, idHex, senderHex);
      if (decided.ok) this.insert(tx, bytes, idHex, senderHex, decided.value, kept);
      else if (kept) this.emit('removed', kept, decided.code);
      // Confirmed on the old branch, not on the new one, and now refused: dropped by the reorg.
      else if (!this.chain.getTxLocation(hashTx(tx)))
        this.recordDrop(tx, idHex, decided.code, decided.detail);
    }
  }

  private recordDrop(tx: Transfer, idHex: string, reason: DropReason, detail?: string): void {
    // On REPLACED the replacement already holds the nonce in the sender's queue.
    const replacedBy =
      reason === 'REPLACED' ? this.senders.withNonce(toHex(tx.from), tx.nonce)?.idHex : undefined;
    const record: DroppedTx = {
      tx: ownTx(tx),
      idHex,
      droppedAtMs: this.options.now(),
      ...describeDrop(reason, { replacedBy, maxAgeMs: this.maxAgeMs, detail }),
    };
    this.dropped.record(record);
    this.emit('dropped', record);
  }

  /** Drops the sender's transfers the tip made invalid: used nonces, and what it can no longer pay. */
  private revalidateSender(senderHex: string): void {
    const height = this.chain.tip.header.height + 1;
    let kept = { count: 0, cost: 0n };
    for (const entry of [...this.senders.get(senderHex)]) {
      const admitted = admitTransfer(this.chain.state, entry.tx, height, kept);
      if (admitted.ok) {
        kept = { count: kept.count + 1, cost: kept.cost + entry.tx.amount + entry.tx.fee };
      } else if (admitted.code === 'TX_NONCE_TOO_LOW') {
        this.removeOne(entry, admitted.code);
      } else {
        // Its successors now follow a gap.
        this.removeFrom(entry, admitted.code);
        return;
      }
    }
  }

  private removeOne(entry: MempoolEntry, reason: MempoolEvents['removed'][1]): void {
    this.senders.remove(entry.senderHex, entry);
    this.byId.delete(entry.idHex);
    this.emit('removed', entry, reason);
  }

  /** Removes an entry and every later transfer of the same sender, which now has a gap. */
  private removeFrom(entry: MempoolEntry, reason: MempoolEvents['removed'][1]): void {
    for (const later of this.senders.tailFrom(entry.senderHex, entry)) {
      this.removeOne(later, later === entry ? reason : 'TX_NONCE_TOO_HIGH');
    }
  }
}

/** Whether an answer tells the client the transfer is pending: admitted now, or already. */
const saysPending = (result: Result<unknown>): boolean =>
  result.ok || result.code === 'TX_ALREADY_KNOWN';

/** Nonce order; on a shared nonce the higher fee first, so the other is a refused replacement. */
function byNonceThenFee(a: Transfer, b: Transfer): number {
  if (a.nonce !== b.nonce) return a.nonce < b.nonce ? -1 : 1;
  return a.fee === b.fee ? 0 : a.fee > b.fee ? -1 : 1;
}
