import type { KpiRequest, KpiRow, QueryShape } from '../../src/kpi/kpi-types';
import { DATA_FROM, DATA_TO } from './data';
import { graphql } from './http';

/**
 * The dashboard queries every scenario asks, written once both as a planner request (for the
 * warehouse-level paths) and as the GraphQL operation a dashboard sends (for the HTTP paths).
 */
export const SUM_KPIS = [
  'averageTransaction',
  'grossMargin',
  'grossProfit',
  'lineItems',
  'netSales',
  'netUnitsSold',
  'returnRate',
  'returnsValue',
  'totalCost',
  'totalRevenue',
  'transactions',
  'unitsReturned',
  'unitsSold',
] as const;
/** Unique counts of rollup dimensions: the rollup can answer them (uniqExact over its rows). */
export const DIM_UNIQUE_KPIS = ['uniqueBranches', 'uniqueSalespeople'] as const;
/** Unique counts of item/customer: only the raw table can answer them. */
export const RAW_UNIQUE_KPIS = ['uniqueCustomers', 'uniqueProducts'] as const;

export const KPI_SETS = {
  sums: [...SUM_KPIS],
  'sums+dim-uniques': [...SUM_KPIS, ...DIM_UNIQUE_KPIS].sort(),
  'sums+all-uniques': [...SUM_KPIS, ...DIM_UNIQUE_KPIS, ...RAW_UNIQUE_KPIS].sort(),
} as const;
export type KpiSetName = keyof typeof KPI_SETS;

export const SHAPES = {
  totals: { type: 'totals' },
  'daily series (90 d)': { type: 'series', grain: 'DAY' },
  'breakdown by branch': { type: 'breakdown', by: 'branch', top: 10, orderBy: 'netSales', direction: 'DESC' },
} as const satisfies Record<string, QueryShape>;
export type ShapeName = keyof typeof SHAPES;

export interface Range {
  readonly from: Date;
  readonly to: Date;
}
/** The whole 90 days every benchmark file spans. */
export const FULL_RANGE: Range = { from: DATA_FROM, to: DATA_TO };
/** One day in the middle: a query small enough that the gateway's own cost is not lost in noise. */
export const ONE_DAY: Range = {
  from: new Date(DATA_FROM.getTime() + 45 * 86_400_000),
  to: new Date(DATA_FROM.getTime() + 46 * 86_400_000),
};

export function kpiRequest(
  dataset: string,
  shape: ShapeName,
  kpis: readonly string[],
  filters: Record<string, string[]> = {},
  range: Range = FULL_RANGE,
): KpiRequest {
  return {
    kind: 'sales',
    dataset,
    range,
    timeZone: 'UTC',
    filters,
    kpis: [...kpis].sort(),
    shape: SHAPES[shape],
  };
}

const selection = (kpis: readonly string[]) => kpis.map((id) => `${id} { value }`).join(' ');

/** The GraphQL field of one report for a shape, selecting `value` of each KPI. */
export function reportField(shape: ShapeName, kpis: readonly string[]): string {
  switch (SHAPES[shape].type) {
    case 'totals':
      return `totals { ${selection(kpis)} }`;
    case 'series':
      return `series(grain: DAY) { start kpis { ${selection(kpis)} } }`;
    case 'breakdown':
      return `breakdown(by: BRANCH, top: 10, orderBy: NET_SALES) { key kpis { ${selection(kpis)} } }`;
  }
}

export function dashboardOperation(shape: ShapeName, kpis: readonly string[]): string {
  return `query($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { sales(dataset: $dataset, range: { from: $from, to: $to }) { ${reportField(shape, kpis)} } }`;
}

export const rangeVariables = (dataset: string, range: Range = FULL_RANGE) => ({
  dataset,
  from: range.from.toISOString(),
  to: range.to.toISOString(),
});

/** Rows as every engine reports them, so gateway, planner and peers can be compared value by value. */
export interface Answer {
  readonly key: string;
  readonly kpis: Record<string, number | null>;
}

export function answersFromRows(rows: readonly KpiRow[]): Answer[] {
  return rows.map((row) => ({
    key: row.bucketStart ? row.bucketStart.toISOString() : row.key !== undefined ? String(row.key) : 'total',
    kpis: Object.fromEntries(Object.entries(row.kpis).map(([id, v]) => [id, v.value])),
  }));
}

type GqlKpis = Record<string, { value: number | null }>;

export async function askGateway(
  graphqlUrl: string,
  dataset: string,
  shape: ShapeName,
  kpis: readonly string[],
): Promise<Answer[]> {
  const data = await graphql<{
    sales: {
      totals?: GqlKpis;
      series?: Array<{ start: string; kpis: GqlKpis }>;
      breakdown?: Array<{ key: string; kpis: GqlKpis }>;
    };
  }>(graphqlUrl, dashboardOperation(shape, kpis), rangeVariables(dataset));
  const flat = (k: GqlKpis) => Object.fromEntries(Object.entries(k).map(([id, v]) => [id, v.value]));
  const { totals, series, breakdown } = data.sales;
  if (totals) return [{ key: 'total', kpis: flat(totals) }];
  if (series) return series.map((b) => ({ key: new Date(b.start).toISOString(), kpis: flat(b.kpis) }));
  return breakdown!.map((g) => ({ key: g.key, kpis: flat(g.kpis) }));
}

const RATIOS = new Set(['returnRate', 'grossMargin', 'averageTransaction']);

/**
 * Fails loudly unless both engines report the same groups and the same numbers: money and counts
 * exactly (the same double, so equal to the cent and below), ratios to 12 significant digits
 * (ratios of exact sums, divided in different engines).
 */
export function assertSameAnswers(
  what: string,
  expected: readonly Answer[],
  actual: readonly Answer[],
  kpis: readonly string[],
): void {
  const byKey = new Map(actual.map((a) => [a.key, a]));
  if (expected.length !== actual.length)
    throw new Error(`${what}: ${expected.length} groups vs ${actual.length}`);
  for (const row of expected) {
    const other = byKey.get(row.key);
    if (!other) throw new Error(`${what}: group ${row.key} missing`);
    for (const id of kpis) {
      const a = row.kpis[id];
      const b = other.kpis[id];
      if (a === undefined || b === undefined) throw new Error(`${what}: ${row.key}.${id} missing`);
      const same =
        a === b ||
        (a !== null && b !== null && RATIOS.has(id) && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a)));
      if (!same) throw new Error(`${what}: ${row.key}.${id} differs: ${a} vs ${b}`);
    }
  }
}
