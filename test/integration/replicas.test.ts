import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import { KpiCache } from '../../src/cache/kpi-cache';
import { RedisDataVersions } from '../../src/datasets/data-versions';
import { DatasetDirectory } from '../../src/datasets/dataset-directory';
import { IngestService } from '../../src/ingest/ingest-service';
import { UploadLedger } from '../../src/ingest/upload-ledger';
import { KpiService } from '../../src/kpi/kpi-service';
import type { KpiRequest } from '../../src/kpi/kpi-types';
import { startEmbeddedS3, type EmbeddedS3Server } from '../../src/storage/embedded-s3-server';
import { S3ObjectStore } from '../../src/storage/s3-object-store';
import { trustedSql } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { startRedis, type RedisServer } from '../support/redis-server';
import { openWarehouse, silentLogger, testS3Credentials } from '../support/test-stack';
import { firstRow } from '../support/consistency';

/**
 * Two gateway replicas over one warehouse, sharing Redis for data versions and the cache: what one
 * loads, the other sees on its next operation — never a stale cached answer, never a half load.
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
  await warehouse.command(trustedSql(`DROP DATABASE IF EXISTS ${warehouse.database}`));
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
  kpis: ['transactions', 'totalRevenue'],
  shape: { type: 'totals' },
};
const csv = (rows: number, cents: number) =>
  `time,grossRevenue\n${Array.from({ length: rows }, (_, i) => `2025-01-0${1 + (i % 9)}T10:00:00Z,${cents / 100}`).join('\n')}\n`;
const load = (r: Replica, text: string) =>
  r.ingest.ingest({ dataset: 'shared', kind: 'sales', body: Readable.from([Buffer.from(text)]) });

test("an upload on replica A is visible on replica B at its next operation, and B reuses A's cache entry", async () => {
  expect(() => b.kpi.dataset('shared', 'sales')).toThrow(/No dataset named shared/);
  expect((await load(a, csv(3, 1050))).status).toBe('LOADED');
  const fromA = await a.kpi.answer(totals);
  expect(fromA.cacheHit).toBe(false);

  await b.catalog.refresh();
  const fromB = await b.kpi.answer(totals);
  expect(fromB.dataVersion).toBe(fromA.dataVersion);
  expect(fromB.cacheHit).toBe(true);
  expect(fromB.rows[0]?.kpis.transactions?.value).toBe(3);

  // Whole-answer caches are keyed by the catalog's generation: it must move when another replica loads.
  const generation = a.catalog.generation;
  expect((await load(b, csv(2, 100))).status).toBe('LOADED');
  await a.catalog.refresh();
  expect(a.catalog.generation).toBeGreaterThan(generation);
  const again = await a.kpi.answer(totals);
  expect(again.cacheHit).toBe(false);
  expect(again.rows[0]?.kpis).toMatchObject({ transactions: { value: 5 }, totalRevenue: { value: 33.5 } });
});

test('an upload still loading on replica A is hidden on replica B', async () => {
  const loaded = firstRow(await new UploadLedger(warehouse).forDataset('shared'));
  const loading = { ...loaded, id: 'loading-on-a', status: 'LOADING' as const };
  await new UploadLedger(warehouse).save(loading);
  await a.catalog.apply(loading);
  await warehouse.command(
    trustedSql(
      `INSERT INTO ${warehouse.database}.sales_raw (dataset, upload_id, time, grossRevenue) VALUES ('shared', 'loading-on-a', '2025-01-03 00:00:00', 1)`,
    ),
  );

  await b.catalog.refresh();
  expect([...(b.catalog.get('shared')?.hiddenUploads ?? [])]).toEqual(['loading-on-a']);
  expect((await b.kpi.answer(totals)).rows[0]?.kpis.transactions?.value).toBe(5);
});

test('a file replica A loaded is a DUPLICATE on replica B, which asks its catalog and refreshes it first', async () => {
  const text = csv(4, 725);
  const onA = await load(a, text);
  expect(onA).toMatchObject({ status: 'LOADED', rowsLoaded: 4 });
  // No refresh by hand: the duplicate check itself must notice what A loaded.
  const onB = await load(b, text);
  expect(onB).toMatchObject({ status: 'DUPLICATE', duplicateOf: onA.id, rowsLoaded: 0 });
  await b.catalog.refresh();
  expect((await b.kpi.answer(totals)).rows[0]?.kpis.transactions?.value).toBe(9);
});

test("replica B hears of replica A's load through Redis, after it has caught up with it", async () => {
  const onB = await b.catalog.dataChanges();
  const heard = onB.next();
  const loaded = await load(a, csv(1, 990));
  expect(loaded.status).toBe('LOADED');
  let timer: NodeJS.Timeout | undefined;
  const change = await Promise.race([
    heard,
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error('no notice in 10 s')), 10_000)),
    ),
  ]).finally(() => clearTimeout(timer));
  expect(change.value).toEqual({
    dataset: 'shared',
    dataVersion: a.catalog.get('shared')?.dataVersion,
    uploadId: loaded.id,
    status: 'LOADED',
  });
  // B re-read the ledger before telling: whoever re-queries now sees the new rows.
  expect(b.catalog.get('shared')?.rows).toBe(a.catalog.get('shared')?.rows);
  await onB.return(undefined);
});
