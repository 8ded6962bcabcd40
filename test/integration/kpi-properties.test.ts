import { Readable } from 'node:stream';
import fc from 'fast-check';
import { DATASET_KINDS, type RollupLevel } from '../../src/datasets/dataset-kinds';
import { measuresOf } from '../../src/kpi/definitions/kind-definition';
import { kpiKind } from '../../src/kpi/definitions/kpi-kinds';
import { compileKpiQuery } from '../../src/kpi/planning/kpi-planner';
import { rollupMismatch, rollupSqlOf } from '../../src/kpi/planning/query-source';
import type { KpiRequest, KpiValue } from '../../src/kpi/kpi-types';
import {
  ALL_COLUMNS,
  KPI_IDS,
  expectKpi,
  expectedKpis,
  groupBy,
  localBucketKey,
  toCsv,
  type SalesRow,
} from '../support/sales-fixture';
import { openTestStack, type TestStack } from '../support/test-stack';

/**
 * Property: for random small files (cells missing, columns left out), random ranges, grains, time
 * zones, filters and breakdowns, every KPI the gateway returns equals a recomputation from the rows
 * in test code, and every null carries the reason the rows imply. And every rollup level that can
 * answer a question exactly (d1, h1, q15, per dimension, all dimensions) gives the raw table's rows.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await openTestStack();
});
afterAll(async () => {
  await stack.close();
});

const START = Date.UTC(2025, 0, 1);
const SPAN_S = 6 * 86_400;
const names = (prefix: string) =>
  fc.option(fc.constantFrom(`${prefix}1`, `${prefix}2`, `${prefix}3`), { nil: null, freq: 6 });
const money = (min: number, max: number) => fc.option(fc.integer({ min, max }), { nil: null, freq: 12 });

const rowArb: fc.Arbitrary<SalesRow> = fc.record({
  time: fc.integer({ min: 0, max: SPAN_S - 1 }).map((s) => new Date(START + s * 1000)),
  productLine: names('P'),
  itemGroup: names('G'),
  branch: names('B'),
  salesPerson: names('S'),
  account: names('A'),
  item: names('I'),
  customer: names('C'),
  grossCents: fc.integer({ min: 0, max: 5_000_000 }),
  returnsCents: money(-100_000, 0),
  unitsSold: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null, freq: 12 }),
  unitsReturned: fc.option(fc.integer({ min: -5, max: 0 }), { nil: null, freq: 12 }),
  costCents: money(0, 4_000_000),
  lineItemCount: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null, freq: 12 }),
});

const OPTIONAL = ALL_COLUMNS.filter((c) => c !== 'time' && c !== 'grossCents');
const dayAligned = fc.integer({ min: 0, max: SPAN_S / 86_400 }).map((d) => START + d * 86_400_000);
const hourAligned = fc.integer({ min: 0, max: SPAN_S / 3600 }).map((h) => START + h * 3_600_000);
const quarterAligned = fc.integer({ min: 0, max: SPAN_S / 900 }).map((q) => START + q * 900_000);
const anyInstant = fc.integer({ min: 0, max: SPAN_S }).map((s) => START + s * 1000);
// Half the ends on UTC midnights, so that a quarter of the ranges are the daily rollup's to answer.
const instantArb = fc.oneof(
  { arbitrary: dayAligned, weight: 2 },
  { arbitrary: hourAligned, weight: 1 },
  { arbitrary: quarterAligned, weight: 1 },
  { arbitrary: anyInstant, weight: 1 },
);
const rangeArb = fc
  .tuple(instantArb, instantArb)
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => ({ from: new Date(Math.min(a, b)), to: new Date(Math.max(a, b)) }));
const DIMENSIONS = ['branch', 'productLine', 'itemGroup', 'salesPerson'] as const;
const filterArb = fc.option(
  fc.tuple(fc.constantFrom(...DIMENSIONS), fc.subarray(['1', '2', '3'], { minLength: 1 })),
  // Half the questions unfiltered: those are the dimensionless rollups' to answer.
  { nil: null, freq: 1 },
);

const caseArb = fc.record({
  rows: fc.array(rowArb, { minLength: 0, maxLength: 40 }),
  dropped: fc.subarray(OPTIONAL, { maxLength: 3 }),
  range: rangeArb,
  grain: fc.constantFrom('HOUR', 'DAY', 'WEEK', 'MONTH' as const),
  // Europe/London is on GMT (offset 0) over the whole span, like UTC: its local days are UTC days.
  zone: fc.constantFrom(
    'UTC',
    'Europe/London',
    'Europe/Berlin',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'America/New_York',
  ),
  filter: filterArb,
  by: fc.constantFrom(...DIMENSIONS),
  orderBy: fc.constantFrom('netSales', 'transactions', 'totalRevenue', 'uniqueCustomers'),
});

const PREFIX: Record<(typeof DIMENSIONS)[number], string> = {
  branch: 'B',
  productLine: 'P',
  itemGroup: 'G',
  salesPerson: 'S',
};
let runs = 0;
/** How many questions each rollup level answered in the parity check (the property must reach both). */
const answeredBy: Record<string, number> = {};

