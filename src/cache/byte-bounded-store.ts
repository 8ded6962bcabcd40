import { LRUCache } from 'lru-cache';

/**
 * Keyv's in-memory store bounded in bytes: least recently used entries go first once the
 * entries' size passes `maxBytes`. lru-cache does the bookkeeping; this adapter only gives Keyv
 * the `set(key, value, ttl)` it calls (lru-cache takes options there) and sizes each entry by its
 * JSON text (UTF-16 in memory: two bytes a character), which tracks what the answer holds.
 */
export class ByteBoundedStore {
  private readonly lru: LRUCache<string, object | string>;

  /** `maxBytes` 0 keeps nothing (the documented way to turn the in-memory KPI cache off). */
  constructor(readonly maxBytes: number) {
    this.lru = new LRUCache({
      // lru-cache refuses a size bound of 0; `set` keeps nothing in that case instead.
      maxSize: Math.max(1, maxBytes),
      sizeCalculation: (value, key) =>
        Math.max(
          1,
          2 * (key.length + (typeof value === 'string' ? value.length : JSON.stringify(value).length)),
        ),
    });
  }

  get(key: string): object | string | undefined {
    return this.lru.get(key);
  }

  set(key: string, value: object | string, ttl?: number): boolean {
    // An entry larger than the whole cache is not kept (lru-cache would refuse it anyway).
    if (this.maxBytes === 0) return true;
    this.lru.set(key, value, { ttl: typeof ttl === 'number' && ttl > 0 ? ttl : undefined });
    return true;
  }

  delete(key: string): boolean {
    return this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  has(key: string): boolean {
    return this.lru.has(key);
  }

  /** Bytes held now (as sized above). */
  get calculatedBytes(): number {
    return this.lru.calculatedSize;
  }

  get size(): number {
    return this.lru.size;
  }
}
