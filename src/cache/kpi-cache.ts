import { createHash } from 'node:crypto';
import type Keyv from 'keyv';
import type { Logger } from '../config/logger';

export interface CacheKeyParts {
  readonly query: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The KPI catalog's version: a changed formula never serves an answer computed by the old one. */
  readonly catalogVersion: string;
  /** The dataset's data version: a finished upload changes it, so old entries are never read again. */
  readonly dataVersion: number | string;
}

export function cacheKey(parts: CacheKeyParts): string {
  return createHash('sha256')
    .update(JSON.stringify([parts.catalogVersion, parts.dataVersion, parts.query, parts.params]))
    .digest('base64url');
}

export interface Cached<T> {
  readonly value: T;
  readonly hit: boolean;
}

/**
 * Query results in Keyv (memory by default, Redis when configured). The cache is an
 * optimisation only: any cache error is logged and treated as a miss, never as a failed request.
 */
export class KpiCache {
  constructor(
    private readonly keyv: Keyv,
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {
    keyv.on('error', (error: unknown) => this.logger.warn('cache error', { error: error as Error }));
  }

  async getOrCompute<T>(parts: CacheKeyParts, compute: () => Promise<T>): Promise<Cached<T>> {
    if (this.ttlSeconds === 0) return { value: await compute(), hit: false };
    const key = cacheKey(parts);
    try {
      const found = (await this.keyv.get(key)) as T | undefined;
      if (found !== undefined) return { value: found, hit: true };
    } catch (error) {
      this.logger.warn('cache read failed; computing', { error: error as Error });
    }
    const value = await compute();
    try {
      await this.keyv.set(key, value, this.ttlSeconds * 1000);
    } catch (error) {
      this.logger.warn('cache write failed', { error: error as Error });
    }
    return { value, hit: false };
  }

  async close(): Promise<void> {
    await this.keyv.disconnect().catch(() => undefined);
  }
}
