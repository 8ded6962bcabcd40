import {
  KPI_IDS,
  expectKpi,
  expectedKpis,
  generateSalesRows,
  groupBy,
  localBucketKey,
  toCsv,
  ALL_COLUMNS,
} from '../support/sales-fixture';
import { graphql, startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';

const rows = generateSalesRows({ seed: 5, rows: 1200, from: new Date('2025-01-01T00:00:00Z'), days: 90 });
let gateway: GatewayProcess;

beforeAll(async () => {
  gateway = await startGatewayProcess();
  expect((await upload(gateway.url, 'sem', toCsv(rows))).body.status).toBe('LOADED');
  expect(
    (
      await upload(
        gateway.url,
        'sem-lean',
        toCsv(
          rows,
          ALL_COLUMNS.filter((c) => c !== 'costCents' && c !== 'customer'),
        ),
      )
    ).body.status,
  ).toBe('LOADED');
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
});

const MARCH = { from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z' };
const between = (from: string, to: string) =>
  rows.filter((r) => r.time >= new Date(from) && r.time < new Date(to));

describe('period over period', () => {
  test('PREVIOUS_PERIOD compares with the window of equal length just before; PREVIOUS_YEAR has no data', async () => {
    const result = await graphql(
      gateway.url,
      `
        query ($from: DateTimeISO!, $to: DateTimeISO!) {
          sales(dataset: "sem", range: { from: $from, to: $to }) {
            totals(compare: PREVIOUS_PERIOD) {
              netSales {
                value
                comparison {
                  previous
                  change
                  changePercent
                  unavailable {
                    reason
                  }
                }
              }
              transactions {
                value
                comparison {
                  previous
                }
              }
            }
            lastYear: totals(compare: PREVIOUS_YEAR) {
              netSales {
                value
                comparison {
                  previous
                  unavailable {
                    reason
                  }
                }
              }
            }
          }
        }
      `,
      MARCH,
    );
    expect(result.errors).toBeUndefined();
    const now = expectedKpis(between(MARCH.from, MARCH.to));
    const before = expectedKpis(between('2025-01-29T00:00:00Z', MARCH.from));
    const [current, previous] = [
      (now.netSales as { value: number }).value,
      (before.netSales as { value: number }).value,
    ];
    const { netSales, transactions } = result.data.sales.totals;
    expect(netSales.value).toBe(current);
    expect(netSales.comparison.previous).toBe(previous);
    expect(netSales.comparison.change).toBeCloseTo(current - previous, 6);
    expect(netSales.comparison.changePercent).toBeCloseTo(
      ((current - previous) / Math.abs(previous)) * 100,
      9,
    );
    expect(transactions.comparison.previous).toBe((before.transactions as { value: number }).value);
    expect(result.data.sales.lastYear.netSales.comparison).toEqual({
      previous: null,
      unavailable: { reason: 'NO_PRIOR_PERIOD' },
    });
  });
});

describe('share of total in breakdowns', () => {
  test('each group carries its fraction of the slice total; shares of an additive KPI sum to 1', async () => {
    const result = await graphql(
      gateway.url,
      `
        query ($from: DateTimeISO!, $to: DateTimeISO!) {
          sales(dataset: "sem", range: { from: $from, to: $to }) {
            breakdown(by: BRANCH, top: 100) {
              key
              kpis {
                netSales {
                  value
                  share
                }
                grossMargin {
                  value
                  share
                }
              }
            }
          }
        }
      `,
      MARCH,
    );
    expect(result.errors).toBeUndefined();
    const groups = result.data.sales.breakdown as Array<{ key: string; kpis: any }>;
    const total = (expectedKpis(between(MARCH.from, MARCH.to)).netSales as { value: number }).value;
    const expected = groupBy(between(MARCH.from, MARCH.to), (r) => r.branch!);
    expect(groups).toHaveLength(expected.size);
    for (const group of groups) {
      const value = (expectedKpis(expected.get(group.key)!).netSales as { value: number }).value;
      expect(group.kpis.netSales.share).toBeCloseTo(value / total, 12);
      expect(group.kpis.grossMargin.share).toBeNull();
    }
    expect(groups.reduce((sum, g) => sum + g.kpis.netSales.share, 0)).toBeCloseTo(1, 12);
  });
});

describe('whichever table answers, the numbers are the same and exact', () => {
  // Without distinct items/customers, so that a rollup can answer where the range allows it.
  const ids = KPI_IDS.filter((id) => id !== 'uniqueProducts' && id !== 'uniqueCustomers');
  const kpis = ids.map((id) => `${id} { value unavailable { reason } }`).join(' ');
  test.each([
    ['whole UTC days: the daily rollup', '2025-02-01T00:00:00Z', '2025-03-15T00:00:00Z'],
    ['whole hours: the hourly rollup', '2025-02-01T05:00:00Z', '2025-03-15T19:00:00Z'],
    ['instants off the hour: the raw table', '2025-02-01T05:00:01Z', '2025-03-15T19:00:00Z'],
  ])(
    '%s: totals, a daily series and a branch breakdown equal a recomputation from the rows',
    async (_what, from, to) => {
      const result = await graphql(
        gateway.url,
        `query($from: DateTimeISO!, $to: DateTimeISO!) { sales(dataset: "sem", range: { from: $from, to: $to }) {
        totals { ${kpis} } series(grain: DAY) { start kpis { ${kpis} } } breakdown(by: BRANCH, top: 100) { key kpis { ${kpis} } }
      } }`,
        { from, to },
      );
      expect(result.errors).toBeUndefined();
      const kept = between(from, to);
      const check = (actual: Record<string, any>, rows: typeof kept, where: string) => {
        const expected = expectedKpis(rows);
        for (const id of ids) expectKpi(actual[id], expected[id], `${where}.${id}`);
      };
      const { totals, series, breakdown } = result.data.sales;
      check(totals, kept, 'totals');
      const days = groupBy(kept, (r) => localBucketKey(r.time, 'DAY', 'UTC'));
      expect(series.map((b: any) => localBucketKey(new Date(b.start), 'DAY', 'UTC'))).toEqual(
        [...days.keys()].sort(),
      );
      for (const bucket of series)
        check(bucket.kpis, days.get(localBucketKey(new Date(bucket.start), 'DAY', 'UTC'))!, bucket.start);
      const branches = groupBy(kept, (r) => String(r.branch));
      expect(breakdown).toHaveLength(branches.size);
      for (const group of breakdown)
        check(group.kpis, branches.get(String(group.key))!, `branch ${group.key}`);
    },
  );
});

describe('KPI catalog', () => {
  test('per dataset: supported, or why not; over a range: by row coverage', async () => {
    const result = await graphql(
      gateway.url,
      `
        {
          lean: kpiCatalog(dataset: "sem-lean") {
            id
            unit
            formula
            needs
            support {
              supported
              unavailable {
                reason
                missingColumns
              }
            }
          }
          empty: kpiCatalog(
            dataset: "sem"
            range: { from: "2030-01-01T00:00:00Z", to: "2030-02-01T00:00:00Z" }
          ) {
            id
            support {
              supported
              unavailable {
                reason
              }
            }
          }
          full: kpiCatalog(
            dataset: "sem"
            range: { from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z" }
          ) {
            id
            support {
              supported
            }
          }
        }
      `,
    );
    expect(result.errors).toBeUndefined();
    const lean = Object.fromEntries(result.data.lean.map((k: any) => [k.id, k]));
    expect(Object.keys(lean)).toEqual(KPI_IDS);
    for (const id of ['totalCost', 'grossProfit', 'grossMargin'])
      expect(lean[id].support).toEqual({
        supported: false,
        unavailable: { reason: 'MISSING_COLUMN', missingColumns: ['totalCost'] },
      });
    expect(lean.uniqueCustomers.support.unavailable.missingColumns).toEqual(['customer']);
    expect(lean.netSales).toMatchObject({
      unit: 'MONEY',
      formula: 'sum(grossRevenue) + sum(returnsValue)',
      needs: ['grossRevenue', 'returnsValue'],
      support: { supported: true },
    });
    expect(result.data.empty.every((k: any) => k.support.unavailable.reason === 'NO_DATA')).toBe(true);
    expect(result.data.full.every((k: any) => k.support.supported)).toBe(true);
  });
});

describe('response extensions and the cache', () => {
  const QUERY = `{ sales(dataset: "sem", range: { from: "2025-01-01T00:00:00Z", to: "2025-05-01T00:00:00Z" }) { totals { transactions { value } totalRevenue { value } } } }`;

  test('extensions report data version, freshness, cache use and ClickHouse work; a repeat is a cache hit', async () => {
    const first = await graphql(gateway.url, QUERY);
    expect(first.extensions?.kpi).toMatchObject({
      datasets: { sem: { dataVersion: 2, lastIngestAt: expect.any(String) } },
      // Whole UTC days: the daily rollup answers, and the response names it.
      clickhouse: { queries: expect.any(Number), sources: [['d1']] },
    });
    const again = await graphql(gateway.url, QUERY);
    expect(again.extensions?.kpi).toMatchObject({
      cache: { hits: 1, misses: 0, response: 'HIT' },
      clickhouse: { queries: 0, rowsRead: 0 },
    });
    expect(again.data).toEqual(first.data);
    // Written differently, the operation misses the whole-answer cache but its KPI query hits the KPI cache.
    const aliased = await graphql(gateway.url, QUERY.replace('totals {', 'sums: totals {'));
    expect(aliased.extensions?.kpi).toMatchObject({
      cache: { hits: 1, misses: 0 },
      clickhouse: { queries: 0 },
    });
    expect(aliased.extensions?.kpi.cache.response).toBeUndefined();
    expect(aliased.data.sales.sums).toEqual(first.data.sales.totals);
  });

  test('KPIs left out by @include or @skip are not computed', async () => {
    const series = (kpis: string) => `query ${kpis.includes('$u') ? '($u: Boolean!)' : ''} {
      sales(dataset: "sem", range: { from: "2025-01-01T00:00:00Z", to: "2025-03-01T00:00:00Z" }, timeZone: "Europe/Berlin") {
        series(grain: DAY) { kpis { ${kpis} } }
      }
    }`;
    const without = await graphql(
      gateway.url,
      series(
        'netSales { value } ... on SalesKpis @include(if: $u) { uniqueCustomers { value } } uniqueProducts @skip(if: true) { value }',
      ),
      { u: false },
    );
    expect(without.errors).toBeUndefined();
    expect(Object.keys(without.data.sales.series[0].kpis)).toEqual(['netSales']);
    expect(without.extensions?.kpi.clickhouse.queries).toBe(1);
    // The statement computed net sales alone: the same series asked without directives is the
    // same KPI query, answered from the KPI cache.
    const plain = await graphql(gateway.url, series('netSales { value }'));
    expect(plain.extensions?.kpi).toMatchObject({
      cache: { hits: 1, misses: 0 },
      clickhouse: { queries: 0 },
    });
    expect(plain.data.sales.series).toEqual(without.data.sales.series);
    const withUniques = await graphql(
      gateway.url,
      series('netSales { value } ... on SalesKpis @include(if: $u) { uniqueCustomers { value } }'),
      { u: true },
    );
    expect(Object.keys(withUniques.data.sales.series[0].kpis).sort()).toEqual([
      'netSales',
      'uniqueCustomers',
    ]);
    expect(withUniques.extensions?.kpi.cache.misses).toBe(1);
  });

  test('the first read after an upload reports LOADED sees the new rows', async () => {
    const before = (await graphql(gateway.url, QUERY)).data.sales.totals;
    const extra = toCsv(
      generateSalesRows({ seed: 99, rows: 10, from: new Date('2025-02-01T00:00:00Z'), days: 1 }),
    );
    expect((await upload(gateway.url, 'sem', extra)).body.status).toBe('LOADED');
    const after = await graphql(gateway.url, QUERY);
    expect(after.data.sales.totals.transactions.value).toBe(before.transactions.value + 10);
    expect(after.extensions?.kpi).toMatchObject({
      datasets: { sem: { dataVersion: 4 } },
      cache: { misses: 1 },
    });
    expect(after.extensions?.kpi.cache.response).toBeUndefined();
  });

  test('the upload ledger is never answered whole from cache: a status change shows at once', async () => {
    const slot = await graphql(
      gateway.url,
      `
        mutation {
          createUpload(dataset: "sem", kind: SALES) {
            url
            upload {
              id
              status
            }
          }
        }
      `,
    );
    const id = slot.data.createUpload.upload.id as string;
    const ask = () =>
      graphql(
        gateway.url,
        `
          query ($id: ID!) {
            upload(id: $id) {
              status
              error {
                code
              }
            }
          }
        `,
        { id },
      );
    const pending = await ask();
    expect(pending.errors).toBeUndefined();
    expect(pending.data.upload).toEqual({ status: 'PENDING', error: null });
    const generationBefore = (await graphql(gateway.url, QUERY)).extensions?.kpi.datasets.sem.dataVersion;
    // An empty file is rejected before loading: the status changes, no data version does.
    expect((await fetch(slot.data.createUpload.url, { method: 'PUT', body: '' })).ok).toBe(true);
    const started = await graphql(
      gateway.url,
      `
        mutation ($id: ID!) {
          startUpload(id: $id) {
            status
            error {
              code
            }
          }
        }
      `,
      { id },
    );
    expect(started.data.startUpload).toEqual({ status: 'REJECTED', error: { code: 'EMPTY_FILE' } });
    expect((await graphql(gateway.url, QUERY)).extensions?.kpi.datasets.sem.dataVersion).toBe(
      generationBefore,
    );
    expect((await ask()).data.upload).toEqual({ status: 'REJECTED', error: { code: 'EMPTY_FILE' } });
  });
});

test('every KPI still matches after all of the above (compare and share do not disturb values)', async () => {
  const result = await graphql(
    gateway.url,
    `{ sales(dataset: "sem-lean", range: { from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z" }) { totals(compare: PREVIOUS_PERIOD) { ${KPI_IDS.map((id) => `${id} { value unavailable { reason } }`).join(' ')} } } }`,
  );
  const expected = expectedKpis(
    between('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z'),
    ALL_COLUMNS.filter((c) => c !== 'costCents' && c !== 'customer'),
  );
  for (const id of KPI_IDS) expectKpi(result.data.sales.totals[id], expected[id], id);
});
