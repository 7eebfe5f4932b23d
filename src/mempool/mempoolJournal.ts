/**
 * Acknowledged means durable: every transfer the mempool admits is written to the store's
 * `mempool` table (the same SQLite file as the chain, WAL with synchronous = FULL, so a commit is
 * on disk when it returns) before the node answers 201, and deleted once it leaves the mempool.
 * At start the node admits the journaled transfers again (restore()).
 *
 * PERF: group commit. Admissions and removals are queued and written in one transaction on the
 * next turn of the event loop, and every caller waiting on durable() is answered by that one
 * fsync; a batch of 1,000 transfers costs one commit, not 1,000. bench intake (d) measures the
 * cost against the same intake without the journal.
 */
import { decodeTx, fromHex, type Transfer, type Tx, toHex } from '../core/index.js';
import type { ChainStore, JournaledTx } from '../storage/types.js';
import { describeDrop } from './droppedTxs.js';
import type { Mempool, MempoolEntry } from './mempool.js';

export class MempoolJournal {
  private added = new Map<string, JournaledTx>();
  private removed = new Set<string>();
  private pending: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<
      ChainStore,
      'journalTxs' | 'loadJournal' | 'getTxLocation' | 'switchEnded'
    >,
    private readonly mempool: Mempool,
    private readonly now: () => number,
    /**
     * 'group' (the node's): one commit per turn of the event loop. 'each': one commit per
     * admission, the fsync-before-answering alternative, kept so bench intake can measure it.
     */
    private readonly commit: 'group' | 'each' = 'group',
  ) {}

  /** Resolves once everything the mempool admitted or let go so far is on disk. */
  durable(): Promise<void> {
    return this.pending ?? Promise.resolve();
  }

  /** Writes what is queued now (the node closing, a test). */
  flush(): void {
    if (this.added.size === 0 && this.removed.size === 0) return;
    const added = [...this.added.values()];
    const removed = [...this.removed].map(fromHex);
    this.added = new Map();
    this.removed = new Set();
    this.store.journalTxs(added, removed);
  }

  /**
   * Admits the journaled transfers again, in nonce order, against the chain as it is now, each
   * as old as it was (when it was first admitted: it still expires maxAgeMs after that, however
   * often the node restarts). One a block confirmed meanwhile is left to the chain; one that
   * became invalid is remembered in the mempool's `dropped` with the reason, so GET /api/tx/:id
   * says why it is gone.
   */
  async restore(): Promise<{ admitted: number; dropped: number }> {
    const txs: { tx: Tx; id: Uint8Array; bytes: Uint8Array; addedMs: number }[] = [];
    const nowMs = this.now();
    const corrupt: Uint8Array[] = [];
    for (const row of this.store.loadJournal()) {
      const decoded = decodeTx(row.bytes);
      // A time ahead of the clock (it was set back meanwhile) counts as now.
      const addedMs = Math.min(row.addedMs, nowMs);
      if (decoded.ok) txs.push({ tx: decoded.value, id: row.id, bytes: row.bytes, addedMs });
      else corrupt.push(row.id);
    }
    txs.sort((a, b) => Number(nonceOf(a.tx) - nonceOf(b.tx)));
    const outcomes = await this.mempool.addBatch(
      txs.map((t) => t.tx),
      txs.map((t) => t.bytes),
      [], // their ids hashed again: the journal's rows are not taken on trust
      txs.map((t) => t.addedMs),
    );
    let admitted = 0;
    let dropped = 0;
    outcomes.forEach((outcome, i) => {
      const { tx, id } = txs[i]!;
      if (outcome.ok || outcome.code === 'TX_ALREADY_KNOWN') {
        admitted++;
        return;
      }
      this.removed.add(toHex(id));
      if (tx.type !== 'transfer' || this.store.getTxLocation(id)) return;
      dropped++;
      this.mempool.dropped.record({
        tx: tx as Transfer,
        idHex: toHex(id),
        droppedAtMs: this.now(),
        ...describeDrop(outcome.code, { detail: `found at restart: ${outcome.detail}` }),
      });
    });
    for (const id of corrupt) this.removed.add(toHex(id));
    this.flush();
    await this.durable();
    return { admitted, dropped };
  }

  /** The mempool admitted `entry`: written with the next commit. */
  onAdded(entry: MempoolEntry): void {
    this.removed.delete(entry.idHex);
    this.added.set(entry.idHex, {
      id: fromHex(entry.idHex),
      bytes: entry.bytes,
      addedMs: entry.addedAtMs,
    });
    this.schedule();
  }

  /** A transfer left the mempool: deleted with the next commit. */
  onRemoved(idHex: string): void {
    // Added and removed before a commit: nothing to write for it.
    if (!this.added.delete(idHex)) this.removed.add(idHex);
    this.schedule();
  }

  private schedule(): void {
    if (this.commit === 'each') {
      this.flush();
      return;
    }
    if (this.pending) return;
    this.pending = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.pending = undefined;
        try {
          this.flush();
          // NOTE: during a switch of the main chain the store writes it once the switch ends
          // (ChainStore.beginSwitch): acknowledged only then.
          const written = this.store.switchEnded?.();
          if (written) void written.then(resolve, reject);
          else resolve();
        } catch (error) {
          reject(error);
        }
      });
    });
    // A failed commit is reported to the callers waiting on durable(); none may be waiting.
    this.pending.catch(() => undefined);
  }
}

const nonceOf = (tx: Tx): bigint => (tx.type === 'transfer' ? tx.nonce : 0n);
