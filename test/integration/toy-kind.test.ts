import path from 'node:path';
import Keyv from 'keyv';
import { KpiCache } from '../../src/cache/kpi-cache';
import { DatasetDirectory } from '../../src/datasets/dataset-directory';
import type { Upload } from '../../src/datasets/upload';
import { catalogEntries } from '../../src/kpi/definitions/kpi-catalog';
import { registerKpiKind } from '../../src/kpi/definitions/kpi-kinds';
import { fillOrder, fillStatement } from '../../src/ingest/rollup-fill';
import { KpiService } from '../../src/kpi/kpi-service';
import type { KpiRequest, KpiRow } from '../../src/kpi/kpi-types';
import { compileKpiQuery } from '../../src/kpi/planning/kpi-planner';
import { migrate, readMigrations } from '../../src/warehouse/migrations';
import { sql, trustedTable } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { PARCELS_KIND } from '../fixtures/toy-kind/parcels-kind';
import { openWarehouse, silentLogger } from '../support/test-stack';

/**
 * Follows docs/adding-a-dataset-kind.md with a toy kind that exists in this test only: its
 * migration creates its tables in the test database, its one definition registers its KPIs and
 * planner, and it is queried end to end through the planner and the service on chDB.
 */
interface Parcel {
  time: Date;
  depot: string;
  weightKg: number;
  fee: number | null;
}

const DAY_MS = 86_400_000;
const START = new Date('2026-03-02T00:00:00Z');
const DEPOTS = ['north', 'south', 'harbour'];
// Deterministic: three days, every depot every two hours; the harbour charges no fee on day 2.
const parcels: Parcel[] = [];
for (let i = 0; i < 3 * 12 * DEPOTS.length; i += 1) {
  const depot = DEPOTS[i % DEPOTS.length] ?? 'north';
  const time = new Date(START.getTime() + Math.floor(i / DEPOTS.length) * 2 * 3_600_000 + (i % 7) * 60_000);
  const day = Math.floor((time.getTime() - START.getTime()) / DAY_MS);
  parcels.push({
    time,
    depot,
    weightKg: ((i * 37) % 2_000) / 100 + 0.125,
    fee: depot === 'harbour' && day === 1 ? null : 2 + (i % 5) * 0.75,
  });
}

let warehouse: Warehouse;
let service: KpiService;

beforeAll(async () => {
  registerKpiKind(PARCELS_KIND);
  warehouse = await openWarehouse();
  // The product's migrations are applied; the toy kind's own one is added after them.
  await migrate(warehouse, [
    ...readMigrations(),
    ...readMigrations(path.join(__dirname, '../fixtures/toy-kind')),
  ]);
  const rows = parcels
    .map((p) => JSON.stringify({ ...p, time: p.time.toISOString().slice(0, 19) }))
    .join('\n');
  // As a load writes them: into a stage, the rollup filled from the kind's registry entry alone
  // (no load SQL of the kind's own), the stage's parts attached to the raw table.
  const db = warehouse.database;
  const stage = trustedTable(db, 'parcels_stage');
  await warehouse.command(sql`CREATE TABLE ${stage} AS ${trustedTable(db, 'parcels_raw')}`);
  await warehouse.command(
    sql`INSERT INTO ${stage} SELECT 'depots', 'upload-1', time, depot, weightKg, fee FROM format(JSONEachRow, 'time DateTime(''UTC''), depot String, weightKg Decimal(18, 3), fee Nullable(Decimal(18, 2))', ${rows})`,
  );
  const kind = { ...PARCELS_KIND.tables, dimensions: ['depot'] };
  for (const level of fillOrder(kind))
    await warehouse.command(
      fillStatement({ kind, level, target: trustedTable(db, level.table), source: stage }),
    );
  await warehouse.command(
    sql`ALTER TABLE ${trustedTable(db, 'parcels_raw')} ATTACH PARTITION ALL FROM ${stage}`,
  );
  await warehouse.command(sql`DROP TABLE ${stage}`);
  // What the upload ledger would hold once the upload is LOADED: the dataset's state derives from it.
  const datasets = await DatasetDirectory.fromUploads([loadedUpload()]);
  service = new KpiService(
    warehouse,
    datasets,
    new KpiCache(new Keyv({ store: new Map() }), 60, silentLogger),
  );
});

afterAll(async () => {
  await warehouse?.close();
});

function loadedUpload(): Upload {
  const at = new Date('2026-03-05T00:00:00Z');
  return {
    id: 'upload-1',
    dataset: 'depots',
    // The toy kind is not a product dataset kind: a real one adds its name to DatasetKindName.
    kind: 'parcels' as Upload['kind'],
    objectKey: 'uploads/depots/upload-1.csv',
    status: 'LOADED',
    mode: 'APPEND',
    maxBadRows: 0,
    bytes: 1,
    sha256: 'toy',
    rowsLoaded: parcels.length,
    rowsRejected: 0,
    header: ['time', 'depot', 'weightKg', 'fee'],
    columns: ['time', 'depot', 'weightKg', 'fee'],
    completeColumns: [],
    ignoredColumns: [],
    errorCode: null,
    errorMessage: null,
    rowErrorCount: 0,
    rowErrors: [],
    duplicateOf: null,
    replaces: null,
    replacedBy: null,
    attempts: 1,
    createdAt: at,
    receivedAt: at,
    finishedAt: at,
    receiveMs: 0,
    loadMs: 0,
  };
}

