import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import type { Config } from '../config/config';
import type { Logger } from '../config/logger';
import { ByteBoundedStore } from './byte-bounded-store';
import { KpiCache } from './kpi-cache';

/** In memory, the cache is bounded in bytes (LRU); on Redis, Redis's own maxmemory policy bounds it. */
export function createKpiCache(config: Config['cache'], logger: Logger, maxBytes: number): KpiCache {
  const keyv = config.redisUrl
    ? new Keyv({ store: new KeyvRedis(config.redisUrl), namespace: 'kpi', useKeyPrefix: false })
    : new Keyv({ store: new ByteBoundedStore(maxBytes), namespace: 'kpi' });
  return new KpiCache(keyv, maxBytes === 0 && !config.redisUrl ? 0 : config.ttlSeconds, logger);
}
