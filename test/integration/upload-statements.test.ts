import { Readable } from 'node:stream';
import { MemoryDataVersions, type SharedVersions } from '../../src/datasets/data-versions';
import { DatasetDirectory } from '../../src/datasets/dataset-directory';
import { DATASET_KINDS, tablesOf } from '../../src/datasets/dataset-kinds';
import { IngestService } from '../../src/ingest/ingest-service';
import { fillOrder } from '../../src/ingest/rollup-fill';
import { stageTable } from '../../src/ingest/staged-load';
import { sql, trustedIdentifier, trustedSql, trustedTable } from '../../src/warehouse/sql';
import { expectLoadedOnce, rowsOfUpload } from '../support/consistency';
import { whileLoadsFail } from '../support/failing-load';
import { generateSalesRows, toCsv } from '../support/sales-fixture';
import { openTestStack, silentLogger, type TestStack } from '../support/test-stack';

/**
 * Every statement costs a small upload milliseconds of fixed work in chDB, so the upload path
 * sends only those its guarantees need. These tests pin what each path sends; the guarantees
 * themselves are tested in ingest, idempotency and crash-recovery tests.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack();
});
afterAll(async () => {
  await stack.close();
});

const ingest = (dataset: string, csv: string) =>
  stack.ingest.ingest({ dataset, kind: 'sales', body: Readable.from([Buffer.from(csv)]) });

async function statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const stop = stack.warehouse.onQuery((event) =>
    statements.push(`${event.kind} ${event.query.replace(/\s+/g, ' ')}`),
  );
  try {
    return { result: await work(), statements };
  } finally {
    stop();
  }
}

describe('statements an upload sends', () => {
  test('a new file: the LOADING ledger row, the staged load and one fill per rollup, one count over raw and every rollup, the LOADED ledger row', async () => {
    const csv = toCsv(
      generateSalesRows({ seed: 21, rows: 300, from: new Date('2025-04-01T00:00:00Z'), days: 40 }),
    );
    const { result: upload, statements } = await statementsOf(() => ingest('stmt-new', csv));
    expect(upload).toMatchObject({ status: 'LOADED', rowsLoaded: 300 });
    const db = stack.warehouse.database;
    const stage = `${db}\\.upload_stage_${upload.id.replace(/-/g, '_')}`;
    // A small file's fills run side by side, the cascaded ones after the rest: their order varies.
    const fills = fillOrder(DATASET_KINDS.sales);
    const cascaded = fills.filter((level) => level.from).length;
    const fillText = (level: (typeof fills)[number]) =>
      expect.stringMatching(
        new RegExp(
          `^command INSERT INTO ${db}\\.${level.table} .* FROM ${level.from ? `\\(SELECT \\* FROM ${db}\\.sales_${level.from} WHERE .*\\) ` : `${stage} `}GROUP BY `,
        ),
      );
    const sent = statements.slice(3, 3 + fills.length);
    expect([...sent].sort()).toEqual(expect.arrayContaining(fills.map(fillText)));
    expect(sent.slice(-cascaded)).toEqual(fills.filter((level) => level.from).map(fillText));
    expect(statements).toEqual([
      expect.stringMatching(new RegExp(`^command INSERT INTO ${db}\\.uploads `)),
      expect.stringMatching(
        new RegExp(
          `^command CREATE TABLE ${stage} AS ${db}\\.sales_raw SETTINGS max_bytes_to_merge_at_max_space_in_pool = 1, max_bytes_to_merge_at_min_space_in_pool = 1$`,
        ),
      ),
      expect.stringMatching(new RegExp(`^command INSERT INTO ${stage} .* FROM s3\\(`)),
      ...sent,
      expect.stringMatching(
        new RegExp(`^command ALTER TABLE ${db}\\.sales_raw ATTACH PARTITION ALL FROM ${stage}$`),
      ),
      expect.stringMatching(new RegExp(`^command DROP TABLE IF EXISTS ${stage} SYNC$`)),
      expect.stringMatching(
        new RegExp(
          `^query SELECT count\\(\\) AS raw, .*${DATASET_KINDS.sales.rollups.map((l) => `\\(SELECT sum\\(transactions\\) FROM ${db}\\.${l.table} `).join('.*')}.* FROM ${db}\\.sales_raw WHERE `,
        ),
      ),
      expect.stringMatching(new RegExp(`^command INSERT INTO ${db}\\.uploads `)),
    ]);
    await expectLoadedOnce(stack.warehouse, 'stmt-new', 300);
  });

  test("a presigned slot's load keeps the clean-up: its id is known to the client, who may start it twice", async () => {
    const slot = await stack.ingest.createSlot({ dataset: 'stmt-slot', kind: 'sales' });
    const csv = toCsv(
      generateSalesRows({ seed: 24, rows: 60, from: new Date('2025-04-01T00:00:00Z'), days: 5 }),
    );
    expect((await fetch(slot.url, { method: 'PUT', body: csv })).ok).toBe(true);
    const { result: upload, statements } = await statementsOf(() => stack.ingest.startSlot(slot.upload.id));
    expect(upload).toMatchObject({ status: 'LOADED', rowsLoaded: 60 });
    const load = statements.findIndex((s) =>
      s.startsWith(`command CREATE TABLE ${stack.warehouse.database}.upload_stage_`),
    );
    expect(statements.slice(0, load)).toEqual([
      expect.stringMatching(/^query SELECT .* FROM \w+\.uploads FINAL WHERE id = /),
      expect.stringMatching(/^command INSERT INTO \w+\.uploads /),
      expect.stringMatching(
        /^query SELECT 0 AS i, count\(\) AS n FROM \w+\.sales_raw .* UNION ALL .* UNION ALL SELECT -1 AS i, count\(\) AS n FROM system\.tables /,
      ),
      expect.stringMatching(/^query SELECT count\(\) AS n FROM \w+\.upload_row_errors /),
    ]);
    await expectLoadedOnce(stack.warehouse, 'stmt-slot', 60);
  });

  test('a file already loaded: no statement but the DUPLICATE ledger row', async () => {
    const csv = toCsv(
      generateSalesRows({ seed: 22, rows: 50, from: new Date('2025-04-01T00:00:00Z'), days: 5 }),
    );
    const first = await ingest('stmt-dup', csv);
    const { result: second, statements } = await statementsOf(() => ingest('stmt-dup', csv));
    expect(second).toMatchObject({ status: 'DUPLICATE', duplicateOf: first.id });
    expect(statements).toEqual([expect.stringMatching(/^command INSERT INTO \w+\.uploads /)]);
  });

  test('a retry first removes what an earlier attempt left: one count over every table, then a delete in each table holding rows', async () => {
    const db = stack.warehouse.database;
    const failed = await whileLoadsFail(stack.warehouse, () =>
      ingest(
        'stmt-retry',
        toCsv(generateSalesRows({ seed: 23, rows: 80, from: new Date('2025-04-01T00:00:00Z'), days: 5 })),
      ),
    );
    expect(failed).toMatchObject({ status: 'FAILED', errorCode: 'LOAD_FAILED' });
    // What a load killed half-way can leave: its stage, rows under the upload's id in raw and rollups.
    const stage = trustedTable(db, stageTable(failed.id));
    await stack.warehouse.command(sql`CREATE TABLE ${stage} AS ${trustedTable(db, 'sales_raw')}`);
    for (const table of tablesOf(DATASET_KINDS.sales))
      await stack.warehouse.command(
        sql`INSERT INTO ${trustedTable(db, table)} (dataset, upload_id, ${trustedIdentifier(table === 'sales_raw' ? 'time' : table === 'sales_daily' ? 'day' : 'bucket')})
            VALUES ('stmt-retry', ${failed.id}, '2025-04-02 10:00:00')`,
      );

    const { result: retried, statements } = await statementsOf(() => stack.ingest.retry(failed.id));
    expect(retried).toMatchObject({ status: 'LOADED', rowsLoaded: 80 });
    const load = statements.findIndex((s) => s.startsWith(`command CREATE TABLE ${db}.upload_stage_`));
    expect(statements.slice(0, load)).toEqual([
      expect.stringMatching(/^query SELECT .* FROM \w+\.uploads FINAL WHERE id = /),
      expect.stringMatching(/^command INSERT INTO \w+\.uploads /),
      expect.stringMatching(
        /^query SELECT 0 AS i, count\(\) AS n FROM \w+\.sales_raw .* UNION ALL .* UNION ALL /,
      ),
      expect.stringMatching(new RegExp(`^command DROP TABLE IF EXISTS ${db}\\.upload_stage_\\w+ SYNC$`)),
      ...tablesOf(DATASET_KINDS.sales).map((table) =>
        expect.stringMatching(new RegExp(`^command ALTER TABLE ${db}\\.${table} DELETE `)),
      ),
      expect.stringMatching(/^query SELECT count\(\) AS n FROM \w+\.upload_row_errors /),
    ]);
    await expectLoadedOnce(stack.warehouse, 'stmt-retry', 80);
  });
});

describe('a small file is not merged into its rollups on insert', () => {
  test("each fill groups the upload's rows, the daily ones by day; every rollup total equals the raw one", async () => {
    const db = stack.warehouse.database;
    // Forty sales over twenty hours of one day, without dimensions.
    const csv = `time,grossRevenue\n${Array.from({ length: 40 }, (_, i) => `2025-05-01T${String(Math.floor(i / 2)).padStart(2, '0')}:${String(i).padStart(2, '0')}:00Z,${i + 1}.25`).join('\n')}\n`;
    await stack.warehouse.command(trustedSql(`SYSTEM STOP MERGES ${db}.sales_d1`));
    try {
      const upload = await ingest('small-unmerged', csv);
      expect(upload).toMatchObject({ status: 'LOADED', rowsLoaded: 40 });
      expect(await rowsOfUpload(stack.warehouse, upload.id)).toEqual({
        sales_raw: 40,
        sales_daily: 1,
        // 20 hours, 21 quarter hours, and the daily one filled from the hourly rows.
        sales_h1: 20,
        sales_q15: 21,
        sales_d1: 1,
        ...Object.fromEntries(
          ['branch', 'productLine', 'itemGroup', 'salesPerson'].map((d) => [`sales_${d}_h`, 20]),
        ),
      });
      await expectLoadedOnce(stack.warehouse, 'small-unmerged', 40);
    } finally {
      await stack.warehouse.command(trustedSql(`SYSTEM START MERGES ${db}.sales_d1`));
    }
  });
});

/** The in-memory counters, counting how often the directory asks them (each refresh reads them once). */
class CountedVersions extends MemoryDataVersions {
  reads = 0;
  override async readAll(): Promise<SharedVersions> {
    this.reads += 1;
    return super.readAll();
  }
}

describe('the dataset directory is refreshed once per upload', () => {
  test.each([
    ['a new dataset, kind given', 'refresh-new', 'sales'],
    ['a known dataset, kind left to it', 'refresh-new', undefined],
  ])('%s', async (_case, dataset, kind) => {
    const versions = new CountedVersions();
    const directory = await DatasetDirectory.fromUploads(await stack.ledger.all(), { versions });
    const ingest = new IngestService({ ...stack, directory, logger: silentLogger, maxBytes: 1024 ** 2 });
    const csv = toCsv(
      generateSalesRows({ seed: kind ? 31 : 32, rows: 20, from: new Date('2025-04-01T00:00:00Z'), days: 2 }),
    );
    versions.reads = 0;
    const upload = await ingest.ingest({ dataset, kind, body: Readable.from([Buffer.from(csv)]) });
    expect(upload.status).toBe('LOADED');
    expect(versions.reads).toBe(1);
  });
});