const KPIS = ['parcels', 'totalWeight', 'averageFee', 'activeDepots'];
const request = (shape: KpiRequest['shape'], from = START, to = new Date(START.getTime() + 3 * DAY_MS)) => ({
  kind: 'parcels',
  dataset: 'depots',
  range: { from, to },
  timeZone: 'UTC',
  filters: {},
  kpis: KPIS,
  shape,
});

/** Each KPI computed from the parcels themselves. */
function expected(slice: readonly Parcel[]): Record<string, number | string> {
  const weight = slice.reduce((a, p) => a + p.weightKg, 0);
  const fees = slice.filter((p) => p.fee !== null);
  return {
    parcels: slice.length,
    totalWeight: weight,
    averageFee:
      fees.length < slice.length
        ? 'PARTIAL_COVERAGE'
        : fees.reduce((a, p) => a + (p.fee ?? 0), 0) / slice.length,
    activeDepots: new Set(slice.map((p) => p.depot)).size,
  };
}

function check(row: KpiRow | undefined, slice: readonly Parcel[], where: string): void {
  const want = expected(slice);
  for (const id of KPIS) {
    const got = row?.kpis[id];
    const value = want[id];
    if (typeof value === 'string')
      expect([where, id, got?.value, got?.unavailable?.reason]).toEqual([where, id, null, value]);
    else expect([where, id, got?.value]).toEqual([where, id, expect.closeTo(value ?? NaN, 6)]);
  }
}

describe('a dataset kind registered in the test suite only', () => {
  test('its KPIs join the KPI catalog', () => {
    expect(catalogEntries('parcels').map((e) => e.kpi.id)).toEqual(KPIS);
  });

  test('the rollup planner reads its hourly rollup for whole hours and its raw table otherwise', () => {
    const context = { database: 'kpi', hiddenUploads: [] };
    const hourly = compileKpiQuery(request({ type: 'totals' }), context);
    expect(hourly.source).toBe('hourly');
    expect(hourly.fragment.query).toBe(
      [
        'SELECT uniqExact(depot) AS m_depotDistinct, sum(feeSum) AS m_fee, sum(feeRows) AS m_feeRows, sum(transactions) AS m_transactions, sum(weightKgSum) AS m_weightKg',
        'FROM kpi.parcels_hourly',
        "WHERE dataset = {p0:String} AND hour >= {p1:DateTime('UTC')} AND hour < {p2:DateTime('UTC')}",
      ].join('\n'),
    );
    expect(hourly.fragment.params).toEqual({
      p0: 'depots',
      p1: '2026-03-02 00:00:00',
      p2: '2026-03-05 00:00:00',
    });
    const offHour = compileKpiQuery(request({ type: 'totals' }, new Date('2026-03-02T00:30:00Z')), context);
    expect(offHour.source).toBe('raw');
    expect(offHour.fragment.query).toContain('count(fee) AS m_feeRows');
  });

  test('totals, a daily series and a breakdown by depot equal a computation over the parcels', async () => {
    const totals = await service.answer(request({ type: 'totals' }));
    expect(totals.source).toBe('hourly');
    check(totals.rows[0], parcels, 'totals');

    const firstDay = await service.answer(
      request({ type: 'totals' }, START, new Date(START.getTime() + DAY_MS)),
    );
    check(
      firstDay.rows[0],
      parcels.filter((p) => p.time.getTime() < START.getTime() + DAY_MS),
      'first day',
    );

    const series = await service.answer(request({ type: 'series', grain: 'DAY' }));
    expect(series.rows).toHaveLength(3);
    series.rows.forEach((row, day) => {
      const from = START.getTime() + day * DAY_MS;
      expect(row.bucketStart?.getTime()).toBe(from);
      check(
        row,
        parcels.filter((p) => p.time.getTime() >= from && p.time.getTime() < from + DAY_MS),
        `day ${day}`,
      );
    });

    const breakdown = await service.answer(
      request({ type: 'breakdown', by: 'depot', top: 10, orderBy: 'averageFee', direction: 'DESC' }),
    );
    // The harbour's average fee is unavailable (a day without fees): it ranks last.
    expect(breakdown.rows.map((row) => row.key).at(-1)).toBe('harbour');
    for (const row of breakdown.rows)
      check(
        row,
        parcels.filter((p) => p.depot === row.key),
        `depot ${row.key}`,
      );
  });

  test('sibling cards per depot are one grouped query, as the kind definition allows', async () => {
    const { answers } = await service.answerEach(request({ type: 'totals' }), 'depot', DEPOTS);
    for (const depot of DEPOTS)
      check(
        answers.get(depot)?.rows[0],
        parcels.filter((p) => p.depot === depot),
        depot,
      );
  });
});
