/**
 * A Map that keeps its newest `maxEntries` keys: setting a key makes it the newest (again), and
 * past the bound the oldest goes first.
 *
 * PERF: the usual way, `map.delete(map.keys().next().value)` on each insert, is slow once the
 * Map is full: V8 leaves a hole for each deleted entry until the table is rebuilt, and a new
 * iterator starts at the front and walks over every hole. Here one iterator lives on and only
 * moves forward (a Map's iterator stays valid as entries come and go), so each hole is passed
 * once. 200,000 fresh keys into a full 10,000-key Map (node 20, load 10): 11.8 µs a key → 0.25.
 * It was the mempool's reorg log (the first-seen time of every admitted transfer): ≈ 12 µs of
 * each admission's main-thread time under bench/intake.ts.
 */
export class RecentMap<K, V> {
  private readonly map = new Map<K, V>();
  /** Every key before its position was deleted, so its next key is the oldest one. */
  private readonly oldest: Iterator<K> = this.map.keys();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Sets the value and makes the key the newest; the oldest keys go past the bound. */
  set(key: K, value: V): this {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.maxEntries) this.deleteOldest();
    return this;
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  /**
   * NOTE: called only past the bound, so some key is after the iterator's position, and the
   * iterator never reaches its end (where it would stay for good).
   */
  private deleteOldest(): void {
    const next = this.oldest.next();
    if (!next.done) this.map.delete(next.value);
  }
}
