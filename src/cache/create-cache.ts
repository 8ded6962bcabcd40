import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import type { Config } from '../config/config';
import type { Logger } from '../config/logger';
import { KpiCache } from './kpi-cache';

export function createKpiCache(config: Config['cache'], logger: Logger): KpiCache {
  const keyv = config.redisUrl
    ? new Keyv({ store: new KeyvRedis(config.redisUrl), namespace: 'kpi', useKeyPrefix: false })
    : new Keyv({ store: new Map(), namespace: 'kpi' });
  return new KpiCache(keyv, config.ttlSeconds, logger);
}
