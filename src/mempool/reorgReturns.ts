/**
 * What a reorg's undone blocks leave for the mempool to settle (chainFollowing.ts): their transfers, by
 * sender, to be offered again, and every account they touched, whose nonce or balance went back.
 * Gathered block by block while the reorg runs, taken once the chain settles on its tip.
 */
import { type Block, type Transfer, toHex } from '../core/index.js';

export class ReorgReturns {
  private returning = new Map<string, Transfer[]>();
  private unsettled = new Set<string>();

  /** A block taken off the main chain. */
  note(block: Block): void {
    for (const tx of block.txs) {
      this.unsettled.add(toHex(tx.to));
      if (tx.type !== 'transfer') continue;
      const senderHex = toHex(tx.from);
      this.unsettled.add(senderHex);
      const returned = this.returning.get(senderHex);
      if (returned) returned.push(tx);
      else this.returning.set(senderHex, [tx]);
    }
  }

  /** Whether an undone block touched this account since the chain last settled. */
  isUnsettled(keyHex: string): boolean {
    return this.unsettled.has(keyHex);
  }

  /** Each touched account with the transfers it sent that came back (maybe none); then forgets. */
  take(): [keyHex: string, returned: readonly Transfer[]][] {
    const taken = [...this.unsettled].map((key): [string, readonly Transfer[]] => [
      key,
      this.returning.get(key) ?? [],
    ]);
    this.returning = new Map();
    this.unsettled = new Set();
    return taken;
  }
}
