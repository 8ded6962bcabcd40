import { Readable } from 'node:stream';
import { DatasetDirectory } from '../../src/datasets/dataset-directory';
import { IngestService } from '../../src/ingest/ingest-service';
import { sql, trustedSql, trustedTable } from '../../src/warehouse/sql';
import { stageTable } from '../../src/ingest/staged-load';
import { expectLoadedOnce, rowsOfUpload, salesTablesWith, stagesLeft } from '../support/consistency';
import { whileLoadsFail } from '../support/failing-load';
import { generateSalesRows, toCsv } from '../support/sales-fixture';
import { openTestStack, silentLogger, type TestStack } from '../support/test-stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack();
});
afterAll(async () => {
  await stack.close();
});

const ingest = (dataset: string, csv: string, options: { maxBadRows?: number; replaces?: string } = {}) =>
  stack.ingest.ingest({ dataset, kind: 'sales', ...options, body: Readable.from([Buffer.from(csv)]) });
const csvOf = (seed: number, rows: number, from = '2025-01-01T00:00:00Z') =>
  toCsv(generateSalesRows({ seed, rows, from: new Date(from), days: 10 }));

describe('the same file twice loads once', () => {
  test('the second upload is DUPLICATE of the first, and nothing is counted twice', async () => {
    const csv = csvOf(1, 300);
    const first = await ingest('dup', csv);
    const second = await ingest('dup', csv);
    expect(first).toMatchObject({ status: 'LOADED', rowsLoaded: 300 });
    expect(second).toMatchObject({
      status: 'DUPLICATE',
      duplicateOf: first.id,
      rowsLoaded: 0,
      sha256: first.sha256,
    });
    expect(await stack.store.exists(second.objectKey)).toBe(false);
    await expectLoadedOnce(stack.warehouse, 'dup', 300);
    expect(stack.catalog.get('dup')).toMatchObject({ rows: 300, loadedUploads: 1 });
  });

  test('two identical uploads arriving together: one loads, the other is its DUPLICATE', async () => {
    const csv = csvOf(2, 200);
    const both = await Promise.all([ingest('dup-race', csv), ingest('dup-race', csv)]);
    expect(both.map((u) => u.status).sort()).toEqual(['DUPLICATE', 'LOADED']);
    await expectLoadedOnce(stack.warehouse, 'dup-race', 200);
  });

  test('after a restart, the catalog rebuilt from the ledger still knows the loaded content', async () => {
    const csv = csvOf(13, 30);
    const first = await ingest('dup-restart', csv);
    const catalog = await DatasetDirectory.fromUploads(await stack.ledger.all());
    const restarted = new IngestService({
      warehouse: stack.warehouse,
      store: stack.store,
      ledger: stack.ledger,
      directory: catalog,
      logger: silentLogger,
      maxBytes: 1024 ** 3,
    });
    const again = await restarted.ingest({
      dataset: 'dup-restart',
      kind: 'sales',
      body: Readable.from([Buffer.from(csv)]),
    });
    expect(again).toMatchObject({ status: 'DUPLICATE', duplicateOf: first.id });
    await expectLoadedOnce(stack.warehouse, 'dup-restart', 30);
  });

  test('the same content in another dataset is not a duplicate', async () => {
    const csv = csvOf(3, 50);
    await ingest('dup-a', csv);
    expect(await ingest('dup-b', csv)).toMatchObject({ status: 'LOADED', rowsLoaded: 50 });
  });
});

describe('retrying a failed load never double-counts', () => {
  test('a load that failed half-way and left rows and its stage behind loads exactly once on retry', async () => {
    const db = stack.warehouse.database;
    const failed = await whileLoadsFail(stack.warehouse, () => ingest('retry', csvOf(4, 250)));
    expect(failed).toMatchObject({ status: 'FAILED', errorCode: 'LOAD_FAILED' });
    expect(await rowsOfUpload(stack.warehouse, failed.id)).toEqual(salesTablesWith(0));
    // What a load killed half-way can leave: its staging table, rows in raw and a rollup under the upload's id.
    const stage = trustedTable(db, stageTable(failed.id));
    await stack.warehouse.command(sql`CREATE TABLE ${stage} AS ${trustedTable(db, 'sales_raw')}`);
    for (const table of ['sales_raw', stageTable(failed.id)])
      await stack.warehouse.command(
        sql`INSERT INTO ${trustedTable(db, table)} (dataset, upload_id, time, grossRevenue)
            VALUES ('retry', ${failed.id}, '2025-01-03 10:00:00', 123.45)`,
      );
    await stack.warehouse.command(
      sql`INSERT INTO ${trustedTable(db, 'sales_q15')} (dataset, bucket, upload_id, transactions)
          VALUES ('retry', '2025-01-03 10:00:00', ${failed.id}, 1)`,
    );
    // A retry is one more attempt: the failed load was the first.
    const retried = await stack.ingest.retry(failed.id);
    expect(retried).toMatchObject({ id: failed.id, status: 'LOADED', rowsLoaded: 250, attempts: 2 });
    await expectLoadedOnce(stack.warehouse, 'retry', 250);
    expect(await stagesLeft(stack.warehouse)).toEqual([]);
    await expect(stack.ingest.retry(failed.id)).rejects.toMatchObject({ code: 'UPLOAD_STATE' });
  });
});

