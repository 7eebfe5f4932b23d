/**
 * Each sender's pending transfers in nonce order, with what admission asks of them at once: the
 * one holding a nonce, and the total cost (amount + fee) of them all.
 * PERF: admission asked both by scanning the sender's queue, so a sender with n pending transfers
 * paid O(n) per new one and O(n²) in all (bench/intake.ts: 16 senders sending thousands each
 * spent a quarter of the node's main thread there).
 */
interface Queue<T> extends SenderQueue<T> {
  readonly items: T[];
  /** Nonces are unique in a queue: a transfer with a pending nonce replaces that one. */
  readonly byNonce: Map<bigint, T>;
  total: bigint;
}

/** One sender's pending items as admission reads them (SenderQueues.of). */
export interface SenderQueue<T> {
  readonly items: readonly T[];
  readonly byNonce: ReadonlyMap<bigint, T>;
  readonly total: bigint;
}

export class SenderQueues<T> {
  private readonly queues = new Map<string, Queue<T>>();

  constructor(
    private readonly nonceOf: (item: T) => bigint,
    private readonly costOf: (item: T) => bigint,
  ) {}

  /**
   * The sender's queue, undefined when it has nothing pending: read once for all that admission
   * asks of it (withNonce, get, totalCost each look the sender up again).
   */
  of(sender: string): SenderQueue<T> | undefined {
    return this.queues.get(sender);
  }

  get(sender: string): readonly T[] {
    return this.queues.get(sender)?.items ?? [];
  }

  /** The sender's pending item with this nonce. */
  withNonce(sender: string, nonce: bigint): T | undefined {
    return this.queues.get(sender)?.byNonce.get(nonce);
  }

  /** The sum of costOf over the sender's pending items. */
  totalCost(sender: string): bigint {
    return this.queues.get(sender)?.total ?? 0n;
  }

  push(sender: string, item: T): void {
    let queue = this.queues.get(sender);
    if (!queue) {
      queue = { items: [], byNonce: new Map(), total: 0n };
      this.queues.set(sender, queue);
    }
    queue.items.push(item);
    this.index(queue, item);
  }

  replace(sender: string, old: T, item: T): void {
    const queue = this.queues.get(sender);
    const at = queue?.items.indexOf(old) ?? -1;
    if (!queue || at === -1) return;
    queue.items[at] = item;
    this.unindex(queue, old);
    this.index(queue, item);
  }

  remove(sender: string, item: T): void {
    const queue = this.queues.get(sender);
    if (!queue) return;
    const at = queue.items.indexOf(item);
    if (at !== -1) {
      queue.items.splice(at, 1);
      this.unindex(queue, item);
    }
    if (queue.items.length === 0) this.queues.delete(sender);
  }

  /** `item` and everything after it in its sender's queue, last first (safe to remove in order). */
  tailFrom(sender: string, item: T): T[] {
    const queue = this.queues.get(sender)?.items ?? [];
    const at = queue.indexOf(item);
    return at === -1 ? [] : queue.slice(at).reverse();
  }

  /**
   * The cheapest transfer that is last in its sender's queue: the one to evict. Never one of
   * `exceptSender`'s: its new transfer follows its last one, and would be left behind a gap.
   */
  cheapestTail(fee: (item: T) => bigint, exceptSender?: string): T | undefined {
    let best: T | undefined;
    for (const [sender, { items }] of this.queues) {
      if (sender === exceptSender) continue;
      const tail = items[items.length - 1];
      if (tail !== undefined && (best === undefined || fee(tail) < fee(best))) best = tail;
    }
    return best;
  }

  private index(queue: Queue<T>, item: T): void {
    queue.byNonce.set(this.nonceOf(item), item);
    queue.total += this.costOf(item);
  }

  private unindex(queue: Queue<T>, item: T): void {
    const nonce = this.nonceOf(item);
    if (queue.byNonce.get(nonce) === item) queue.byNonce.delete(nonce);
    queue.total -= this.costOf(item);
  }
}