const sales = kpiKind('sales');
/**
 * Every KPI: the distinct counts of customers, items, branches and sales people all merge exact
 * states across the day/hour/raw seams (branch and salesPerson states since migration 0009).
 */
const CARD_KPIS = [...KPI_IDS];
/** Questions the planner answered by stitching pieces of the range (the property must reach some). */
const SUM_KPIS = CARD_KPIS.filter((id) => !id.startsWith('unique'));
let stitched = 0;
let stitchedSeries = 0;
function countStitched(request: KpiRequest): void {
  const compiled = compileKpiQuery(request, { database: stack.warehouse.database, hiddenUploads: [] });
  if ((compiled.sources?.length ?? 0) > 1) stitched += 1;
}

/** The KPIs a rollup level holds every measure of (the distinct counts differ per level). */
function kpisOf(level: RollupLevel): string[] {
  return KPI_IDS.filter((id) =>
    measuresOf(sales, sales.kpis.get(id)!).every((m) => rollupSqlOf(sales.measures.get(m)!, level) !== null),
  );
}

/**
 * Every rollup level that can answer the request (the KPIs it holds) exactly returns the raw
 * table's rows, value for value: sums, coverage counts and the distinct counts merged from states.
 */
async function expectRollupParity(asked: KpiRequest, where: string): Promise<void> {
  const context = { database: stack.warehouse.database, hiddenUploads: [] };
  for (const level of DATASET_KINDS.sales.rollups) {
    const kpis = kpisOf(level);
    const shape =
      asked.shape.type === 'breakdown' && !kpis.includes(asked.shape.orderBy)
        ? { ...asked.shape, orderBy: 'netSales' }
        : asked.shape;
    const request: KpiRequest = { ...asked, kpis, shape };
    const raw = compileKpiQuery(request, { ...context, source: 'raw' });
    if (rollupMismatch(request, sales, raw.measures, level) !== null) continue;
    answeredBy[level.grain] = (answeredBy[level.grain] ?? 0) + 1;
    const expected = (await stack.warehouse.query(raw.fragment)).rows;
    const rows = (
      await stack.warehouse.query(compileKpiQuery(request, { ...context, source: level.grain }).fragment)
    ).rows;
    if (JSON.stringify(rows) !== JSON.stringify(expected))
      throw new Error(
        `${where}: the ${level.grain} rollup differs from raw:\n${JSON.stringify(rows)}\n${JSON.stringify(expected)}`,
      );
  }
}

function check(
  actual: Readonly<Record<string, KpiValue>>,
  rows: SalesRow[],
  columns: typeof ALL_COLUMNS,
  where: string,
  ids: readonly string[] = KPI_IDS,
): void {
  const expected = expectedKpis(rows, columns);
  for (const id of ids) {
    const value = actual[id];
    const want = expected[id];
    if (!value || !want) throw new Error(`${where}.${id}: no value or no expectation`);
    expectKpi(value, want, `${where}.${id}`);
  }
}

