import { randomBytes } from 'node:crypto';
import { DEFAULT_LIMITS } from '../../src/config/limits-config';
import { CLICKHOUSE_TIME_ZONES } from '../../src/kpi/planning/clickhouse-time-zones';
import { normaliseTimeZone } from '../../src/kpi/planning/time-zones';
import { createWarehouse } from '../../src/warehouse/create-warehouse';
import { sql } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { workerChdbPath } from '../support/test-stack';

let warehouse: Warehouse;
const MIB = 1024 * 1024;

beforeAll(async () => {
  warehouse = await createWarehouse(
    {
      mode: 'embedded',
      path: workerChdbPath(),
      poolSize: 2,
      database: `kpi_test_${randomBytes(6).toString('hex')}`,
    },
    {
      ...DEFAULT_LIMITS,
      load: { ...DEFAULT_LIMITS.load, queryTimeoutSeconds: 1 },
      memory: { ...DEFAULT_LIMITS.memory, chdbQueryBytes: 64 * MIB },
    },
  );
});

afterAll(async () => {
  await warehouse.close();
});

/** Runs for minutes unless something stops it. */
const ENDLESS = sql`SELECT count() FROM numbers(1000000000000) WHERE sipHash64(number) = 0`;
/** Needs a few hundred MB. */
const HUNGRY = sql`SELECT count() FROM (SELECT number % 10000000 AS k, groupArray(number) AS g FROM numbers(30000000) GROUP BY k)`;

describe('bounded reads: ClickHouse itself cancels them', () => {
  test('past max_execution_time a read is cancelled with QUERY_TIMEOUT, and the session serves the next one', async () => {
    const started = Date.now();
    await expect(warehouse.query(ENDLESS, { bounded: true })).rejects.toMatchObject({
      code: 'QUERY_TIMEOUT',
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    const next = await Promise.all([
      warehouse.query(sql`SELECT 1 AS one`),
      warehouse.query(sql`SELECT 1 AS one`),
    ]);
    expect(next.map((r) => r.rows)).toEqual([[{ one: 1 }], [{ one: 1 }]]);
  }, 20_000);

  test('past max_memory_usage a read is refused with MEMORY_LIMIT; the same read unbounded runs', async () => {
    await expect(warehouse.query(HUNGRY, { bounded: true })).rejects.toMatchObject({
      code: 'MEMORY_LIMIT',
      message: expect.stringContaining('more memory'),
    });
    const unbounded = await warehouse.query<{ 'count()': string }>(HUNGRY);
    expect(unbounded.rows).toEqual([{ 'count()': '10000000' }]);
  }, 60_000);

  test('the bounds bind the bounded statement only: nothing stays set on the sessions', async () => {
    await warehouse.query(sql`SELECT 1`, { bounded: true });
    const settings = await Promise.all(
      [0, 1].map(() =>
        warehouse.query<{ t: string; m: string }>(
          sql`SELECT getSetting('max_execution_time') AS t, getSetting('max_memory_usage') AS m`,
        ),
      ),
    );
    for (const { rows } of settings) expect(rows.map((r) => [Number(r.t), Number(r.m)])).toEqual([[0, 0]]);
  });

  test("the engine's memory for the whole process is capped when the gateway boots it", async () => {
    const { rows } = await warehouse.query<{ value: string }>(
      sql`SELECT value FROM system.server_settings WHERE name = 'max_server_memory_usage'`,
    );
    expect(Number(rows[0]?.value)).toBe(DEFAULT_LIMITS.memory.chdbServerBytes);
  });
});

describe('time zones as ClickHouse names them', () => {
  test("the gateway's list is exactly the engine's system.time_zones", async () => {
    const { rows } = await warehouse.query<{ time_zone: string }>(
      sql`SELECT time_zone FROM system.time_zones ORDER BY time_zone`,
    );
    expect([...CLICKHOUSE_TIME_ZONES].sort()).toEqual(rows.map((r) => r.time_zone).sort());
  });

  test('spellings Intl accepts become names ClickHouse runs with; the rest are refused', async () => {
    const cases: Record<string, string | null> = {
      utc: 'UTC',
      'europe/berlin': 'Europe/Berlin',
      'Asia/Kolkata': 'Asia/Kolkata',
      gmt: 'UTC',
      'US/Pacific': 'US/Pacific',
      'etc/gmt+5': 'Etc/GMT+5',
      Factory: null,
      'Mars/Olympus_Mons': null,
      "UTC'); DROP TABLE x; --": null,
      '': null,
    };
    for (const [spelling, expected] of Object.entries(cases))
      expect([spelling, normaliseTimeZone(spelling)]).toEqual([spelling, expected]);
    for (const zone of Object.values(cases).filter((z): z is string => z !== null)) {
      const { rows } = await warehouse.query<{ z: string }>(
        sql`SELECT timeZoneOf(toDateTime(0, ${zone})) AS z`,
      );
      expect(rows).toEqual([{ z: zone }]);
    }
  });
});
