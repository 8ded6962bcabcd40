import { randomBytes } from 'node:crypto';
import { DATASET_KINDS } from '../../src/datasets/dataset-kinds';
import { AppError } from '../../src/errors/app-error';
import { UploadLedger } from '../../src/ingest/upload-ledger';
import { createWarehouse } from '../../src/warehouse/create-warehouse';
import { migrate, readMigrations, statementsOf } from '../../src/warehouse/migrations';
import { param, sql, trustedSql, trustedTable } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { expectLoadedOnce, firstRow } from '../support/consistency';
import { openWarehouse, workerChdbPath } from '../support/test-stack';

let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await openWarehouse(2);
});

afterAll(async () => {
  await warehouse.command(trustedSql(`DROP DATABASE IF EXISTS ${warehouse.database}`));
  await warehouse.close();
});

describe('warehouse over chDB through @clickhouse/client', () => {
  test('values are bound server-side and statistics come back', async () => {
    const result = await warehouse.query<{ s: string; n: string }>(
      sql`SELECT ${"it's \\ fine"} AS s, count() AS n FROM numbers(${param(1000, 'UInt32')})`,
    );
    expect(result.rows).toEqual([{ s: "it's \\ fine", n: '1000' }]);
    expect(result.statistics.rowsRead).toBe(1000);
  });

  test('every session of the pool returns decimals and 64-bit integers as exact text, set once per session', async () => {
    const statements: string[] = [];
    const stop = warehouse.onQuery((event) => statements.push(event.query));
    // Two at once: the pool hands them to different sessions.
    const exact =
      "SELECT toDecimal128('123456789012345678.1234', 4) AS d, toUInt64('18446744073709551615') AS u, getSetting('optimize_use_projections') AS p";
    const rows = await Promise.all([warehouse.query(trustedSql(exact)), warehouse.query(trustedSql(exact))]);
    stop();
    for (const {
      rows: [row],
    } of rows)
      expect(row).toEqual({ d: '123456789012345678.1234', u: '18446744073709551615', p: false });
    expect(statements).toEqual([exact, exact]);
  });

  test('a slow query on one session does not hold up a fast one on another', async () => {
    const order: string[] = [];
    // ~1.5 s of deliberate work: sleepEachRow keeps the first session busy.
    const slow = warehouse
      .query(trustedSql('SELECT sleepEachRow(0.5) FROM numbers(3) SETTINGS max_block_size = 1'))
      .then(() => order.push('slow'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await warehouse.query(trustedSql('SELECT 1')).then(() => order.push('fast'));
    await slow;
    expect(order).toEqual(['fast', 'slow']);
  });

  test("errors are typed, keep ClickHouse's code and the cause", async () => {
    const error = await warehouse
      .query(trustedSql('SELECT no_such_column FROM numbers(1)'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'WAREHOUSE_ERROR', details: { clickhouseCode: '47' } });
    expect((error as AppError).cause).toBeDefined();
  });

  test('migrations are recorded and applied once; an edited migration is refused', async () => {
    expect(await migrate(warehouse)).toEqual([]);
    const { rows } = await warehouse.query<{ version: number }>(
      trustedSql(`SELECT version FROM ${warehouse.database}.schema_migrations ORDER BY version`),
    );
    expect(rows.map((r) => Number(r.version))).toEqual(readMigrations().map((m) => m.version));
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'changed' } : m));
    await expect(migrate(warehouse, edited)).rejects.toThrow(/was edited after it was applied/);
  });
});

/** A database of its own, dropped afterwards: a test migrates it step by step. */
async function withOlderDatabase(work: (older: Warehouse) => Promise<void>): Promise<void> {
  const older = await createWarehouse({
    mode: 'embedded',
    path: workerChdbPath(),
    poolSize: 1,
    database: `kpi_mig_${randomBytes(6).toString('hex')}`,
  });
  try {
    await work(older);
  } finally {
    await older.command(trustedSql(`DROP DATABASE IF EXISTS ${older.database}`));
    await older.close();
  }
}

