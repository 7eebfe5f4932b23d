/**
 * Which account keys the accounts table may hold: a Bloom filter that holds every key ever
 * written to it (and the keys it held when the filter was built), so that a key it does not
 * hold surely has no row, and the store answers "no such account" without a query.
 *
 * PERF: a transfer to a new address reads its recipient before the block is applied, and that
 * read missed the chain's account cache and SQLite alike: a query for nothing, ≈ 9 % of the main
 * thread's time in Chain.addBlock for a full block of new recipients (node --cpu-prof of
 * bench/connect.ts, load 6–8). A lookup here is a few array reads.
 *
 * A false "may hold" only costs the query it always cost. Keys are public keys and addresses,
 * which anyone can choose: crafted ones can at worst make lookups query again, never answer
 * wrongly. The filter only grows: a key deleted from the table (a block disconnected) stays in it.
 */

/** Bits per key the filter is sized for, and bits set per key: ≈ 0.05 % false positives. */
const BITS_PER_KEY = 16;
const PROBES = 8;

export class AccountFilter {
  private readonly bits: Uint32Array;
  /** Bits in the filter, a power of two, minus one. */
  private readonly mask: number;
  private added = 0;
  /** The last key hashed (hash): two hashes for double hashing, `b` odd. */
  private a = 0;
  private b = 0;

  /** Sized for `capacity` keys (at least 4,096); past that, full() says to build a bigger one. */
  constructor(readonly capacity: number) {
    let size = 1 << 17; // bits, 16 KB
    while (size < Math.max(4_096, capacity) * BITS_PER_KEY) size *= 2;
    this.bits = new Uint32Array(size / 32);
    this.mask = size - 1;
  }

  /** Whether more keys were added than it was sized for (false positives then grow). */
  get full(): boolean {
    return this.added > this.capacity;
  }

  /** `key`: the 32 bytes of an account key. */
  add(key: Uint8Array): void {
    this.hash(key);
    let fresh = false;
    for (let p = 0; p < PROBES; p++) {
      const index = (this.a + Math.imul(p, this.b)) & this.mask;
      const bit = 1 << (index & 31);
      if ((this.bits[index >>> 5]! & bit) === 0) {
        this.bits[index >>> 5]! |= bit;
        fresh = true;
      }
    }
    if (fresh) this.added++;
  }

  /** False only if `key` was never added. */
  mayHold(key: Uint8Array): boolean {
    this.hash(key);
    for (let p = 0; p < PROBES; p++) {
      const index = (this.a + Math.imul(p, this.b)) & this.mask;
      if ((this.bits[index >>> 5]! & (1 << (index & 31))) === 0) return false;
    }
    return true;
  }

  /** The key's two hashes, from words mixed from all its bytes. */
  private hash(key: Uint8Array): void {
    let a = 0x9e3779b9;
    let b = 0x85ebca6b;
    for (let i = 0; i + 3 < key.length; i += 4) {
      const w = (key[i]! << 24) | (key[i + 1]! << 16) | (key[i + 2]! << 8) | key[i + 3]!;
      a = Math.imul(a ^ w, 0x01000193);
      b = Math.imul(b ^ w, 0x5bd1e995) ^ (b >>> 15);
    }
    this.a = a;
    this.b = b | 1; // odd: the probes are distinct bits
  }
}