test('every KPI equals a recomputation from the rows, for random files and questions', async () => {
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      runs += 1;
      const dataset = `prop-${runs}`;
      const columns = ALL_COLUMNS.filter((col) => !c.dropped.includes(col as never));
      // What the file carries: a dropped column is absent from every row.
      const rows = c.rows.map((r) => {
        const copy = { ...r } as Record<string, unknown>;
        for (const col of c.dropped) copy[col] = null;
        return copy as unknown as SalesRow;
      });
      if (rows.length > 0) {
        const upload = await stack.ingest.ingest({
          dataset,
          kind: 'sales',
          body: Readable.from([Buffer.from(toCsv(rows, columns))]),
        });
        if (upload.status !== 'LOADED') throw new Error(`upload ${upload.status}: ${upload.errorMessage}`);
      } else {
        return; // a dataset exists only once something was uploaded to it
      }
      const filters = c.filter
        ? { [c.filter[0]]: c.filter[1].map((n) => `${PREFIX[c.filter![0]]}${n}`) }
        : {};
      const kept = rows.filter(
        (r) =>
          r.time >= c.range.from &&
          r.time < c.range.to &&
          Object.entries(filters).every(([d, vs]) => vs.includes(r[d as keyof SalesRow] as string)),
      );
      const base: KpiRequest = {
        kind: 'sales',
        dataset,
        range: c.range,
        timeZone: c.zone,
        filters,
        kpis: KPI_IDS,
        shape: { type: 'totals' },
      };

      const totals = await stack.kpi.answer(base);
      check(totals.rows[0]?.kpis ?? {}, kept, columns, 'totals');
      await expectRollupParity(base, 'totals');

      // A dashboard card: sums and distinct customers and items, which whole days, edge hours and
      // sub-hour edges answer together in one statement; distinct sets merge across the seams.
      const card: KpiRequest = { ...base, kpis: CARD_KPIS };
      const cardTotals = await stack.kpi.answer(card);
      if (cardTotals.sources.length > 1) stitched += 1;
      check(cardTotals.rows[0]?.kpis ?? {}, kept, columns, 'card', CARD_KPIS);

      const seriesRequest: KpiRequest = { ...base, shape: { type: 'series', grain: c.grain } };
      await expectRollupParity(seriesRequest, `series ${c.grain} ${c.zone}`);
      // The same series of a card's KPIs, and of its sums alone (distinct states are not merged
      // per local bucket, sums are): ranges ending anywhere stitch whole buckets and edges, each
      // piece bucketing in the zone.
      for (const ids of [CARD_KPIS, SUM_KPIS]) {
        const cardSeries = await stack.kpi.answer({ ...seriesRequest, kpis: ids });
        if (cardSeries.sources.length > 1) stitchedSeries += 1;
        const cardBuckets = groupBy(kept, (r) => localBucketKey(r.time, c.grain, c.zone));
        if (cardSeries.rows.length !== cardBuckets.size)
          throw new Error(`card series: ${cardSeries.rows.length} buckets, expected ${cardBuckets.size}`);
        for (const bucket of cardSeries.rows) {
          const key = localBucketKey(bucket.bucketStart!, c.grain, c.zone);
          check(
            bucket.kpis,
            cardBuckets.get(key) ?? [],
            columns,
            `card series ${c.grain} ${c.zone} ${key}`,
            ids,
          );
        }
      }
      const series = await stack.kpi.answer(seriesRequest);
      const buckets = groupBy(kept, (r) => localBucketKey(r.time, c.grain, c.zone));
      if (series.rows.length !== buckets.size)
        throw new Error(`series: ${series.rows.length} buckets, expected ${buckets.size}`);
      for (const bucket of series.rows) {
        const key = localBucketKey(bucket.bucketStart!, c.grain, c.zone);
        check(bucket.kpis, buckets.get(key) ?? [], columns, `series ${c.grain} ${c.zone} ${key}`);
      }

      const breakdownRequest: KpiRequest = {
        ...base,
        shape: { type: 'breakdown', by: c.by, top: 100, orderBy: c.orderBy, direction: 'DESC' },
      };
      await expectRollupParity(breakdownRequest, `breakdown by ${c.by}`);
      countStitched({ ...breakdownRequest, kpis: CARD_KPIS.filter((id) => !id.startsWith('unique')) });
      const sumsBreakdown = await stack.kpi.answer({
        ...breakdownRequest,
        kpis: CARD_KPIS.filter((id) => !id.startsWith('unique')),
        shape: { ...breakdownRequest.shape, orderBy: 'netSales' } as KpiRequest['shape'],
      });
      for (const group of sumsBreakdown.rows)
        check(
          group.kpis,
          groupBy(kept, (r) => String(r[c.by])).get(String(group.key)) ?? [],
          columns,
          `sums ${c.by}=${group.key}`,
          CARD_KPIS.filter((id) => !id.startsWith('unique')),
        );
      const breakdown = await stack.kpi.answer(breakdownRequest);
      const groups = groupBy(kept, (r) => String(r[c.by]));
      if (breakdown.rows.length !== groups.size)
        throw new Error(`breakdown: ${breakdown.rows.length} groups, expected ${groups.size}`);
      const ranking = breakdown.rows.map((g) => {
        const ordered = g.kpis[c.orderBy];
        if (!ordered) throw new Error(`breakdown group ${g.key} lacks ${c.orderBy}`);
        return ordered.value;
      });
      const eligible = ranking.filter((v) => v !== null) as number[];
      if (eligible.some((v, i) => i > 0 && v > (eligible[i - 1] ?? v)))
        throw new Error(`breakdown not ranked: ${ranking}`);
      if (
        ranking.findIndex((v) => v === null) !== -1 &&
        ranking.slice(ranking.findIndex((v) => v === null)).some((v) => v !== null)
      )
        throw new Error('ineligible groups must come last');
      for (const group of breakdown.rows)
        check(group.kpis, groups.get(String(group.key)) ?? [], columns, `${c.by}=${group.key}`);
    }),
    { numRuns: 60, seed: Number(process.env.FC_SEED ?? 20251122), endOnFailure: true },
  );
  expect(runs).toBeGreaterThan(0);
  expect(stitched).toBeGreaterThan(0);
  expect(stitchedSeries).toBeGreaterThan(0);
  // Every level must have answered some question (and matched raw), the 15-minute one included.
  for (const level of DATASET_KINDS.sales.rollups)
    expect([level.grain, answeredBy[level.grain] ?? 0]).not.toEqual([level.grain, 0]);
}, 300_000);