describe('the daily rollup migration', () => {
  /** Sales rows straight into the raw table (the views roll them up), spread over ~3 months, with NULLs. */
  const insertRaw = (w: Warehouse, from: number, count: number) =>
    w.command(
      sql`INSERT INTO ${trustedTable(w.database, 'sales_raw')} (dataset, upload_id, time, branch, salesPerson, customer, grossRevenue, returnsValue, totalCost, lineItemCount)
         SELECT 'mig', if(number % 3 = 0, 'u1', 'u2'), toDateTime('2025-01-01 00:00:00', 'UTC') + number * 1553, [NULL, 'A', 'B'][number % 3 + 1], if(number % 4 = 0, NULL, 'S'),
                if(number % 7 = 0, NULL, toString(number % 50)), toDecimal64((number % 997) / 4, 4), if(number % 5 = 0, NULL, -toDecimal64(number % 13, 4)),
                toDecimal64((number % 331) / 8, 4), if(number % 6 = 0, NULL, toInt64(number % 4))
         FROM numbers(${param(from, 'UInt64')}, ${param(count, 'UInt64')})`,
    );

  test('backfills what was loaded before it exactly, and a run interrupted half-way starts again from nothing', async () => {
    await withOlderDatabase(async (older) => {
      const all = readMigrations();
      const daily = all.find((m) => m.name === 'sales_daily')!;
      await migrate(
        older,
        all.filter((m) => m.version < daily.version),
      );
      await insertRaw(older, 0, 5000);
      // An earlier attempt that died during the backfill: tables and view created, part of the rows written, nothing recorded.
      for (const statement of statementsOf(daily, older.database).slice(0, -1))
        await older.command(statement);
      await older.command(
        trustedSql(
          `INSERT INTO ${older.database}.sales_daily (dataset, day, upload_id, transactions) VALUES ('mig', '2025-01-01 00:00:00', 'u1', 7)`,
        ),
      );

      expect(
        (
          await migrate(
            older,
            all.filter((m) => m.version <= daily.version),
          )
        ).map((m) => m.name),
      ).toEqual(['sales_daily']);
      const asOf0005 = DATASET_KINDS.sales.rollups.filter((l) => ['daily', 'hourly'].includes(l.grain));
      await expectLoadedOnce(older, 'mig', 5000, asOf0005);
      // From now on the view keeps the daily rollup in step with the raw table.
      await insertRaw(older, 5000, 1200);
      await expectLoadedOnce(older, 'mig', 6200, asOf0005);
      const { rows } = await older.query<{ hourly: string; daily: string; days: string }>(
        trustedSql(
          `SELECT (SELECT count() FROM ${older.database}.sales_hourly FINAL) AS hourly, (SELECT count() FROM ${older.database}.sales_daily FINAL) AS daily, (SELECT uniqExact(toDate(time)) FROM ${older.database}.sales_raw) AS days`,
        ),
      );
      // One daily row per (day, branch, salesPerson, upload) at most.
      const counted = firstRow(rows);
      expect(Number(counted.daily)).toBeLessThanOrEqual(Number(counted.days) * 3 * 2 * 2);
      expect(Number(counted.daily)).toBeLessThan(Number(counted.hourly));
    });
  });
});