describe('the count check covers every rollup', () => {
  test('a daily rollup that counted rows twice fails the load with COUNT_MISMATCH and nothing is kept', async () => {
    const db = stack.warehouse.database;
    // A view into the daily rollup from the hourly one: every row of a load is counted there twice.
    await stack.warehouse.command(
      trustedSql(
        `CREATE MATERIALIZED VIEW ${db}.doubling_mv TO ${db}.sales_daily AS SELECT dataset, toStartOfDay(bucket) AS day, upload_id, sum(transactions) AS transactions FROM ${db}.sales_h1 GROUP BY dataset, day, upload_id`,
      ),
    );
    let upload;
    try {
      upload = await ingest('count-daily', csvOf(12, 60));
    } finally {
      await stack.warehouse.command(trustedSql(`DROP VIEW ${db}.doubling_mv`));
    }
    expect(upload).toMatchObject({
      status: 'FAILED',
      errorCode: 'COUNT_MISMATCH',
      errorMessage: 'The raw table received 60 rows but the daily rollup counted 120; nothing was kept.',
    });
    expect(await rowsOfUpload(stack.warehouse, upload.id)).toEqual(salesTablesWith(0));
    const retried = await stack.ingest.retry(upload.id);
    expect(retried).toMatchObject({ status: 'LOADED', rowsLoaded: 60 });
    await expectLoadedOnce(stack.warehouse, 'count-daily', 60);
  });
});

describe('replace mode corrects earlier data explicitly', () => {
  test('a REPLACE upload swaps the rows of the upload it names; the old one becomes REPLACED', async () => {
    const original = await ingest('repl', csvOf(5, 120));
    await ingest('repl', csvOf(6, 30, '2025-02-01T00:00:00Z'));
    const correction = await ingest('repl', csvOf(7, 80), { replaces: original.id });
    expect(correction).toMatchObject({
      status: 'LOADED',
      mode: 'REPLACE',
      replaces: original.id,
      rowsLoaded: 80,
    });
    expect(await stack.ledger.get(original.id)).toMatchObject({
      status: 'REPLACED',
      replacedBy: correction.id,
    });
    await expectLoadedOnce(stack.warehouse, 'repl', 110);
    expect(await rowsOfUpload(stack.warehouse, original.id)).toEqual(salesTablesWith(0));
    expect(stack.catalog.get('repl')).toMatchObject({ rows: 110, loadedUploads: 2 });
    expect(stack.catalog.get('repl')?.hiddenUploads.size).toBe(0);
  });

  test('re-uploading replaced content is a DUPLICATE, not an accidental reload', async () => {
    const csv = csvOf(8, 40);
    const original = await ingest('repl-again', csv);
    await ingest('repl-again', csvOf(9, 40), { replaces: original.id });
    expect(await ingest('repl-again', csv)).toMatchObject({ status: 'DUPLICATE', duplicateOf: original.id });
    await expectLoadedOnce(stack.warehouse, 'repl-again', 40);
  });

  test('replaces must name a LOADED upload of the same dataset', async () => {
    const other = await ingest('repl-other', csvOf(10, 5));
    await expect(ingest('repl-x', csvOf(11, 5), { replaces: other.id })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(ingest('repl-x', csvOf(11, 5), { replaces: 'no-such-upload' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });
});

describe('late and out-of-order data', () => {
  test('rows arriving late, out of order and with offsets land in their own UTC hour', async () => {
    await ingest('late', 'time,grossRevenue\n2025-03-10T10:15:00Z,5\n2025-03-10T10:45:00Z,7\n');
    await ingest(
      'late',
      'time,grossRevenue\n2025-03-10T10:59:59Z,1\n2025-01-05T23:30:00Z,2\n2025-03-10T14:20:00+03:00,4\n2025-03-10T09:00:00Z,8\n',
    );
    const { rows } = await stack.warehouse.query<{ hour: string; n: string; gross: string }>(
      trustedSql(
        `SELECT toString(bucket) AS hour, toString(sum(transactions)) AS n, toString(sum(grossRevenueSum)) AS gross FROM ${stack.warehouse.database}.sales_h1 WHERE dataset = 'late' GROUP BY hour ORDER BY hour`,
      ),
    );
    expect(rows).toEqual([
      { hour: '2025-01-05 23:00:00', n: '1', gross: '2' },
      { hour: '2025-03-10 09:00:00', n: '1', gross: '8' },
      { hour: '2025-03-10 10:00:00', n: '3', gross: '13' },
      { hour: '2025-03-10 11:00:00', n: '1', gross: '4' },
    ]);
    await expectLoadedOnce(stack.warehouse, 'late', 6);
  });
});
