/**
 * A small in-memory cache for one container, bounded three ways: entries (least recently used goes first), age since the
 * value was made, and uses per value. Used for what KMS returns (unwrapped subject keys, pseudonyms), where each bound
 * limits something different: memory, how long a value outlives a change made elsewhere, and how much one cached secret
 * is used before KMS is asked again.
 */

export interface CacheLimits {
  /** At most this many values; the least recently used one is evicted first. */
  readonly maxEntries: number;
  /** A value older than this (ms since it was stored) is a miss. */
  readonly maxAgeMs: number;
  /** A value handed out this many times is a miss on the next `get`. @default unlimited */
  readonly maxUses?: number;
  /** Clock in ms (tests). @default Date.now */
  readonly now?: () => number;
}

interface Entry<V> {
  readonly value: V;
  readonly storedAt: number;
  uses: number;
}

export class BoundedCache<V> {
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first.
  private readonly entries = new Map<string, Entry<V>>();
  private readonly now: () => number;

  constructor(private readonly limits: CacheLimits) {
    this.now = limits.now ?? (() => Date.now());
  }

  /** The value, counting one use; undefined (and forgotten) when absent, too old or used up. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (this.now() - entry.storedAt >= this.limits.maxAgeMs || entry.uses >= (this.limits.maxUses ?? Infinity)) return undefined;
    entry.uses++;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: this.now(), uses: 0 });
    while (this.entries.size > this.limits.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
