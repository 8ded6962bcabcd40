import { AppError } from '../../src/errors/app-error';
import { migrate, readMigrations } from '../../src/warehouse/migrations';
import { sql } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { openWarehouse } from '../support/test-stack';

let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await openWarehouse(2);
});

afterAll(async () => {
  await warehouse.command(sql(`DROP DATABASE IF EXISTS ${warehouse.database}`));
  await warehouse.close();
});

describe('warehouse over chDB through @clickhouse/client', () => {
  test('values are bound server-side and statistics come back', async () => {
    const result = await warehouse.query<{ s: string; n: string }>(sql('SELECT {s:String} AS s, count() AS n FROM numbers({k:UInt32})', { s: "it's \\ fine", k: 1000 }));
    expect(result.rows).toEqual([{ s: "it's \\ fine", n: '1000' }]);
    expect(result.statistics.rowsRead).toBe(1000);
  });

  test('a slow query on one session does not hold up a fast one on another', async () => {
    const order: string[] = [];
    // ~1.5 s of deliberate work: sleepEachRow keeps the first session busy.
    const slow = warehouse.query(sql('SELECT sleepEachRow(0.5) FROM numbers(3) SETTINGS max_block_size = 1')).then(() => order.push('slow'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await warehouse.query(sql('SELECT 1')).then(() => order.push('fast'));
    await slow;
    expect(order).toEqual(['fast', 'slow']);
  });

  test('errors are typed, keep ClickHouse\'s code and the cause', async () => {
    const error = await warehouse.query(sql('SELECT no_such_column FROM numbers(1)')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'WAREHOUSE_ERROR', details: { clickhouseCode: '47' } });
    expect((error as AppError).cause).toBeDefined();
  });

  test('migrations are recorded and applied once; an edited migration is refused', async () => {
    expect(await migrate(warehouse)).toEqual([]);
    const { rows } = await warehouse.query<{ version: number }>(sql(`SELECT version FROM ${warehouse.database}.schema_migrations ORDER BY version`));
    expect(rows.map((r) => Number(r.version))).toEqual(readMigrations().map((m) => m.version));
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'changed' } : m));
    await expect(migrate(warehouse, edited)).rejects.toThrow(/was edited after it was applied/);
  });
});

describe('bound values reach chDB exactly, and bound queries run in parallel', () => {
  test('any string round-trips byte for byte (property)', async () => {
    const fc = await import('fast-check');
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 64 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }), async (text, list) => {
        const { rows } = await warehouse.query<{ s: string; l: string[]; n: string }>(sql('SELECT {s:String} AS s, {l:Array(String)} AS l, length({s:String}) AS n', { s: text, l: list }));
        expect(rows[0].s).toBe(text);
        expect(rows[0].l).toEqual(list);
        expect(Number(rows[0].n)).toBe(Buffer.byteLength(text));
      }),
      { numRuns: 200 },
    );
  });

  test('a slow query with bound values does not hold up a fast one with bound values', async () => {
    const order: string[] = [];
    const slow = warehouse.query(sql('SELECT sleepEachRow({d:Float64}) FROM numbers(3) SETTINGS max_block_size = 1', { d: 0.5 })).then(() => order.push('slow'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await warehouse.query(sql('SELECT {x:String} AS x', { x: 'fast' })).then(() => order.push('fast'));
    await slow;
    expect(order).toEqual(['fast', 'slow']);
  });
});
