import { LRUCache } from 'lru-cache';

export interface Take {
  readonly ok: boolean;
  /** When not ok: how long until the bucket holds what was asked. */
  readonly retryAfterMs: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per caller: `capacity` tokens, refilled continuously at `perMs`. Rate limits
 * (1 token per request) and cost budgets (an operation's cost units) both use it. Our own because
 * it is twenty lines that need an amount per take and an answer of "retry after"; the libraries
 * that fit (rate-limiter-flexible, limiter) bring stores and timers we do not need. Callers are
 * kept in an LRU with a fixed count, so a flood of distinct callers cannot grow memory; a caller
 * pushed out starts again with a full bucket, which only ever errs towards admitting.
 */
export class TokenBuckets {
  private readonly buckets: LRUCache<string, Bucket>;

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    maxCallers = 10_000,
  ) {
    this.buckets = new LRUCache({ max: maxCallers });
  }

  take(caller: string, amount = 1, now = Date.now()): Take {
    const bucket = this.buckets.get(caller) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.set(caller, bucket);
    // More than the bucket holds takes a full bucket (per-operation limits keep this rare).
    const cost = Math.min(amount, this.capacity);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { ok: true, retryAfterMs: 0 };
    }
    return { ok: false, retryAfterMs: Math.ceil((cost - bucket.tokens) / this.perMs) };
  }

  /** What the caller could spend now. */
  available(caller: string, now = Date.now()): number {
    const bucket = this.buckets.get(caller);
    if (!bucket) return this.capacity;
    return Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.perMs);
  }
}
