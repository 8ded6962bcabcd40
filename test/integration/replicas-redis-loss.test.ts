import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import Keyv from 'keyv';
import KeyvRedis, { createClient } from '@keyv/redis';
import { KpiCache } from '../../src/cache/kpi-cache';
import { RedisDataVersions } from '../../src/datasets/data-versions';
import { DatasetDirectory } from '../../src/datasets/dataset-directory';
import { IngestService } from '../../src/ingest/ingest-service';
import { UploadLedger } from '../../src/ingest/upload-ledger';
import { KpiService } from '../../src/kpi/kpi-service';
import type { KpiRequest } from '../../src/kpi/kpi-types';
import { startEmbeddedS3, type EmbeddedS3Server } from '../../src/storage/embedded-s3-server';
import { S3ObjectStore } from '../../src/storage/s3-object-store';
import { sql, trustedIdentifier } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { startRedis, type RedisServer } from '../support/redis-server';
import { openWarehouse, silentLogger, testS3Credentials } from '../support/test-stack';

/**
 * Replicas compare data version counters kept in Redis. If Redis loses them (a restart without
 * persistence, an eviction, a flush) while cached answers and replicas live on, the counters start
 * again and can come back to the very value an idle replica holds: that replica must still notice
 * that the data changed, and not serve its cached answer.
 */
interface Replica {
  catalog: DatasetDirectory;
  cache: KpiCache;
  kpi: KpiService;
  ingest: IngestService;
}

let redis: RedisServer;
let s3: EmbeddedS3Server;
let s3Dir: string;
let warehouse: Warehouse;
let store: S3ObjectStore;
let a: Replica;
let b: Replica;

async function replica(): Promise<Replica> {
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

beforeAll(async () => {
  redis = await startRedis();
  s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-gw-s3-'));
  const credentials = testS3Credentials();
  s3 = await startEmbeddedS3({ directory: s3Dir, port: 0, bucket: 'replicas', credentials });
  store = new S3ObjectStore({
    endpoint: s3.endpoint,
    endpointForClickHouse: s3.endpoint,
    region: 'us-east-1',
    bucket: 'replicas',
    ...credentials,
    forcePathStyle: true,
  });
  warehouse = await openWarehouse();
  a = await replica();
  b = await replica();
});

afterAll(async () => {
  for (const r of [a, b]) {
    await r?.catalog.close();
    await r?.cache.close();
  }
  await warehouse.command(sql`DROP DATABASE IF EXISTS ${trustedIdentifier(warehouse.database)}`);
  await warehouse.close();
  store.close();
  await s3.close();
  await redis.stop();
  fs.rmSync(s3Dir, { recursive: true, force: true });
});

const totals: KpiRequest = {
  kind: 'sales',
  dataset: 'shared',
  range: { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') },
  timeZone: 'UTC',
  filters: {},
  kpis: ['transactions'],
  shape: { type: 'totals' },
};
const csv = (rows: number, cents: number) =>
  `time,grossRevenue\n${Array.from({ length: rows }, (_, i) => `2025-01-0${1 + (i % 9)}T10:00:00Z,${cents / 100}`).join('\n')}\n`;
const load = (r: Replica, text: string) =>
  r.ingest.ingest({ dataset: 'shared', kind: 'sales', body: Readable.from([Buffer.from(text)]) });

async function transactions(r: Replica): Promise<unknown> {
  await r.catalog.refresh();
  const answer = await r.kpi.answer(totals);
  return answer.rows[0]?.kpis.transactions?.value;
}

test('the shared versions lost and counted again up to an idle replica’s value: it still sees the new upload', async () => {
  expect(await load(b, csv(2, 1000))).toMatchObject({ status: 'LOADED' });
  expect(await transactions(a)).toBe(2);
  expect(await transactions(a)).toBe(2); // now cached
  const before = a.catalog.get('shared')?.dataVersion;

  const client = createClient({ url: redis.url });
  await client.connect();
  await client.del('kpi-gateway:data-versions');
  await client.quit();

  // B loads while A is idle: B's counter starts again and ends where A's stands.
  expect(await load(b, csv(3, 500))).toMatchObject({ status: 'LOADED' });
  expect(b.catalog.get('shared')?.dataVersion).toBe(before);
  expect(await transactions(a)).toBe(5);
  expect(await transactions(b)).toBe(5);
});
