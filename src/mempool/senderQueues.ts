/** Each sender's pending transfers in nonce order (arrays: a sender rarely has many). */
export class SenderQueues<T> {
  private readonly queues = new Map<string, T[]>();

  get(sender: string): readonly T[] {
    return this.queues.get(sender) ?? [];
  }

  push(sender: string, item: T): void {
    const queue = this.queues.get(sender);
    if (queue) queue.push(item);
    else this.queues.set(sender, [item]);
  }

  replace(sender: string, old: T, item: T): void {
    const queue = this.queues.get(sender);
    const at = queue?.indexOf(old) ?? -1;
    if (queue && at !== -1) queue[at] = item;
  }

  remove(sender: string, item: T): void {
    const queue = this.queues.get(sender);
    if (!queue) return;
    const at = queue.indexOf(item);
    if (at !== -1) queue.splice(at, 1);
    if (queue.length === 0) this.queues.delete(sender);
  }

  /** `item` and everything after it in its sender's queue, last first (safe to remove in order). */
  tailFrom(sender: string, item: T): T[] {
    const queue = this.queues.get(sender) ?? [];
    const at = queue.indexOf(item);
    return at === -1 ? [] : queue.slice(at).reverse();
  }

  /**
   * The cheapest transfer that is last in its sender's queue: the one to evict. Never one of
   * `exceptSender`'s: its new transfer follows its last one, and would be left behind a gap.
   */
  cheapestTail(fee: (item: T) => bigint, exceptSender?: string): T | undefined {
    let best: T | undefined;
    for (const [sender, queue] of this.queues) {
      if (sender === exceptSender) continue;
      const tail = queue[queue.length - 1];
      if (tail !== undefined && (best === undefined || fee(tail) < fee(best))) best = tail;
    }
    return best;
  }
}
