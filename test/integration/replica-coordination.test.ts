import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createClient } from '@keyv/redis';
import { RedisDataVersions } from '../../src/datasets/data-versions';
import { DatasetDirectory } from '../../src/datasets/dataset-directory';
import { IngestService } from '../../src/ingest/ingest-service';
import { datasetLockKey, RedisLocks } from '../../src/ingest/replica-locks';
import { UploadLedger } from '../../src/ingest/upload-ledger';
import { startEmbeddedS3, type EmbeddedS3Server } from '../../src/storage/embedded-s3-server';
import { S3ObjectStore } from '../../src/storage/s3-object-store';
import { sql, trustedSql } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { startRedis, type RedisServer } from '../support/redis-server';
import { openWarehouse, silentLogger, testS3Credentials } from '../support/test-stack';

/**
 * Two gateway replicas (each its own ledger reader, dataset directory, ingest service and Redis
 * connections) over one warehouse, one S3 bucket and one Redis. chDB allows one data path per
 * process, so the replicas share this process; everything they coordinate through is real.
 */
interface Replica {
  ledger: UploadLedger;
  catalog: DatasetDirectory;
  locks: RedisLocks;
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
  const locks = new RedisLocks(redis.url, { ttlMs: 2_000, retryMs: 20 });
  const ingest = new IngestService({
    warehouse,
    store,
    ledger,
    directory: catalog,
    logger: silentLogger,
    maxBytes: 1e9,
    locks,
  });
  return { ledger, catalog, locks, ingest };
}

beforeAll(async () => {
  redis = await startRedis();
  s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-gw-s3-'));
  const credentials = testS3Credentials();
  s3 = await startEmbeddedS3({ directory: s3Dir, port: 0, bucket: 'coordination', credentials });
  store = new S3ObjectStore({
    endpoint: s3.endpoint,
    endpointForClickHouse: s3.endpoint,
    region: 'us-east-1',
    bucket: 'coordination',
    ...credentials,
    forcePathStyle: true,
  });
  warehouse = await openWarehouse();
  a = await replica();
  b = await replica();
});

afterAll(async () => {
  for (const r of [a, b]) {
    await r?.ingest.idle();
    await r?.catalog.close();
    await r?.locks.close();
  }
  await warehouse.command(trustedSql(`DROP DATABASE IF EXISTS ${warehouse.database}`));
  await warehouse.close();
  store.close();
  await s3.close();
  await redis.stop();
  fs.rmSync(s3Dir, { recursive: true, force: true });
});

const csv = (rows: number, cents: number) =>
  `time,grossRevenue\n${Array.from({ length: rows }, (_, i) => `2025-01-0${1 + (i % 9)}T10:00:00Z,${cents / 100}`).join('\n')}\n`;
const load = (r: Replica, dataset: string, text: string) =>
  r.ingest.ingest({ dataset, kind: 'sales', body: Readable.from([Buffer.from(text)]) });
const rawRows = async (uploadId: string) =>
  Number(
    (
      await warehouse.query<{ n: string }>(
        sql`SELECT count() AS n FROM ${trustedSql(`${warehouse.database}.sales_raw`)} WHERE upload_id = ${uploadId}`,
      )
    ).rows[0]?.n,
  );

test('the same file sent to both replicas at once loads once; the other is its duplicate', async () => {
  const file = csv(40, 1234);
  const [one, two] = await Promise.all([load(a, 'twice', file), load(b, 'twice', file)]);
  expect([one.status, two.status].sort()).toEqual(['DUPLICATE', 'LOADED']);
  const loaded = one.status === 'LOADED' ? one : two;
  const duplicate = one.status === 'LOADED' ? two : one;
  expect(duplicate.duplicateOf).toBe(loaded.id);
  expect(await rawRows(loaded.id)).toBe(40);
  expect(await rawRows(duplicate.id)).toBe(0);
});

test('loads of one dataset on two replicas never overlap', async () => {
  const spans: Array<[number, number]> = [];
  const work = (r: Replica) =>
    r.locks.run(datasetLockKey('overlap'), async () => {
      const start = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 60));
      spans.push([start, Date.now()]);
    });
  await Promise.all([work(a), work(b), work(a), work(b)]);
  spans.sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < spans.length; i += 1) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
});

test("recovery at start leaves another live replica's load alone, and looks again once it is done", async () => {
  const loaded = await load(a, 'live', csv(25, 500));
  expect(loaded.status).toBe('LOADED');
  // Replica A is (again) loading this upload: it holds the dataset's lock and the ledger says LOADING.
  let finish!: () => void;
  const held = a.locks.run(datasetLockKey('live'), async () => {
    await a.ledger.save({ ...loaded, status: 'LOADING' });
    await new Promise<void>((resolve) => (finish = resolve));
    await a.ledger.save({ ...loaded, status: 'LOADED' });
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  // Replica C starts meanwhile.
  const c = await replica();
  try {
    expect(await c.ingest.recoverInterrupted()).toEqual([]);
    expect(await rawRows(loaded.id)).toBe(25);
    expect((await c.ledger.get(loaded.id))?.status).toBe('LOADING');
    finish();
    await held;
    await c.ingest.idle();
    expect((await c.ledger.get(loaded.id))?.status).toBe('LOADED');
    expect(await rawRows(loaded.id)).toBe(25);
  } finally {
    await c.catalog.close();
    await c.locks.close();
  }
});

test('an upload left LOADING by a replica that died is recovered once its lock expires', async () => {
  const loaded = await load(b, 'dead', csv(10, 100));
  await b.ledger.save({ ...loaded, status: 'LOADING' });
  // The dead replica's lock: set as RedisLocks sets it, never renewed, never released.
  const client = createClient({ url: redis.url });
  await client.connect();
  await client.set(`kpi-gateway:lock:${datasetLockKey('dead')}`, 'dead-replica', { PX: 500 });
  await client.quit();
  const c = await replica();
  try {
    expect(await c.ingest.recoverInterrupted()).toEqual([]);
    await c.ingest.idle();
    const recovered = await c.ledger.get(loaded.id);
    expect(recovered).toMatchObject({ status: 'LOADED', rowsLoaded: 10 });
    expect(await rawRows(loaded.id)).toBe(10);
  } finally {
    await c.catalog.close();
    await c.locks.close();
  }
});

test('background work is claimed by one replica of the cluster', async () => {
  const claims = await Promise.all([a, b, a, b].map((r) => r.locks.claim('orphan-sweep-test', 5_000)));
  expect(claims.filter(Boolean)).toHaveLength(1);
});
