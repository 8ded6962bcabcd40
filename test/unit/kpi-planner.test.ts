import { DATASET_KINDS } from '../../src/datasets/dataset-kinds';
import { compileKpiQuery } from '../../src/kpi/planning/kpi-planner';
import { kpiValueSql } from '../../src/kpi/planning/measure-sql';
import { rollupMismatch } from '../../src/kpi/planning/query-source';
import { kpiKind } from '../../src/kpi/definitions/kpi-kinds';
import type { KpiRequest } from '../../src/kpi/kpi-types';

const base: KpiRequest = {
  kind: 'sales',
  dataset: 'acme',
  range: { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') },
  timeZone: 'UTC',
  filters: {},
  kpis: ['netSales'],
  shape: { type: 'totals' },
};
const context = { database: 'kpi', hiddenUploads: [] };

describe('KPI planner', () => {
  test('totals of sums over whole UTC days compile to one statement over the dimensionless daily rollup, measures only, every value bound', () => {
    const compiled = compileKpiQuery(base, context);
    expect(compiled.source).toBe('d1');
    expect(compiled.fragment.query).toBe(
      [
        'SELECT sum(grossRevenueSum) AS m_grossRevenue, sum(returnsValueSum) AS m_returnsValue, sum(returnsValueRows) AS m_returnsValueRows, sum(transactions) AS m_transactions',
        'FROM kpi.sales_d1',
        "WHERE dataset = {p0:String} AND bucket >= {p1:DateTime('UTC')} AND bucket < {p2:DateTime('UTC')}",
      ].join('\n'),
    );
    // A rollup's range is on whole buckets: bound as the DateTime its column is. Raw keeps milliseconds.
    expect(compiled.fragment.params).toEqual({
      p0: 'acme',
      p1: '2025-01-01 00:00:00',
      p2: '2025-02-01 00:00:00',
    });
  });

  test('a range on whole hours but not whole days is answered from the dimensionless hourly rollup', () => {
    for (const range of [
      { from: new Date('2025-01-01T01:00:00Z'), to: base.range.to },
      { from: base.range.from, to: new Date('2025-01-31T23:00:00Z') },
    ]) {
      const compiled = compileKpiQuery({ ...base, range }, context);
      expect(compiled.source).toBe('h1');
      expect(compiled.fragment.query).toContain(
        "FROM kpi.sales_h1\nWHERE dataset = {p0:String} AND bucket >= {p1:DateTime('UTC')} AND bucket < {p2:DateTime('UTC')}",
      );
    }
  });

  test('series: the daily rollup for DAY/WEEK/MONTH buckets only where the offset is 0 over the whole range; HOUR buckets never; quarter-hour zones from 15 minutes', () => {
    const series = (grain: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH', timeZone: string, range = base.range) =>
      compileKpiQuery({ ...base, range, timeZone, shape: { type: 'series', grain } }, context);
    for (const grain of ['DAY', 'WEEK', 'MONTH'] as const) expect(series(grain, 'UTC').source).toBe('d1');
    expect(series('MONTH', 'UTC').fragment.query).toContain(
      'toDateTime(toStartOfMonth(bucket, {p0:String}), {p1:String}) AS g_bucket',
    );
    expect(series('HOUR', 'UTC').source).toBe('h1');
    // London is on GMT (offset 0) in January, on BST (+1) from 2025-03-30 01:00 UTC.
    expect(series('DAY', 'Europe/London').source).toBe('d1');
    expect(
      series('DAY', 'Europe/London', {
        from: new Date('2025-03-01T00:00:00Z'),
        to: new Date('2025-04-01T00:00:00Z'),
      }).source,
    ).toBe('h1');
    expect(
      series('DAY', 'Europe/London', {
        from: new Date('2025-03-01T00:00:00Z'),
        to: new Date('2025-03-30T00:00:00Z'),
      }).source,
    ).toBe('d1');
    expect(series('DAY', 'America/New_York').source).toBe('h1');
    expect(series('DAY', 'Asia/Kolkata').source).toBe('q15');
    expect(series('DAY', 'Asia/Kathmandu').source).toBe('q15');
    expect(series('HOUR', 'Asia/Kolkata').source).toBe('q15');
  });

  test('the hour-of-day pattern is never answered from the daily rollup', () => {
    const daily = DATASET_KINDS.sales.rollups.find((level) => level.grain === 'daily')!;
    const hourly = DATASET_KINDS.sales.rollups.find((level) => level.grain === 'h1')!;
    const request = { ...base, shape: { type: 'hourOfDay' as const } };
    expect(rollupMismatch(request, kpiKind('sales'), ['transactions'], daily)).toBe(
      'local buckets are finer than the daily rollup',
    );
    expect(rollupMismatch(request, kpiKind('sales'), ['transactions'], hourly)).toBeNull();
  });

  test('rollup levels are listed smallest first: fewer key dimensions, then coarser buckets', () => {
    for (const kind of Object.values(DATASET_KINDS)) {
      const all = Number.MAX_SAFE_INTEGER;
      const order = kind.rollups.map((level) => [level.keyDimensions?.length ?? all, -level.bucketMs]);
      const sorted = [...order].sort(([a = 0, b = 0], [c = 0, d = 0]) => a - c || b - d);
      expect(order).toEqual(sorted);
    }
    expect(DATASET_KINDS.sales.rollups.map((level) => level.grain)).toEqual([
      'd1',
      'h1',
      'q15',
      'branch_h',
      'productLine_h',
      'itemGroup_h',
      'salesPerson_h',
      'daily',
    ]);
  });

  test('a forced rollup that cannot answer exactly is refused, never answered approximately', () => {
    const offDay = { ...base, range: { from: new Date('2025-01-01T01:00:00Z'), to: base.range.to } };
    expect(() => compileKpiQuery(offDay, { ...context, source: 'daily' })).toThrow(
      'The daily rollup cannot answer this request exactly: the range does not start and end on daily UTC boundaries',
    );
    expect(compileKpiQuery(offDay, { ...context, source: 'h1' }).source).toBe('h1');
    expect(() =>
      compileKpiQuery({ ...base, kpis: ['uniqueCustomers'] }, { ...context, source: 'daily' }),
    ).toThrow('a measure is not in the daily rollup');
    expect(() =>
      compileKpiQuery({ ...base, kpis: ['uniqueCustomers'] }, { ...context, source: 'hourly' }),
    ).toThrow('KPI kind sales has no hourly rollup');
    expect(() =>
      compileKpiQuery({ ...base, filters: { branch: ['B1'] } }, { ...context, source: 'd1' }),
    ).toThrow('a filtered or grouped dimension is not in the d1 rollup key');
  });

  test('ratios read their measures, the coverage counts of what they need and the denominator; the formula runs in the gateway', () => {
    const compiled = compileKpiQuery({ ...base, kpis: ['grossMargin'] }, context);
    expect(compiled.measures).toEqual(['grossRevenue', 'totalCost', 'totalCostRows', 'transactions']);
    expect(compiled.fragment.query).not.toContain('toFloat64');
    expect(kpiValueSql(kpiKind('sales').kpis.get('grossMargin')!)).toBe(
      'if(m_grossRevenue = 0, NULL, toFloat64(m_grossRevenue - m_totalCost) / toFloat64(m_grossRevenue))',
    );
  });

  test('a range on quarter hours reads 15-minute buckets; off them, the raw table', () => {
    expect(
      compileKpiQuery(
        { ...base, range: { from: new Date('2025-01-01T00:30:00Z'), to: base.range.to } },
        context,
      ).source,
    ).toBe('q15');
    // A short range off the quarter hours: one primary-key range of raw is cheaper than pieces.
    const compiled = compileKpiQuery(
      { ...base, range: { from: new Date('2025-01-01T00:07:00Z'), to: new Date('2025-01-02T05:00:00Z') } },
      context,
    );
    expect(compiled.source).toBe('raw');
    expect(compiled.sources).toBeUndefined();
    expect(compiled.fragment.query).toContain('FROM kpi.sales_raw');
    expect(compiled.fragment.query).toContain(
      'sum(ifNull(returnsValue, 0)) AS m_returnsValue, count(returnsValue) AS m_returnsValueRows, count() AS m_transactions',
    );
    expect(compiled.fragment.query).toContain("time >= {p1:DateTime64(3, 'UTC')}");
  });

  test('series bucket in the requested zone, which is a bound value; half-hour zones read 15-minute buckets', () => {
    const berlin = compileKpiQuery(
      { ...base, timeZone: 'Europe/Berlin', shape: { type: 'series', grain: 'WEEK' } },
      context,
    );
    expect(berlin.source).toBe('h1');
    expect(berlin.fragment.query).toContain(
      'SELECT toDateTime(toMonday(bucket, {p0:String}), {p1:String}) AS g_bucket, toUnixTimestamp(g_bucket) AS bucket_start, toUnixTimestamp(g_bucket + INTERVAL 1 WEEK) AS bucket_end, ',
    );
    expect(berlin.fragment.query).toMatch(/GROUP BY g_bucket\nORDER BY g_bucket$/);
    expect(berlin.fragment.params).toMatchObject({ p0: 'Europe/Berlin', p1: 'Europe/Berlin' });
    const kolkata = compileKpiQuery(
      { ...base, timeZone: 'Asia/Kolkata', shape: { type: 'series', grain: 'DAY' } },
      context,
    );
    expect(kolkata.source).toBe('q15');
    expect(kolkata.fragment.query).toContain('toStartOfDay(bucket, {p0:String}) AS g_bucket');
    // Off the quarter hours and shorter than two days: raw.
    const offQuarter = { from: new Date('2025-01-01T00:10:00Z'), to: new Date('2025-01-02T00:00:00Z') };
    expect(
      compileKpiQuery(
        { ...base, range: offQuarter, timeZone: 'Asia/Kolkata', shape: { type: 'series', grain: 'DAY' } },
        context,
      ).source,
    ).toBe('raw');
  });

  test('breakdowns rank by the eligible value of the ordering KPI, ties by key, top bound', () => {
    const compiled = compileKpiQuery(
      {
        ...base,
        kpis: ['transactions'],
        shape: { type: 'breakdown', by: 'branch', top: 5, orderBy: 'netSales', direction: 'ASC' },
      },
      context,
    );
    expect(compiled.fragment.query).toContain('SELECT branch AS g_key,');
    expect(compiled.fragment.query).toContain('GROUP BY g_key');
    expect(compiled.fragment.query).toMatch(
      /ORDER BY if\(m_transactions > 0 AND m_returnsValueRows = m_transactions, m_grossRevenue \+ m_returnsValue, NULL\) ASC NULLS LAST, g_key ASC NULLS LAST\nLIMIT \{p3:UInt32\}$/,
    );
    expect(compiled.fragment.params.p3).toBe(5);
  });

  test('filters and hidden uploads are bound arrays; filter values never reach the SQL text', () => {
    const evil = "x') OR 1=1 --";
    const compiled = compileKpiQuery(
      { ...base, filters: { salesPerson: [evil], branch: ['A', 'B'] } },
      { database: 'kpi', hiddenUploads: ['u1'] },
    );
    expect(compiled.fragment.query).not.toContain(evil);
    expect(compiled.fragment.query).toContain(
      'upload_id NOT IN {p3:Array(String)} AND branch IN {p4:Array(String)} AND salesPerson IN {p5:Array(String)}',
    );
    expect(compiled.fragment.params).toMatchObject({ p3: ['u1'], p4: ['A', 'B'], p5: [evil] });
  });

  test('rejects what it cannot answer: unknown KPI, unknown dimension, reversed range, too many buckets', () => {
    expect(() => compileKpiQuery({ ...base, kpis: ['nope'] }, context)).toThrow('Unknown KPI nope');
    expect(() => compileKpiQuery({ ...base, filters: { customer: ['x'] } }, context)).toThrow(
      'Cannot filter on customer',
    );
    expect(() =>
      compileKpiQuery({ ...base, range: { from: base.range.to, to: base.range.from } }, context),
    ).toThrow('range.from must be before range.to');
    expect(() =>
      compileKpiQuery(
        {
          ...base,
          range: { from: new Date('1990-01-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') },
          shape: { type: 'series', grain: 'DAY' },
        },
        context,
      ),
    ).toThrow(/maximum is 10000/);
  });

  test('refuses an unsafe database identifier', () => {
    expect(() => compileKpiQuery(base, { database: 'kpi; DROP TABLE x', hiddenUploads: [] })).toThrow(
      'unsafe SQL identifier',
    );
  });
});
