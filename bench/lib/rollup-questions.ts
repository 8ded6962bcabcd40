import fs from 'node:fs';
import path from 'node:path';
import type { KpiRequest, QueryShape } from '../../src/kpi/kpi-types';
import { DATA_FROM, DATA_TO } from './data';
import { ROOT } from './paths';
import { assertSameAnswers, SUM_KPIS, type Answer } from './queries';

/**
 * Issue 17's questions, each as the GraphQL operation a dashboard sends and as the planner request
 * the raw-scan baseline compiles: whole-day and "up to now" totals, totals with distinct counts,
 * a 90-day daily series (UTC and Asia/Kolkata) and a top-10 breakdown.
 */
export interface Question {
  readonly label: string;
  readonly operation: string;
  readonly variables: Record<string, unknown>;
  readonly request: KpiRequest;
  /** The answer of the operation's data, comparable with the baseline's. */
  readonly answers: (data: unknown) => Answer[];
  /** Held to the speed target (≥ 5× at 10 M, ≥ 2× at 1 M); otherwise "not slower". */
  readonly target: boolean;
}

/** "Up to now": the range ends at 13:37:21 on its last day, mid-hour, as a live dashboard asks. */
export const UP_TO_NOW = { from: DATA_FROM, to: new Date(DATA_TO.getTime() - 37_359_000) };
const FOUR_UNIQUES = ['uniqueBranches', 'uniqueCustomers', 'uniqueProducts', 'uniqueSalespeople'];
const BREAKDOWN: QueryShape = {
  type: 'breakdown',
  by: 'branch',
  top: 10,
  orderBy: 'netSales',
  direction: 'DESC',
};

type Kpis = Record<string, { value: number | null }>;
const flat = (k: Kpis) => Object.fromEntries(Object.entries(k).map(([id, v]) => [id, v.value]));
const selection = (kpis: readonly string[]) => kpis.map((id) => `${id} { value }`).join(' ');

function question(
  label: string,
  spec: {
    dataset: string;
    kpis: readonly string[];
    shape: QueryShape;
    range?: typeof UP_TO_NOW;
    zone?: string;
  },
  target = true,
): Question {
  const range = spec.range ?? { from: DATA_FROM, to: DATA_TO };
  const kpis = [...spec.kpis].sort();
  const field =
    spec.shape.type === 'series'
      ? `series(grain: DAY) { start kpis { ${selection(kpis)} } }`
      : spec.shape.type === 'breakdown'
        ? `breakdown(by: BRANCH, top: 10, orderBy: NET_SALES) { key kpis { ${selection(kpis)} } }`
        : `totals { ${selection(kpis)} }`;
  const operation = `query($dataset: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $zone: String!) { sales(dataset: $dataset, range: { from: $from, to: $to }, timeZone: $zone) { ${field} } }`;
  return {
    label,
    operation,
    variables: {
      dataset: spec.dataset,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      zone: spec.zone ?? 'UTC',
    },
    request: {
      kind: 'sales',
      dataset: spec.dataset,
      range,
      timeZone: spec.zone ?? 'UTC',
      filters: {},
      kpis,
      shape: spec.shape,
    },
    answers: (data) => {
      const sales = (data as { sales: Record<string, unknown> }).sales;
      if (sales.totals) return [{ key: 'total', kpis: flat(sales.totals as Kpis) }];
      if (sales.series)
        return (sales.series as Array<{ start: string; kpis: Kpis }>).map((b) => ({
          key: new Date(b.start).toISOString(),
          kpis: flat(b.kpis),
        }));
      return (sales.breakdown as Array<{ key: string; kpis: Kpis }>).map((g) => ({
        key: g.key,
        kpis: flat(g.kpis),
      }));
    },
    target,
  };
}

