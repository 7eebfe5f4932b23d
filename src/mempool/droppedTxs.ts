/**
 * Transfers that left the mempool without a block confirming them, remembered so that
 * GET /api/tx/:id can say what became of one instead of "not found": replaced by a higher fee,
 * evicted from a full mempool, expired, or contradicted by the chain (its nonce used by another
 * transfer, its sender's money gone — often after a reorg).
 *
 * In memory only, and bounded: past `maxEntries` the oldest record is forgotten first. A record
 * can go stale (a peer's block confirms the transfer after all); the route asks the mempool and
 * the chain first, and answers from here only when neither knows the transfer.
 */
import { type ErrorCode, errorMeanings, RecentMap, type Transfer } from '../core/index.js';

/** Why the mempool let a transfer go: its own decisions, or the admission check it now fails. */
export type DropReason = ErrorCode | 'EXPIRED' | 'EVICTED' | 'REPLACED';

export interface DroppedTx {
  readonly tx: Transfer;
  readonly idHex: string;
  /** MEMPOOL_REPLACED, MEMPOOL_EVICTED, MEMPOOL_EXPIRED, or the code it fails (TX_NONCE_TOO_LOW, …). */
  readonly code: string;
  readonly message: string;
  readonly droppedAtMs: number;
}

export const DEFAULT_MAX_DROPPED = 10_000;

export class DroppedTxs {
  private readonly byId: RecentMap<string, DroppedTx>;

  constructor(maxEntries = DEFAULT_MAX_DROPPED) {
    this.byId = new RecentMap(maxEntries);
  }

  get size(): number {
    return this.byId.size;
  }

  get(idHex: string): DroppedTx | undefined {
    return this.byId.get(idHex);
  }

  record(dropped: DroppedTx): void {
    // Dropped again (it came back and left again): now the newest.
    this.byId.set(dropped.idHex, dropped);
  }

  /** The transfer is pending again. */
  forget(idHex: string): void {
    this.byId.delete(idHex);
  }
}

export interface DropContext {
  /** The transfer that took a replaced one's place. */
  readonly replacedBy?: string | undefined;
  readonly maxAgeMs?: number;
  /** What the failed admission check said, when there was one. */
  readonly detail?: string | undefined;
}

/** The reason as the API shows it: a stable code, and a message that says what to do. */
export function describeDrop(
  reason: DropReason,
  context: DropContext = {},
): { code: string; message: string } {
  const withDetail = (message: string) =>
    context.detail ? `${message} (${context.detail})` : message;
  switch (reason) {
    case 'REPLACED':
      return {
        code: 'MEMPOOL_REPLACED',
        message: `replaced by ${context.replacedBy ?? 'another transfer'}, which has the same sender and nonce and pays a higher fee; at most one of them can be confirmed`,
      };
    case 'EVICTED':
      return {
        code: 'MEMPOOL_EVICTED',
        message:
          'the mempool was full and this was its cheapest transfer that no other depends on; send it again with a higher fee',
      };
    case 'EXPIRED': {
      const hours = context.maxAgeMs === undefined ? undefined : context.maxAgeMs / 3_600_000;
      const within = hours === undefined ? 'in time' : `within ${Number(hours.toFixed(3))} h`;
      return {
        code: 'MEMPOOL_EXPIRED',
        message: `no block took it ${within} of its arrival; send it again, with a higher fee if blocks are full`,
      };
    }
    case 'TX_NONCE_TOO_LOW':
      return {
        code: reason,
        message: withDetail(
          "the chain confirmed another transfer of the sender with this nonce, so this one can never be confirmed; sign a new one with the sender's next nonce",
        ),
      };
    case 'TX_NONCE_TOO_HIGH':
      return {
        code: reason,
        message: withDetail(
          'a transfer of the sender with a lower nonce left the mempool, so this one could not follow it; send them again in nonce order',
        ),
      };
    case 'TX_INSUFFICIENT_FUNDS':
      return {
        code: reason,
        message: withDetail(
          "the sender's spendable balance no longer covers it (a block or a reorg changed the balance)",
        ),
      };
    default:
      return { code: reason, message: withDetail(errorMeanings[reason]) };
  }
}