describe('the rollups sized to the questions (migrations 0007, 0008)', () => {
  test('backfill every new rollup exactly from what was loaded before, exact distinct states included; a run interrupted half-way starts again from nothing', async () => {
    await withOlderDatabase(async (older) => {
      const all = readMigrations();
      const rollups = all.find((m) => m.name === 'sales_rollups')!;
      await migrate(
        older,
        all.filter((m) => m.version < rollups.version),
      );
      await older.command(
        sql`INSERT INTO ${trustedTable(older.database, 'sales_raw')} (dataset, upload_id, time, branch, productLine, customer, item, grossRevenue, returnsValue)
           SELECT 'mig', if(number % 3 = 0, 'u1', 'u2'), toDateTime('2025-01-01 00:00:00', 'UTC') + number * 977, [NULL, 'A', 'B'][number % 3 + 1],
                  if(number % 4 = 0, NULL, 'P'), if(number % 7 = 0, NULL, toString(number % 50)), toString(number % 13),
                  toDecimal64((number % 997) / 4, 4), if(number % 5 = 0, NULL, -toDecimal64(number % 13, 4))
           FROM numbers(4000)`,
      );
      // An earlier attempt that died during the backfills: every table and view created, part of the rows written, nothing recorded.
      const statements = statementsOf(rollups, older.database);
      for (const statement of statements.slice(0, -3)) await older.command(statement);
      await older.command(
        trustedSql(
          `INSERT INTO ${older.database}.sales_h1 (dataset, bucket, upload_id, transactions) VALUES ('mig', '2025-01-01 00:00:00', 'u1', 7)`,
        ),
      );
      expect(
        (
          await migrate(
            older,
            all.filter((m) => m.version <= rollups.version),
          )
        ).map((m) => m.name),
      ).toEqual(['sales_rollups']);
      await expectLoadedOnce(older, 'mig', 4000);
      const distinct = (table: string, column: string, merge: boolean) =>
        older.query<{ n: string }>(
          trustedSql(
            `SELECT toString(${merge ? `uniqExactMerge(${column}U)` : `uniqExact(${column})`}) AS n FROM ${older.database}.${table} WHERE dataset = 'mig' AND upload_id = 'u2'`,
          ),
        );
      for (const column of ['customer', 'item']) {
        const raw = firstRow((await distinct('sales_raw', column, false)).rows).n;
        expect(firstRow((await distinct('sales_h1', column, true)).rows).n).toBe(raw);
        expect(firstRow((await distinct('sales_d1', column, true)).rows).n).toBe(raw);
      }

      // Migration 0008 then feeds the all-dimension daily rollup from the raw rows and drops the
      // hourly one; interrupted after its first two statements, it runs again from the start.
      const drop = all.find((m) => m.name === 'drop_sales_hourly')!;
      for (const statement of statementsOf(drop, older.database).slice(0, 2)) await older.command(statement);
      expect(
        (
          await migrate(
            older,
            all.filter((m) => m.version <= drop.version),
          )
        ).map((m) => m.name),
      ).toEqual(['drop_sales_hourly']);
      await older.command(
        sql`INSERT INTO ${trustedTable(older.database, 'sales_raw')} (dataset, upload_id, time, branch, grossRevenue)
           SELECT 'mig', 'u3', toDateTime('2025-02-01 00:00:00', 'UTC') + number * 311, 'C', toDecimal64(number, 4) FROM numbers(900)`,
      );
      await expectLoadedOnce(older, 'mig', 4900);
      const { rows: left } = await older.query<{ n: string }>(
        trustedSql(
          `SELECT toString(count()) AS n FROM system.tables WHERE database = '${older.database}' AND name LIKE 'sales_hourly%'`,
        ),
      );
      expect(firstRow(left).n).toBe('0');
    });
  });
});

describe('the distinct states of branch and salesPerson (migration 0009)', () => {
  test('rebuild the hourly and daily rollups with every state, exact for what was loaded before; a run interrupted half-way starts again from nothing', async () => {
    await withOlderDatabase(async (older) => {
      const all = readMigrations();
      const states = all.find((m) => m.name === 'sales_rollup_dimension_states')!;
      await migrate(
        older,
        all.filter((m) => m.version < states.version),
      );
      // Loaded before 0009: the views of 0007 write no branch or salesPerson state.
      await older.command(
        sql`INSERT INTO ${trustedTable(older.database, 'sales_raw')} (dataset, upload_id, time, branch, salesPerson, customer, item, grossRevenue)
           SELECT 'mig', if(number % 3 = 0, 'u1', 'u2'), toDateTime('2025-01-01 00:00:00', 'UTC') + number * 977,
                  [NULL, 'A', 'B'][number % 3 + 1], if(number % 5 = 0, NULL, toString(number % 17)),
                  toString(number % 50), toString(number % 13), toDecimal64((number % 997) / 4, 4)
           FROM numbers(4000)`,
      );
      // An earlier attempt that died during the backfill: tables and views created, part of the rows written, nothing recorded.
      const statements = statementsOf(states, older.database);
      for (const statement of statements.slice(0, -1)) await older.command(statement);
      await older.command(
        trustedSql(
          `INSERT INTO ${older.database}.sales_h1 (dataset, bucket, upload_id, transactions) VALUES ('mig', '2025-01-01 00:00:00', 'u1', 7)`,
        ),
      );
      expect(
        (
          await migrate(
            older,
            all.filter((m) => m.version <= states.version),
          )
        ).map((m) => m.name),
      ).toEqual(['sales_rollup_dimension_states']);
      await expectLoadedOnce(older, 'mig', 4000);
      // Loaded after: the views write the new states too.
      await older.command(
        sql`INSERT INTO ${trustedTable(older.database, 'sales_raw')} (dataset, upload_id, time, salesPerson, grossRevenue)
           SELECT 'mig', 'u3', toDateTime('2025-01-03 00:00:00', 'UTC') + number * 311, concat('late', toString(number % 7)), toDecimal64(number, 4) FROM numbers(900)`,
      );
      await expectLoadedOnce(older, 'mig', 4900);
      const distinct = (table: string, column: string, merge: boolean, upload: string) =>
        older.query<{ n: string }>(
          trustedSql(
            `SELECT toString(${merge ? `uniqExactMerge(${column}U)` : `uniqExact(${column})`}) AS n FROM ${older.database}.${table} WHERE dataset = 'mig' AND upload_id = '${upload}'`,
          ),
        );
      for (const upload of ['u2', 'u3'])
        for (const column of ['salesPerson', 'branch', 'customer']) {
          const raw = firstRow((await distinct('sales_raw', column, false, upload)).rows).n;
          expect({
            upload,
            column,
            h1: firstRow((await distinct('sales_h1', column, true, upload)).rows).n,
          }).toEqual({ upload, column, h1: raw });
          expect({
            upload,
            column,
            d1: firstRow((await distinct('sales_d1', column, true, upload)).rows).n,
          }).toEqual({ upload, column, d1: raw });
        }
    });
  });
});

