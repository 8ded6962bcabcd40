import { ResponseCache, type CachedResponse } from '../cache/response-cache';

/** The response cache with its lookups counted (layer `response` of the cache metrics). */
export class MeteredResponseCache extends ResponseCache {
  constructor(
    ttlMs: number,
    maxBytes: number,
    private readonly lookedUp: (hit: boolean) => void,
  ) {
    super(ttlMs, maxBytes);
  }

  override get(key: string): CachedResponse | undefined {
    const found = super.get(key);
    this.lookedUp(found !== undefined);
    return found;
  }
}
