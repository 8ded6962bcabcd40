import { Readable } from 'node:stream';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DATASET_KINDS, tablesOf } from '../../src/datasets/dataset-kinds';
import { MAX_LOAD_ATTEMPTS } from '../../src/ingest/ingest-service';
import { sql, trustedSql, trustedTable } from '../../src/warehouse/sql';
import { fillStatement } from '../../src/ingest/rollup-fill';
import { stageTable } from '../../src/ingest/staged-load';
import { expectLoadedOnce, firstRow, stagesLeft } from '../support/consistency';
import { expectedKpis, generateSalesRows, toCsv } from '../support/sales-fixture';
import { openTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;

beforeAll(async () => {
  stack = await openTestStack({ maxBytes: 64 * 1024 });
});

afterAll(async () => {
  await stack.close();
});

const ingest = (dataset: string, csv: string) =>
  stack.ingest.ingest({ dataset, kind: 'sales', body: Readable.from([Buffer.from(csv)]) });

/** Rows of the dataset in the raw table and as counted by each rollup (hourly, daily). */
async function counts(dataset: string): Promise<{ raw: number; hourly: number; daily: number }> {
  const db = stack.warehouse.database;
  const { rows } = await stack.warehouse.query<{ raw: string; hourly: string; daily: string }>(
    sql`SELECT (SELECT count() FROM ${trustedTable(db, 'sales_raw')} WHERE dataset = ${dataset}) AS raw,
        (SELECT sum(transactions) FROM ${trustedTable(db, 'sales_h1')} WHERE dataset = ${dataset}) AS hourly,
        (SELECT sum(transactions) FROM ${trustedTable(db, 'sales_daily')} WHERE dataset = ${dataset}) AS daily`,
  );
  const row = firstRow(rows);
  return { raw: Number(row.raw), hourly: Number(row.hourly), daily: Number(row.daily) };
}

describe('ingest: HTTP body → S3 → ClickHouse raw table + hourly rollup', () => {
  test('a file loads completely; the rollups agree with the raw rows', async () => {
    const rows = generateSalesRows({ seed: 7, rows: 400, from: new Date('2025-01-01T00:00:00Z'), days: 30 });
    const upload = await ingest('ing-ok', toCsv(rows));
    expect(upload).toMatchObject({ status: 'LOADED', rowsLoaded: 400, errorCode: null });
    expect(await stack.store.exists(upload.objectKey)).toBe(true);
    const db = stack.warehouse.database;
    const { rows: found } = await stack.warehouse.query<Record<string, string>>(
      trustedSql(`SELECT
           (SELECT toString(sum(grossRevenue)) FROM ${db}.sales_raw WHERE dataset = 'ing-ok') AS rawGross,
           (SELECT toString(sum(grossRevenueSum)) FROM ${db}.sales_h1 WHERE dataset = 'ing-ok') AS rollupGross,
           (SELECT toString(sum(grossRevenueSum)) FROM ${db}.sales_daily WHERE dataset = 'ing-ok') AS dailyGross,
           (SELECT toString(sum(totalCost)) FROM ${db}.sales_raw WHERE dataset = 'ing-ok') AS rawCost,
           (SELECT toString(sum(totalCostSum)) FROM ${db}.sales_h1 WHERE dataset = 'ing-ok') AS rollupCost,
           (SELECT toString(sum(totalCostSum)) FROM ${db}.sales_daily WHERE dataset = 'ing-ok') AS dailyCost`),
    );
    const sums = firstRow(found);
    expect(sums.rollupGross).toBe(sums.rawGross);
    expect(sums.dailyGross).toBe(sums.rawGross);
    expect(sums.rollupCost).toBe(sums.rawCost);
    expect(sums.dailyCost).toBe(sums.rawCost);
    await expectLoadedOnce(stack.warehouse, 'ing-ok', 400);
    expect(Number(sums.rawGross)).toBe((expectedKpis(rows).totalRevenue as { value: number }).value);
  });

  test('an empty quoted money cell is NULL (coverage drops), never 0', async () => {
    const upload = await ingest(
      'ing-empty-cells',
      'time,grossRevenue,returnsValue,totalCost\n2025-01-01T10:00:00Z,10.00,"",\n2025-01-01T11:00:00Z,5.50,-1.25,2\n',
    );
    expect(upload.status).toBe('LOADED');
    const { rows } = await stack.warehouse.query<{ r: string; c: string }>(
      trustedSql(
        `SELECT count(returnsValue) AS r, count(totalCost) AS c FROM ${stack.warehouse.database}.sales_raw WHERE dataset = 'ing-empty-cells'`,
      ),
    );
    expect(rows[0]).toEqual({ r: '1', c: '1' });
  });

  test.each([
    [
      'a non-numeric money value',
      'time,grossRevenue\n2025-01-01T10:00:00Z,10.00\n2025-01-01T11:00:00Z,ten\n',
      'INVALID_DATA',
    ],
    ['an unparseable date', 'time,grossRevenue\nyesterday-ish,10.00\n', 'INVALID_DATA'],
    ['an empty required cell', 'time,grossRevenue\n2025-01-01T10:00:00Z,\n', 'INVALID_DATA'],
    ['a row with too many columns', 'time,grossRevenue\n2025-01-01T10:00:00Z,1,2\n', 'INVALID_DATA'],
    ['a missing required column', 'time,branch\n2025-01-01T10:00:00Z,x\n', 'BAD_HEADER'],
    [
      'duplicate headers for one column',
      'time,__time,grossRevenue\n2025-01-01T10:00:00Z,2025-01-01T10:00:00Z,1\n',
      'BAD_HEADER',
    ],
    ['an empty file', '', 'EMPTY_FILE'],
    ['a header-only file', 'time,grossRevenue\n', 'NO_ROWS'],
  ])('%s is rejected and leaves no rows in raw or the rollups', async (_what, csv, code) => {
    const dataset = `ing-bad-${code.toLowerCase()}`;
    const before = await counts(dataset);
    const upload = await ingest(dataset, csv);
    expect(upload).toMatchObject({ status: 'REJECTED', errorCode: code, rowsLoaded: 0 });
    expect(upload.errorMessage).toBeTruthy();
    expect(await counts(dataset)).toEqual(before);
    expect(stack.catalog.get(dataset)?.hiddenUploads.size ?? 0).toBe(0);
  });

  test('a body over the size limit is refused with UPLOAD_TOO_LARGE and nothing is kept', async () => {
    const big = `time,grossRevenue\n${'2025-01-01T10:00:00Z,1.00\n'.repeat(4000)}`;
    await expect(ingest('ing-big', big)).rejects.toMatchObject({ code: 'UPLOAD_TOO_LARGE' });
    expect((await stack.ledger.page({ dataset: 'ing-big' }, 10)).uploads).toEqual([]);
  });

  describe('a body whose length was declared (HTTP Content-Length) is stored in one request', () => {
    const storedKeys = async (dataset: string) => {
      const listed = await stack.store.client.send(
        new ListObjectsV2Command({ Bucket: stack.store.bucket, Prefix: `uploads/${dataset}/` }),
      );
      return (listed.Contents ?? []).map((object) => object.Key);
    };

    test('byte for byte, then loaded', async () => {
      const csv = Buffer.from(
        toCsv(generateSalesRows({ seed: 8, rows: 200, from: new Date('2025-02-01T00:00:00Z'), days: 3 })),
      );
      const upload = await stack.ingest.ingest({
        dataset: 'ing-one-put',
        kind: 'sales',
        body: Readable.from([csv.subarray(0, 1000), csv.subarray(1000)]),
        bytes: csv.length,
      });
      expect(upload).toMatchObject({ status: 'LOADED', rowsLoaded: 200, bytes: csv.length });
      const chunks: Buffer[] = [];
      for await (const chunk of await stack.store.getStream(upload.objectKey)) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(csv)).toBe(true);
    });

    test('a body that breaks off part-way fails the upload: nothing stored, nothing recorded', async () => {
      const head = Buffer.from(`time,grossRevenue\n${'2025-01-01T10:00:00Z,1.00\n'.repeat(300)}`);
      const body = new Readable({ read() {} });
      body.push(head);
      setTimeout(() => body.destroy(new Error('client went away')), 50);
      await expect(
        stack.ingest.ingest({ dataset: 'ing-one-put-broken', kind: 'sales', body, bytes: head.length * 2 }),
      ).rejects.toThrow();
      expect(await storedKeys('ing-one-put-broken')).toEqual([]);
      expect((await stack.ledger.page({ dataset: 'ing-one-put-broken' }, 10)).uploads).toEqual([]);
    });

    test('a body past the size limit is refused with UPLOAD_TOO_LARGE: nothing stored, nothing recorded', async () => {
      const big = Buffer.from(`time,grossRevenue\n${'2025-01-01T10:00:00Z,1.00\n'.repeat(4000)}`);
      await expect(
        stack.ingest.ingest({
          dataset: 'ing-one-put-big',
          kind: 'sales',
          body: Readable.from([big]),
          bytes: big.length,
        }),
      ).rejects.toMatchObject({ code: 'UPLOAD_TOO_LARGE' });
      expect(await storedKeys('ing-one-put-big')).toEqual([]);
      expect((await stack.ledger.page({ dataset: 'ing-one-put-big' }, 10)).uploads).toEqual([]);
    });
  });

  test('an upload interrupted mid-load is found at start: partial rows removed, loaded again exactly once', async () => {
    const csv = 'time,grossRevenue\n2025-01-01T10:00:00Z,1.00\n2025-01-01T11:00:00Z,2.50\n';
    const stored = await ingest('ing-crash', csv);
    for (const table of tablesOf(DATASET_KINDS.sales)) {
      await stack.warehouse.command(
        sql`ALTER TABLE ${trustedTable(stack.warehouse.database, table)} DELETE WHERE upload_id = ${stored.id}`,
        { settings: { mutations_sync: '2' } },
      );
    }
    // What a crash leaves behind: a LOADING ledger row, its staging table (and a dead upload's
    // stage), some rollups already filled and rows already moved into the raw table.
    const crashed = { ...stored, status: 'LOADING' as const, rowsLoaded: 0, attempts: 1 };
    await stack.ledger.save(crashed);
    await stack.catalog.apply(crashed);
    const db = stack.warehouse.database;
    const stages = [stageTable(stored.id), stageTable('5d1c2b3a-0000-4000-8000-000000000001')];
    for (const stage of stages) {
      await stack.warehouse.command(
        sql`CREATE TABLE ${trustedTable(db, stage)} AS ${trustedTable(db, 'sales_raw')}`,
      );
      await stack.warehouse.command(
        sql`INSERT INTO ${trustedTable(db, stage)} (dataset, upload_id, time, grossRevenue)
          VALUES ('ing-crash', ${stored.id}, '2025-01-01 12:00:00', 99)`,
      );
    }
    for (const level of DATASET_KINDS.sales.rollups.filter((l) => !l.from && l.grain !== 'q15'))
      await stack.warehouse.command(
        fillStatement({
          kind: DATASET_KINDS.sales,
          level,
          target: trustedTable(db, level.table),
          source: trustedTable(db, stageTable(stored.id)),
        }),
      );
    await stack.warehouse.command(
      sql`ALTER TABLE ${trustedTable(db, 'sales_raw')} ATTACH PARTITION ALL FROM ${trustedTable(db, stageTable(stored.id))}`,
    );
    expect(await counts('ing-crash')).toEqual({ raw: 1, hourly: 1, daily: 1 });
    expect(await stagesLeft(stack.warehouse)).toEqual([...stages].sort());

    const resumed = await stack.ingest.recoverInterrupted();
    expect(resumed.map((u) => [u.id, u.status])).toEqual([[stored.id, 'RECEIVED']]);
    await stack.ingest.idle();
    expect(await stack.ledger.get(stored.id)).toMatchObject({ status: 'LOADED', rowsLoaded: 2, attempts: 2 });
    expect(await counts('ing-crash')).toEqual({ raw: 2, hourly: 2, daily: 2 });
    await expectLoadedOnce(stack.warehouse, 'ing-crash', 2);
    expect(await stagesLeft(stack.warehouse)).toEqual([]);
    expect(stack.catalog.get('ing-crash')?.hiddenUploads.size).toBe(0);
  });

  test(`an upload that died during ${MAX_LOAD_ATTEMPTS} load attempts is marked FAILED with nothing kept`, async () => {
    const stored = await ingest('ing-crash-loop', 'time,grossRevenue\n2025-01-01T10:00:00Z,1.00\n');
    const crashed = { ...stored, status: 'LOADING' as const, attempts: MAX_LOAD_ATTEMPTS };
    await stack.ledger.save(crashed);
    await stack.catalog.apply(crashed);
    expect(await stack.ingest.recoverInterrupted()).toEqual([]);
    expect(await stack.ledger.get(stored.id)).toMatchObject({ status: 'FAILED', errorCode: 'INTERRUPTED' });
    expect(await counts('ing-crash-loop')).toEqual({ raw: 0, hourly: 0, daily: 0 });
  });
});

