/** What the mempool holds, offers and tells: its entries, options and events (mempool.ts). */
import type { ErrorCode, Transfer } from '../core/index.js';
import type { DroppedTx } from './droppedTxs.js';

export interface MempoolEntry {
  readonly tx: Transfer;
  /** Its canonical encoding (encodeTx), as received or encoded once: hashed, journaled, announced. */
  readonly bytes: Uint8Array;
  readonly idHex: string;
  readonly senderHex: string;
  readonly addedAtMs: number;
}

/** A transfer offered, past the cheap checks, waiting for its signature's (`at`: in its batch). */
export interface Offered {
  readonly tx: Transfer;
  readonly bytes: Uint8Array;
  readonly idHex: string;
  readonly senderHex: string;
  readonly at: number;
}

export interface MempoolOptions {
  readonly maxCount?: number;
  readonly maxAgeMs?: number;
  readonly now: () => number;
}

export interface MempoolEvents {
  added: [entry: MempoolEntry];
  removed: [
    entry: MempoolEntry,
    reason: ErrorCode | 'CONFIRMED' | 'EXPIRED' | 'EVICTED' | 'REPLACED',
  ];
  /** A transfer left unconfirmed (from the pool, or from a block a reorg undid), with why. */
  dropped: [record: DroppedTx];
  /** A transfer offered and refused (not a replay of one it holds): the lab's timeline shows it. */
  refused: [idHex: string, code: ErrorCode, detail: string];
}
