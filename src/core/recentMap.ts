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
 *
 * NOTE: a live iterator keeps every table its Map has outgrown or compacted since the iterator
 * last moved (V8 links each old table to the next, for the iterator to catch up), keys and
 * values included. The iterator only moves past the bound, so a map that churns below it kept
 * every key it ever held: the chain's signature cache (65,536 entries, a sync's ids set and
 * taken, ≈ 32,000 at a time) held 87,549 dead hex ids in 342 old tables, 17 MB of a syncing
 * node's 62 MB live heap 60 s into a sync of 32 full blocks (heap snapshot, bench/lib/
 * syncMemory.ts), growing by ≈ 1.8 MB a full block for as long as the node ran. So the iterator
 * is let go after `maxEntries` operations without an eviction, and made again when needed: its
 * walk over the holes at the Map's front then is paid at most once per that many operations.
 * A fresh node syncing 32 full blocks (bench/lib/syncMemory.ts, side by side with the code
 * before, load 9): peak RSS 298 → 271 MB, RSS after the sync 290 → 254, 12 s later 272 → 235;
 * CPU a transfer 160 → 156 µs (main thread 22 → 21).
 */
export class RecentMap<K, V> {
  private readonly map = new Map<K, V>();
  /**
   * Every key before its position was deleted, so its next key is the oldest one; undefined
   * when not needed lately (see the NOTE above).
   */
  private oldest: Iterator<K> | undefined;
  /** Sets and deletes since the iterator last moved. */
  private idle = 0;

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
    if (this.map.size <= this.maxEntries) this.idleOp();
    while (this.map.size > this.maxEntries) this.deleteOldest();
    return this;
  }

  delete(key: K): boolean {
    this.idleOp();
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
    this.oldest ??= this.map.keys();
    this.idle = 0;
    const next = this.oldest.next();
    if (!next.done) this.map.delete(next.value);
  }

  /** An operation that did not move the iterator: past `maxEntries` of them, it is let go. */
  private idleOp(): void {
    if (this.oldest && ++this.idle > this.maxEntries) this.oldest = undefined;
  }
}