describe('numbers are exact or refused', () => {
  test.each([
    ['more decimals than money keeps', 'time,grossRevenue\n2025-01-01T10:00:00Z,12.34567\n'],
    ['a thousands separator', 'time,grossRevenue\n2025-01-01T10:00:00Z,"1,234.50"\n'],
    ['a fractional line item count', 'time,grossRevenue,lineItemCount\n2025-01-01T10:00:00Z,12,1.5\n'],
  ])('%s is rejected instead of being truncated', async (_what, csv) => {
    const upload = await ingest('ing-exact', csv);
    expect(upload).toMatchObject({ status: 'REJECTED', errorCode: 'INVALID_DATA' });
    expect(upload.errorMessage).toMatch(
      /line 2, column (grossRevenue|lineItemCount): .* is not a (decimal number with at most 4 decimal places|whole number)/,
    );
    expect(upload.rowErrors).toHaveLength(1);
  });
});

describe('counts that cannot be negative', () => {
  test('a negative vote count in a turnout file is a row error naming line, column and reason', async () => {
    const csv =
      'time,electionId,constituencyId,bulletinsIssued,votesCast\n2025-05-01T08:00:00Z,E1,C1,10,9\n2025-05-01T09:00:00Z,E1,C2,5,-3\n';
    const upload = await stack.ingest.ingest({
      dataset: 'neg-votes',
      kind: 'turnout',
      body: Readable.from([Buffer.from(csv)]),
    });
    expect(upload).toMatchObject({ status: 'REJECTED', rowsLoaded: 0 });
    const errors = await stack.ingest.rowErrors.page(upload.id, 10, 0);
    expect(errors.map((e) => [e.line, e.column, e.reason])).toEqual([
      [3, 'votesCast', expect.stringContaining('must not be negative')],
    ]);
  });
});
