import 'reflect-metadata';
import {
  getVariableValues,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { DEFAULT_LIMITS } from '../../src/config/limits-config';
import { AppError } from '../../src/errors/app-error';
import {
  costRefusal,
  costUnits,
  operationCost,
  type OperationCost,
} from '../../src/graphql/limits/operation-cost';
import { plannedRequests } from '../../src/graphql/limits/planned-queries';
import { TokenBuckets } from '../../src/graphql/limits/token-buckets';
import { gatewaySchema } from '../../src/graphql/schema';

const schema = gatewaySchema();
const LIMITS = DEFAULT_LIMITS.cost;

function costOf(source: string, variables: Record<string, unknown> = {}): OperationCost {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (!coerced.coerced) throw new Error(JSON.stringify(coerced.errors));
  return operationCost(
    plannedRequests(operation, fragments, schema.getQueryType()!, coerced.coerced),
    LIMITS.maxSeriesBuckets,
  );
}

const MARCH = 'range: { from: "2025-03-01T00:00:00Z", to: "2025-04-01T00:00:00Z" }';
const sales = (body: string, args = MARCH) => `sales(dataset: "s", ${args}) { ${body} }`;

describe('the analytics cost of an operation', () => {
  test('aliases of one slice are one slice; different ranges are different slices', () => {
    const same = Array.from({ length: 50 }, (_, i) => `a${i}: ${sales('totals { netSales { value } }')}`);
    expect(costOf(`{ ${same.join(' ')} }`)).toMatchObject({ slices: 1, kpis: 1, rawSlices: 0 });
    const ranges = Array.from(
      { length: 100 },
      (_, i) =>
        `a${i}: ${sales('totals { netSales { value } }', `range: { from: "2025-01-01T00:00:00Z", to: "2025-03-${String((i % 28) + 1).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z" }`)}`,
    );
    const cost = costOf(`{ ${ranges.join(' ')} }`);
    expect(cost.slices).toBe(100);
    const refusal = costRefusal(cost, LIMITS);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({
      code: 'COST_LIMIT',
      details: { figure: 'slices', value: 100, limit: LIMITS.maxSlices },
    });
    expect(refusal!.message).toContain('100 distinct slices');
  });

  test('series buckets are range ÷ grain; a series past the per-series bound names the grain argument', () => {
    expect(costOf(`{ ${sales('series(grain: HOUR) { kpis { netSales { value } } }')} }`)).toMatchObject({
      slices: 1,
      buckets: 31 * 24,
    });
    expect(costOf(`{ ${sales('series(grain: DAY) { start }')} }`).buckets).toBe(31);
    const years = 'range: { from: "2023-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z" }';
    expect(() => costOf(`{ ${sales('series(grain: HOUR) { start }', years)} }`)).toThrow(
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        details: expect.objectContaining({
          argument: 'grain',
          buckets: 731 * 24,
          limit: LIMITS.maxSeriesBuckets,
        }),
      }),
    );
    expect(costOf(`{ ${sales('series(grain: WEEK) { start }', years)} }`).buckets).toBe(105);
  });

  test('breakdown groups are `top`; asking for shares adds the slice total', () => {
    expect(
      costOf(`{ ${sales('breakdown(by: BRANCH, top: 50) { key kpis { netSales { value } } }')} }`),
    ).toMatchObject({ slices: 1, groups: 50 });
    expect(
      costOf(`{ ${sales('breakdown(by: BRANCH, top: 50) { kpis { netSales { value share } } }')} }`),
    ).toMatchObject({ slices: 2, groups: 50 });
  });

  test('KPI cards per value of one dimension are one grouped query, as the loader runs them', () => {
    const cards = Array.from(
      { length: 40 },
      (_, i) =>
        `b${i}: sales(dataset: "s", ${MARCH}, filter: { branch: ["b${i}"] }) { totals { netSales { value } } }`,
    );
    expect(costOf(`{ ${cards.join(' ')} }`)).toMatchObject({ slices: 1, groups: 40 });
  });

  test('a comparison is a second slice; a range off the quarter hour reads the raw table, distinct customers do not', () => {
    expect(costOf(`{ ${sales('totals(compare: PREVIOUS_PERIOD) { netSales { value } }')} }`).slices).toBe(2);
    // Off the quarter hours (a range stitched from rollups still reads raw edges: counted as raw).
    const offHour = 'range: { from: "2025-03-01T00:07:00Z", to: "2025-04-01T00:00:00Z" }';
    expect(costOf(`{ ${sales('totals { netSales { value } }', offHour)} }`).rawSlices).toBe(1);
    // Distinct customers merge the exact states of the daily rollup.
    expect(costOf(`{ ${sales('totals { uniqueCustomers { value } }')} }`).rawSlices).toBe(0);
    expect(costOf(`{ ${sales('totals { netSales { value } }')} }`).rawSlices).toBe(0);
  });

  test('`totals { __typename }` asks for nothing; variables are read as execution reads them', () => {
    expect(costOf(`{ ${sales('totals { __typename }')} }`)).toMatchObject({ slices: 0, units: 0 });
    const cost = costOf(
      'query ($from: DateTimeISO!, $to: DateTimeISO!, $g: Grain!) { sales(dataset: "s", range: { from: $from, to: $to }) { series(grain: $g) { start } } }',
      { from: '2025-03-01T00:00:00Z', to: '2025-03-02T00:00:00Z', g: 'HOUR' },
    );
    expect(cost.buckets).toBe(24);
  });

  test('each `kpiCatalog` over a range is a query of its own (its resolver does not merge them)', () => {
    const catalog = Array.from({ length: 3 }, (_, i) => `c${i}: kpiCatalog(dataset: "s", ${MARCH}) { id }`);
    expect(costOf(`{ ${catalog.join(' ')} kpiCatalog(dataset: "s") { id } }`)).toMatchObject({ slices: 3 });
  });

  test('ledger reads are queries too: a page of uploads, and each upload whose row errors are asked', () => {
    expect(costOf('{ uploads(first: 50) { nodes { id } } upload(id: "x") { id } }')).toMatchObject({
      slices: 2,
      kpis: 0,
      rawSlices: 0,
    });
    const cost = costOf('{ a: uploads(first: 100) { nodes { id rowErrors { message } } } }');
    expect(cost.slices).toBe(101);
    expect(costRefusal(cost, LIMITS)?.details).toMatchObject({ figure: 'slices', value: 101 });
  });

  test('units: a slice is one, a raw slice ten, plus buckets/100, groups/100, KPIs/50', () => {
    expect(costUnits({ slices: 3, rawSlices: 1, buckets: 250, groups: 100, kpis: 10 })).toBe(
      Math.ceil(3 + 9 + 2.5 + 1 + 0.2),
    );
  });

  test('fragments that spread fragments, nested: counted in linear time, KPIs found at any depth', () => {
    const fanOut = (depth: number) => {
      const fragments: string[] = [];
      for (let level = 0; level < depth; level += 1)
        for (let j = 0; j < 3; j += 1) {
          const body =
            level === depth - 1
              ? 'netSales { value } totalRevenue { value }'
              : [0, 1, 2].map((k) => `...F${level + 1}_${k}`).join(' ');
          fragments.push(`fragment F${level}_${j} on SalesKpis { ${body} }`);
        }
      return `{ ${sales('totals { ...F0_0 ...F0_1 ...F0_2 }')} }\n${fragments.join('\n')}`;
    };
    const started = performance.now();
    // 3^40 paths through the fragments: only a walk that remembers fragments finishes.
    expect(costOf(fanOut(40))).toMatchObject({ slices: 1, kpis: 2 });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('token buckets (rate limits and cost budgets)', () => {
  test('a burst of capacity, then refused with the wait until enough tokens are back', () => {
    const buckets = new TokenBuckets(10, 1 / 100);
    expect(buckets.take('a', 6, 0).ok).toBe(true);
    expect(buckets.take('a', 6, 0)).toEqual({ ok: false, retryAfterMs: 200 });
    expect(buckets.take('b', 6, 0).ok).toBe(true);
    expect(buckets.take('a', 6, 200).ok).toBe(true);
    // Asking for more than the bucket holds takes a full bucket.
    expect(buckets.take('c', 50, 0).ok).toBe(true);
    expect(buckets.take('c', 1, 0)).toEqual({ ok: false, retryAfterMs: 100 });
  });
});
