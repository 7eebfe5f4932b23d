/**
 * The transfers the mempool holds (mempool.ts): by id and by sender in nonce order, inserted,
 * replaced, evicted past the count limit and removed with the sender's later ones, each leaving
 * with an event; what leaves unconfirmed is remembered in `dropped`.
 */
import { EventEmitter } from 'node:events';
import type { Chain } from '../chain/chain.js';
import { ownTx, TRANSFER_SIZE, type Transfer, toHex } from '../core/index.js';
import { type DroppedTx, DroppedTxs, type DropReason, describeDrop } from './droppedTxs.js';
import type { MempoolEntry, MempoolEvents, MempoolOptions } from './poolTypes.js';
import { SenderQueues } from './senderQueues.js';

export class HeldTransfers extends EventEmitter<MempoolEvents> {
  protected readonly byId = new Map<string, MempoolEntry>();
  protected readonly senders = new SenderQueues<MempoolEntry>(
    (e) => e.tx.nonce,
    (e) => e.tx.amount + e.tx.fee,
  );
  protected readonly maxCount: number;
  protected readonly maxAgeMs: number;
  /** Transfers that left without a block confirming them, and why (for GET /api/tx/:id). */
  readonly dropped = new DroppedTxs();

  constructor(
    protected readonly chain: Chain,
    protected readonly options: MempoolOptions,
  ) {
    super();
    this.maxCount = options.maxCount ?? 50_000;
    this.maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60 * 1000;
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

  /**
   * Inserts an admitted transfer; `kept` is an entry put back as it was (no `added` event), and
   * `addedAtMs` when it was first admitted (default: now).
   */
  protected insert(
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

  protected recordDrop(tx: Transfer, idHex: string, reason: DropReason, detail?: string): void {
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

  protected removeOne(entry: MempoolEntry, reason: MempoolEvents['removed'][1]): void {
    this.senders.remove(entry.senderHex, entry);
    this.byId.delete(entry.idHex);
    this.emit('removed', entry, reason);
  }

  /** Removes an entry and every later transfer of the same sender, which now has a gap. */
  protected removeFrom(entry: MempoolEntry, reason: MempoolEvents['removed'][1]): void {
    for (const later of this.senders.tailFrom(entry.senderHex, entry)) {
      this.removeOne(later, later === entry ? reason : 'TX_NONCE_TOO_HIGH');
    }
  }
}
