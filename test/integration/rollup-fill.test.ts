import { DATASET_KINDS } from '../../src/datasets/dataset-kinds';
import { fillColumns, fillOrder, fillStatement, keyOf } from '../../src/ingest/rollup-fill';
import { StagedLoad, type StagedLoadDeps } from '../../src/ingest/staged-load';
import { migrate } from '../../src/warehouse/migrations';
import { sql, trustedTable } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { openWarehouse } from '../support/test-stack';

/**
 * The fill statements are generated from the kind registry (src/ingest/rollup-fill.ts): they must
 * write every column each rollup table has, and a level filled from a finer one must hold what a
 * fill from the raw rows would.
 */
let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await openWarehouse();
  await migrate(warehouse);
});
afterAll(async () => {
  await warehouse?.close();
});

const kindsWithRollups = Object.values(DATASET_KINDS).filter((k) => k.rollups.length > 0);

test.each(
  kindsWithRollups.flatMap((kind) => kind.rollups.map((level) => [level.table, kind, level] as const)),
)('%s: the fill writes exactly the columns of the table', async (table, kind, level) => {
  const { rows } = await warehouse.query<{ name: string }>(
    sql`SELECT name FROM system.columns WHERE database = ${warehouse.database} AND table = ${table} ORDER BY name`,
  );
  const written = [
    'dataset',
    level.timeColumn,
    ...keyOf(kind, level),
    'upload_id',
    ...fillColumns(kind, level).map((c) => c.name),
  ];
  expect([...written].sort()).toEqual(rows.map((r) => r.name).sort());
});

test('every cascaded level comes after the level it is filled from', () => {
  for (const kind of kindsWithRollups) {
    const order = fillOrder(kind).map((l) => l.grain);
    for (const level of kind.rollups.filter((l) => l.from))
      expect(order.indexOf(level.grain)).toBeGreaterThan(order.indexOf(level.from!));
  }
});

test('the daily level filled from the hourly rows equals the daily level filled from the raw rows', async () => {
  const db = warehouse.database;
  const kind = DATASET_KINDS.sales;
  const d1 = kind.rollups.find((l) => l.grain === 'd1')!;
  const h1 = kind.rollups.find((l) => l.grain === 'h1')!;
  await warehouse.command(
    sql`CREATE TABLE ${trustedTable(db, 'fill_stage')} AS ${trustedTable(db, 'sales_raw')}`,
  );
  await warehouse.command(
    sql`CREATE TABLE ${trustedTable(db, 'fill_direct')} AS ${trustedTable(db, 'sales_d1')}`,
  );
  await warehouse.command(
    sql`INSERT INTO ${trustedTable(db, 'fill_stage')} (dataset, upload_id, time, customer, item, account, grossRevenue, returnsValue, lineItemCount)
        SELECT 'fill', 'u-fill', toDateTime('2025-03-01 00:00:00', 'UTC') + number * 97, if(number % 7 = 0, NULL, concat('c', toString(number % 131))),
               concat('i', toString(number % 53)), NULL, toDecimal64(number % 1000, 4) / 7, if(number % 3 = 0, NULL, -toDecimal64(1, 4)), number % 5
        FROM numbers(20000)`,
  );
  const stage = trustedTable(db, 'fill_stage');
  await warehouse.command(
    fillStatement({ kind, level: h1, target: trustedTable(db, h1.table), source: stage }),
  );
  const hourRows = sql`(SELECT * FROM ${trustedTable(db, h1.table)} WHERE upload_id = 'u-fill')`;
  await warehouse.command(
    fillStatement({ kind, level: d1, target: trustedTable(db, d1.table), source: hourRows, sourceLevel: h1 }),
  );
  await warehouse.command(
    fillStatement({
      kind,
      level: { ...d1, from: undefined },
      target: trustedTable(db, 'fill_direct'),
      source: stage,
    }),
  );
  const columns = fillColumns(kind, d1)
    .map((c) => (c.name.endsWith('U') ? `toString(uniqExactMerge(${c.name}))` : `toString(sum(${c.name}))`))
    .join(", '|', ");
  const read = async (table: string) =>
    (
      await warehouse.query<{ line: string }>({
        query: `SELECT concat(toString(bucket), '|', ${columns}) AS line FROM ${db}.${table} WHERE upload_id = 'u-fill' GROUP BY bucket ORDER BY bucket`,
        params: {},
      })
    ).rows.map((r) => r.line);
  const viaHours = await read('sales_d1');
  expect(viaHours.length).toBeGreaterThan(20);
  expect(viaHours).toEqual(await read('fill_direct'));
});

test('a staging table keeps its parts unmerged, and they attach to the raw table', async () => {
  const db = warehouse.database;
  const kind = DATASET_KINDS.sales;
  const staged = new StagedLoad({ warehouse } as StagedLoadDeps);
  const parts = async (table: string) => {
    await warehouse.command(sql`OPTIMIZE TABLE ${trustedTable(db, table)}`);
    const { rows } = await warehouse.query<{ n: string }>(
      sql`SELECT count() AS n FROM system.parts WHERE database = ${db} AND table = ${table} AND active`,
    );
    return Number(rows[0]?.n);
  };
  // The same three inserts into a table without the stage's limit merge into one part.
  await warehouse.command(staged.createStage(kind, 'merge_stage'));
  await warehouse.command(
    sql`CREATE TABLE ${trustedTable(db, 'merge_plain')} AS ${trustedTable(db, 'sales_raw')}`,
  );
  for (const table of ['merge_stage', 'merge_plain'])
    for (let i = 0; i < 3; i += 1)
      await warehouse.command(
        sql`INSERT INTO ${trustedTable(db, table)} (dataset, upload_id, time, grossRevenue) VALUES ('merge', 'u-merge', '2025-04-01 12:00:00', 1)`,
      );
  expect(await parts('merge_stage')).toBe(3);
  expect(await parts('merge_plain')).toBe(1);
  await warehouse.command(staged.moveStatement(kind, 'merge_stage'));
  const { rows } = await warehouse.query<{ n: string }>(
    sql`SELECT count() AS n FROM ${trustedTable(db, 'sales_raw')} WHERE dataset = 'merge'`,
  );
  expect(Number(rows[0]?.n)).toBe(3);
});
