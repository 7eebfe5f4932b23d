/** A bounded set that forgets its oldest members: hashes already received or announced. */
export class SeenCache {
  private readonly items = new Set<string>();

  constructor(private readonly capacity = 50_000) {}

  has(key: string): boolean {
    return this.items.has(key);
  }

  /** Adds `key`; true if it was new. */
  add(key: string): boolean {
    if (this.items.has(key)) return false;
    this.items.add(key);
    if (this.items.size > this.capacity) this.items.delete(this.items.values().next().value!);
    return true;
  }
}
