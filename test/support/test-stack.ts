import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../src/config/logger';
import { KpiCache } from '../../src/cache/kpi-cache';
import { DatasetDirectory } from '../../src/datasets/dataset-directory';
import { IngestService } from '../../src/ingest/ingest-service';
import { UploadLedger } from '../../src/ingest/upload-ledger';
import { KpiService } from '../../src/kpi/kpi-service';
import {
  startEmbeddedS3,
  type EmbeddedS3Options,
  type EmbeddedS3Server,
} from '../../src/storage/embedded-s3-server';
import { S3ObjectStore } from '../../src/storage/s3-object-store';
import { createWarehouse } from '../../src/warehouse/create-warehouse';
import { migrate } from '../../src/warehouse/migrations';
import { sql, trustedIdentifier } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import Keyv from 'keyv';

/**
 * A real stack for integration tests: chDB (one data path per jest worker process, as chDB allows
 * one path per process) with a fresh random database per test file, and a real S3 server.
 */
export interface TestStack {
  readonly warehouse: Warehouse;
  readonly s3: EmbeddedS3Server;
  readonly store: S3ObjectStore;
  readonly ledger: UploadLedger;
  readonly catalog: DatasetDirectory;
  readonly ingest: IngestService;
  readonly kpi: KpiService;
  readonly cache: KpiCache;
  close(): Promise<void>;
}

export const silentLogger = createLogger('silent');

export function workerChdbPath(): string {
  return path.join(os.tmpdir(), 'kpi-gateway-tests', `chdb-${process.pid}`);
}

/** A fresh key pair per store: the embedded S3 server refuses anything not signed with it. */
export function testS3Credentials(): { accessKeyId: string; secretAccessKey: string } {
  return {
    accessKeyId: `TEST${randomBytes(6).toString('hex')}`,
    secretAccessKey: randomBytes(24).toString('hex'),
  };
}

export async function openWarehouse(poolSize = 2): Promise<Warehouse> {
  const warehouse = await createWarehouse({
    mode: 'embedded',
    path: workerChdbPath(),
    poolSize,
    database: `kpi_test_${randomBytes(6).toString('hex')}`,
  });
  await migrate(warehouse);
  return warehouse;
}

export async function openTestStack(
  options: { maxBytes?: number; gate?: EmbeddedS3Options['gate']; sizeRule?: boolean } = {},
): Promise<TestStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-gw-s3-'));
  const credentials = testS3Credentials();
  const s3 = await startEmbeddedS3({
    directory: dir,
    port: 0,
    bucket: 'test-uploads',
    credentials,
    gate: options.gate,
  });
  const store = new S3ObjectStore({
    endpoint: s3.endpoint,
    endpointForClickHouse: s3.endpoint,
    region: 'us-east-1',
    bucket: 'test-uploads',
    ...credentials,
    forcePathStyle: true,
  });
  const warehouse = await openWarehouse();
  const ledger = new UploadLedger(warehouse);
  const catalog = await DatasetDirectory.fromUploads(await ledger.all());
  const cache = new KpiCache(new Keyv({ store: new Map() }), 60, silentLogger);
  const ingest = new IngestService({
    warehouse,
    store,
    ledger,
    directory: catalog,
    logger: silentLogger,
    maxBytes: options.maxBytes ?? 1024 ** 3,
  });
  // Test files are tiny: with the size rule every question would read raw, and the rollups the
  // tests pin would go unexercised. Tests of the size rule itself turn it on.
  const kpi = new KpiService(warehouse, catalog, cache, { sizeRule: options.sizeRule ?? false });
  return {
    warehouse,
    s3,
    store,
    ledger,
    catalog,
    ingest,
    kpi,
    cache,
    async close() {
      await warehouse.command(sql`DROP DATABASE IF EXISTS ${trustedIdentifier(warehouse.database)}`);
      store.close();
      await warehouse.close();
      await s3.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