describe('the upload ledger migration that records complete columns', () => {
  test('an upload recorded before it reads back as not counted yet (null), and a count is kept once saved', async () => {
    await withOlderDatabase(async (older) => {
      const all = readMigrations();
      const complete = all.find((m) => m.name === 'upload_complete_columns')!;
      await migrate(
        older,
        all.filter((m) => m.version < complete.version),
      );
      await older.command(
        trustedSql(`INSERT INTO ${older.database}.uploads (id, dataset, kind, object_key, status, bytes, sha256, rows_loaded, rows_rejected, columns, ignored_columns, created_at, receive_ms, load_ms, version)
             VALUES ('old', 'd', 'sales', 'k', 'LOADED', 10, 'h', 3, 0, ['time', 'grossRevenue', 'returnsValue'], [], '2025-01-01 00:00:00', 1, 1, 1)`),
      );
      expect(
        (
          await migrate(
            older,
            all.filter((m) => m.version <= complete.version),
          )
        ).map((m) => m.name),
      ).toEqual(['upload_complete_columns']);
      const ledger = new UploadLedger(older);
      expect(await ledger.get('old')).toMatchObject({
        status: 'LOADED',
        columns: ['time', 'grossRevenue', 'returnsValue'],
        completeColumns: null,
      });
      await ledger.save({ ...(await ledger.get('old'))!, completeColumns: ['returnsValue'] });
      expect((await ledger.get('old'))!.completeColumns).toEqual(['returnsValue']);
    });
  });
});

describe('bound values reach chDB exactly, and bound queries run in parallel', () => {
  test('any string round-trips byte for byte (property)', async () => {
    const fc = await import('fast-check');
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 64 }),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
        async (text, list) => {
          const { rows } = await warehouse.query<{ s: string; l: string[]; n: string }>(
            sql`SELECT ${text} AS s, ${list} AS l, length(${text}) AS n`,
          );
          const row = firstRow(rows);
          expect(row.s).toBe(text);
          expect(row.l).toEqual(list);
          expect(Number(row.n)).toBe(Buffer.byteLength(text));
        },
      ),
      { numRuns: 200 },
    );
  });

  test('a slow query with bound values does not hold up a fast one with bound values', async () => {
    const order: string[] = [];
    const slow = warehouse
      .query(sql`SELECT sleepEachRow(${0.5}) FROM numbers(3) SETTINGS max_block_size = 1`)
      .then(() => order.push('slow'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await warehouse.query(sql`SELECT ${'fast'} AS x`).then(() => order.push('fast'));
    await slow;
    expect(order).toEqual(['fast', 'slow']);
  });
});