export const QUESTIONS = (dataset: string): Question[] => [
  question('whole-day totals (90 days)', { dataset, kpis: SUM_KPIS, shape: { type: 'totals' } }),
  question('"up to now" totals (ends mid-hour)', {
    dataset,
    kpis: SUM_KPIS,
    shape: { type: 'totals' },
    range: UP_TO_NOW,
  }),
  question('totals + unique customers and products', {
    dataset,
    kpis: [...SUM_KPIS, 'uniqueCustomers', 'uniqueProducts'],
    shape: { type: 'totals' },
  }),
  question(
    '"up to now" totals + unique customers and products',
    {
      dataset,
      kpis: [...SUM_KPIS, 'uniqueCustomers', 'uniqueProducts'],
      shape: { type: 'totals' },
      range: UP_TO_NOW,
    },
    false,
  ),
  question(
    'totals + all four unique counts',
    { dataset, kpis: [...SUM_KPIS, ...FOUR_UNIQUES], shape: { type: 'totals' } },
    false,
  ),
  question(
    'last day "up to now" totals + unique customers (short range)',
    {
      dataset,
      kpis: [...SUM_KPIS, 'uniqueCustomers'],
      shape: { type: 'totals' },
      range: { from: new Date(UP_TO_NOW.to.getTime() - 86_400_000), to: UP_TO_NOW.to },
    },
    false,
  ),
  question('90-day daily series', { dataset, kpis: SUM_KPIS, shape: { type: 'series', grain: 'DAY' } }),
  question(
    'Asia/Kolkata 90-day daily series',
    { dataset, kpis: SUM_KPIS, shape: { type: 'series', grain: 'DAY' }, zone: 'Asia/Kolkata' },
    false,
  ),
  question('top-10 breakdown by branch', { dataset, kpis: SUM_KPIS, shape: BREAKDOWN }),
];

/** examples/report.graphql: KPI cards, a monthly chart and a top-3 branch table in one request. */
export const SCREEN_OPERATION = fs.readFileSync(path.join(ROOT, 'examples', 'report.graphql'), 'utf8');

const screenRequest = (dataset: string, kpis: string[], shape: QueryShape): KpiRequest => ({
  kind: 'sales',
  dataset,
  range: { from: DATA_FROM, to: DATA_TO },
  timeZone: 'UTC',
  filters: {},
  kpis: kpis.sort(),
  shape,
});

export const screenAnswers = {
  requests: (dataset: string): KpiRequest[] => [
    screenRequest(dataset, ['netSales', 'grossMargin', 'transactions', 'uniqueCustomers'], {
      type: 'totals',
    }),
    screenRequest(dataset, ['netSales'], { type: 'series', grain: 'MONTH' }),
    screenRequest(dataset, ['netSales', 'returnRate'], {
      type: 'breakdown',
      by: 'branch',
      top: 3,
      orderBy: 'netSales',
      direction: 'DESC',
    }),
  ],
  /** The screen's three parts equal the raw scan's answers. */
  compare(data: unknown, expected: Answer[][]): void {
    const sales = (
      data as {
        sales: {
          totals: Kpis;
          series: Array<{ start: string; kpis: Kpis }>;
          breakdown: Array<{ key: string; kpis: Kpis }>;
        };
      }
    ).sales;
    const [totals, series, breakdown] = expected;
    assertSameAnswers(
      'screen totals',
      totals ?? [],
      [{ key: 'total', kpis: flat(sales.totals) }],
      ['grossMargin', 'netSales', 'transactions', 'uniqueCustomers'],
    );
    assertSameAnswers(
      'screen series',
      series ?? [],
      sales.series.map((b) => ({ key: new Date(b.start).toISOString(), kpis: flat(b.kpis) })),
      ['netSales'],
    );
    assertSameAnswers(
      'screen breakdown',
      breakdown ?? [],
      sales.breakdown.map((g) => ({ key: g.key, kpis: flat(g.kpis) })),
      ['netSales', 'returnRate'],
    );
  },
};
