import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import { KpiCache } from '../../src/cache/kpi-cache';
import { RedisDataVersions } from '../../src/datasets/data-versions';
import { DatasetDirectory } from '../../src/datasets/dataset-directory';
import { IngestService } from '../../src/ingest/ingest-service';
import { UploadLedger } from '../../src/ingest/upload-ledger';
import { KpiService } from '../../src/kpi/kpi-service';
import { startEmbeddedS3 } from '../../src/storage/embedded-s3-server';
import { S3ObjectStore } from '../../src/storage/s3-object-store';
import { sql, trustedIdentifier } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { startRedis, type RedisServer } from './redis-server';
import { openWarehouse, silentLogger, testS3Credentials } from './test-stack';

/** One gateway replica's services: its own directory and cache, over the shared stores. */
export interface Replica {
  readonly catalog: DatasetDirectory;
  readonly cache: KpiCache;
  readonly kpi: KpiService;
  readonly ingest: IngestService;
}

/** Two replicas over one warehouse and one S3 server, sharing a real Redis for data versions and the cache. */
export interface ReplicaPair {
  readonly redis: RedisServer;
  readonly warehouse: Warehouse;
  readonly store: S3ObjectStore;
  readonly a: Replica;
  readonly b: Replica;
  close(): Promise<void>;
}

async function replica(redis: RedisServer, warehouse: Warehouse, store: S3ObjectStore): Promise<Replica> {
  const ledger = new UploadLedger(warehouse);
  const catalog = await DatasetDirectory.fromUploads(await ledger.all(), {
    versions: new RedisDataVersions(redis.url),
    loadUploads: (d) => ledger.forDataset(d),
  });
  const cache = new KpiCache(
    new Keyv({ store: new KeyvRedis(redis.url), namespace: 'kpi' }),
    60,
    silentLogger,
  );
  return {
    catalog,
    cache,
    kpi: new KpiService(warehouse, catalog, cache),
    ingest: new IngestService({
      warehouse,
      store,
      ledger,
      directory: catalog,
      logger: silentLogger,
      maxBytes: 1e9,
    }),
  };
}

export async function startReplicaPair(): Promise<ReplicaPair> {
  const redis = await startRedis();
  const s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-gw-s3-'));
  const credentials = testS3Credentials();
  const s3 = await startEmbeddedS3({ directory: s3Dir, port: 0, bucket: 'replicas', credentials });
  const store = new S3ObjectStore({
    endpoint: s3.endpoint,
    endpointForClickHouse: s3.endpoint,
    region: 'us-east-1',
    bucket: 'replicas',
    ...credentials,
    forcePathStyle: true,
  });
  const warehouse = await openWarehouse();
  const a = await replica(redis, warehouse, store);
  const b = await replica(redis, warehouse, store);
  return {
    redis,
    warehouse,
    store,
    a,
    b,
    async close() {
      for (const r of [a, b]) {
        await r.catalog.close();
        await r.cache.close();
      }
      await warehouse.command(sql`DROP DATABASE IF EXISTS ${trustedIdentifier(warehouse.database)}`);
      await warehouse.close();
      store.close();
      await s3.close();
      await redis.stop();
      fs.rmSync(s3Dir, { recursive: true, force: true });
    },
  };
}
