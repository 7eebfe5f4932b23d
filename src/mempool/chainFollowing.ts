/**
 * The mempool following the chain (mempool.ts): blocks remove what they confirm or invalidate,
 * a reorg puts the undone blocks' transfers back and re-checks every account it touched, and
 * old entries expire.
 */
import {
  admitTransfer,
  type Block,
  encodeTx,
  hashTx,
  sha256d,
  type Transfer,
  toHex,
} from '../core/index.js';
import { admissible, type PoolState } from './admission.js';
import { HeldTransfers } from './heldTransfers.js';
import type { MempoolEntry } from './poolTypes.js';
import { ReorgReturns } from './reorgReturns.js';

export abstract class ChainFollowingPool extends HeldTransfers {
  /** What blocks a reorg took off the main chain touched and returned, until it settles. */
  private readonly reorg = new ReorgReturns();
  /** What the admission rules read (admission.ts). */
  protected readonly state: PoolState = {
    byId: this.byId,
    senders: this.senders,
    chain: this.chain,
    maxCount: this.maxCount,
  };

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
}

/** Nonce order; on a shared nonce the higher fee first, so the other is a refused replacement. */
function byNonceThenFee(a: Transfer, b: Transfer): number {
  if (a.nonce !== b.nonce) return a.nonce < b.nonce ? -1 : 1;
  return a.fee === b.fee ? 0 : a.fee > b.fee ? -1 : 1;
}
