import { kpiKind } from '../../src/kpi/definitions/kpi-kinds';
import type { KpiRequest } from '../../src/kpi/kpi-types';
import { compileKpiQuery } from '../../src/kpi/planning/kpi-planner';
import type { DatasetSize } from '../../src/kpi/planning/planner-types';
import { distinctPerBucket, estimatedRows, FIXED_ROWS, planCost } from '../../src/kpi/planning/size-rule';

const DAY = 86_400_000;
const FROM = Date.parse('2024-01-01T00:00:00Z');
/** Issue 17's realistic profile over 92 days. */
const sized = (rows: number): DatasetSize => ({
  rows,
  fromMs: FROM,
  toMs: FROM + 92 * DAY,
  distinctBucketMs: DAY,
  distinct: { customer: 900, item: 400, account: 60, branch: 7, salesPerson: 23 },
});
const base: KpiRequest = {
  kind: 'sales',
  dataset: 'acme',
  range: { from: new Date(FROM), to: new Date(FROM + 90 * DAY) },
  timeZone: 'UTC',
  filters: {},
  kpis: ['netSales', 'transactions'],
  shape: { type: 'totals' },
};
const plan = (request: KpiRequest, rows: number) =>
  compileKpiQuery(request, { database: 'kpi', hiddenUploads: [], size: sized(rows) });
const sourcesOf = (request: KpiRequest, rows: number) => {
  const compiled = plan(request, rows);
  return compiled.sources ?? [compiled.source];
};
const upToNow = (days: number) => ({
  from: new Date(FROM),
  to: new Date(FROM + days * DAY - 37_359_000),
});

describe('the size rule: the cheapest exact plan by estimated reads', () => {
  test('raw rows in a range are the dataset rows spread evenly over its span; outside it, none', () => {
    const size = sized(9_200_000);
    expect(estimatedRows(size, [{ from: new Date(FROM), to: new Date(FROM + DAY) }])).toBeCloseTo(100_000);
    expect(
      estimatedRows(size, [{ from: new Date(FROM - 10 * DAY), to: new Date(FROM + DAY / 2) }]),
    ).toBeCloseTo(50_000);
    expect(estimatedRows(size, [{ from: new Date(FROM + 100 * DAY), to: new Date(FROM + 200 * DAY) }])).toBe(
      0,
    );
    // Distinct values per bucket: all rows while the bucket is sparse, the whole day's set when dense.
    expect(distinctPerBucket(10, { distinct: 900, longer: false })).toBeCloseTo(9.9, 1);
    expect(distinctPerBucket(100_000, { distinct: 900, longer: false })).toBeCloseTo(900);
    expect(distinctPerBucket(100_000, { distinct: 900, longer: true })).toBe(900);
    expect(distinctPerBucket(50, { longer: false })).toBe(50);
  });

  test('"up to now" stitches whole days, edge hours and raw edges when the range holds many rows; a short range or a small dataset reads raw', () => {
    // At 1 M rows the 13.6 edge hours hold ~6 k raw rows: one sub-select less beats reading them from h1.
    expect(sourcesOf({ ...base, range: upToNow(90) }, 1_000_000)).toEqual(['d1', 'raw']);
    // At 10 M (~62 k edge rows) the two stitchings measure the same; at 100 M the hourly piece pays.
    expect(sourcesOf({ ...base, range: upToNow(90) }, 10_000_000)).toEqual(['d1', 'raw']);
    expect(sourcesOf({ ...base, range: upToNow(90) }, 100_000_000)).toEqual(['d1', 'h1', 'raw']);
    // One day of 1 M rows over 92 days is ~11 k raw rows: one primary-key range beats three sub-selects.
    expect(sourcesOf({ ...base, range: upToNow(1) }, 1_000_000)).toEqual(['raw']);
    expect(sourcesOf({ ...base, range: upToNow(90) }, 20_000)).toEqual(['raw']);
    // The same short range at 100 M rows holds ~1 M raw rows: stitched.
    expect(sourcesOf({ ...base, range: upToNow(1) }, 100_000_000)).toEqual(['h1', 'raw']);
  });

  test('a single rollup answering whole buckets is kept: it reads least at any size', () => {
    expect(sourcesOf(base, 1_000)).toEqual(['d1']);
    expect(sourcesOf({ ...base, kpis: ['uniqueCustomers', 'uniqueSalespeople'] }, 1_000_000)).toEqual(['d1']);
  });

  test('distinct counts: hourly states pay only where an hour holds many more rows than distinct values', () => {
    const hours = { from: new Date(FROM + 5 * 3_600_000), to: new Date(FROM + 90 * DAY) };
    const card = { ...base, range: hours, kpis: ['uniqueCustomers', 'uniqueProducts'] };
    // Whole hours over 90 days: whole days from d1 states, the first hours from h1, never 2,000 hourly states.
    expect(sourcesOf(card, 10_000_000)).toEqual(['d1', 'h1']);
    const hourly = { ...card, range: { from: new Date(FROM), to: new Date(FROM + 2 * DAY) } };
    const series = { ...hourly, shape: { type: 'series', grain: 'HOUR' } } as const;
    expect(sourcesOf(series, 10_000_000)).toEqual(['h1']);
  });

  test('the cost of a plan counts each table read once plus what it reads', () => {
    const sales = kpiKind('sales');
    const day = [{ from: new Date(FROM), to: new Date(FROM + DAY) }];
    const raw = planCost(sized(9_200_000), sales, { pieces: [{ source: 'raw', ranges: day }] }, []);
    expect(raw).toBeCloseTo(FIXED_ROWS + 100_000);
    const d1 = planCost(sized(9_200_000), sales, { pieces: [{ source: 'd1', ranges: day }] }, ['customer']);
    expect(d1).toBeLessThan(FIXED_ROWS + 1000);
  });
});
