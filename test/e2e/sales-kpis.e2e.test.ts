import {
  KPI_IDS,
  expectKpi,
  expectedKpis,
  generateSalesRows,
  groupBy,
  localBucketKey,
  toCsv,
  ALL_COLUMNS,
  type SalesRow,
} from '../support/sales-fixture';
import { graphql, startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';

const KPI_SELECTION = KPI_IDS.map(
  (id) => `${id} { value unavailable { reason coverage missingColumns message } }`,
).join(' ');
const FROM = new Date('2025-01-01T00:00:00Z');
const TO = new Date('2025-05-01T00:00:00Z');
const rows = generateSalesRows({ seed: 42, rows: 3000, from: FROM, days: 119 });
const NO_COST = ALL_COLUMNS.filter((c) => c !== 'costCents');

let gateway: GatewayProcess;

beforeAll(async () => {
  gateway = await startGatewayProcess();
  const full = await upload(gateway.url, 'e2e-full', toCsv(rows));
  expect(full).toMatchObject({ status: 201, body: { status: 'LOADED', rowsLoaded: rows.length } });
  const noCost = await upload(gateway.url, 'e2e-no-cost', toCsv(rows, NO_COST, '\r\n'));
  expect(noCost).toMatchObject({ status: 201, body: { status: 'LOADED', rowsLoaded: rows.length } });
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
});

function inRange(from: Date, to: Date): SalesRow[] {
  return rows.filter((r) => r.time >= from && r.time < to);
}

function checkAll(
  actual: Record<string, any>,
  expected: ReturnType<typeof expectedKpis>,
  where: string,
): void {
  for (const id of KPI_IDS) expectKpi(actual[id], expected[id], `${where}.${id}`);
}

async function report(dataset: string, from: Date, to: Date, body: string, extraArgs = '') {
  const result = await graphql(
    gateway.url,
    `query($from: DateTimeISO!, $to: DateTimeISO!) { sales(dataset: "${dataset}", range: { from: $from, to: $to }${extraArgs}) { ${body} } }`,
    { from, to },
  );
  expect(result.errors).toBeUndefined();
  return result.data.sales;
}

describe('sales KPIs over HTTP, against an independent computation over the same CSV', () => {
  test('totals: every KPI over the whole range (rollup) and over a range not on hour boundaries (raw)', async () => {
    const whole = await report('e2e-full', FROM, TO, `totals { ${KPI_SELECTION} }`);
    checkAll(whole.totals, expectedKpis(rows), 'totals');

    const from = new Date('2025-02-03T10:30:00Z');
    const to = new Date('2025-03-17T08:15:45Z');
    const part = await report('e2e-full', from, to, `totals { ${KPI_SELECTION} }`);
    checkAll(part.totals, expectedKpis(inRange(from, to)), 'partial totals');
  });

  test.each([
    ['HOUR', 'UTC', new Date('2025-03-01T00:00:00Z'), new Date('2025-03-08T00:00:00Z')],
    ['DAY', 'UTC', FROM, TO],
    ['WEEK', 'UTC', FROM, TO],
    ['MONTH', 'UTC', FROM, TO],
    ['DAY', 'Europe/Berlin', FROM, TO],
    ['WEEK', 'America/New_York', FROM, TO],
    ['DAY', 'Asia/Kolkata', FROM, TO],
    ['HOUR', 'Asia/Kolkata', new Date('2025-03-01T00:00:00Z'), new Date('2025-03-04T00:00:00Z')],
  ] as const)('series at %s in %s: every bucket, every KPI', async (grain, zone, from, to) => {
    const data = await report(
      'e2e-full',
      from,
      to,
      `series(grain: ${grain}) { start end kpis { ${KPI_SELECTION} } }`,
      `, timeZone: "${zone}"`,
    );
    const expected = groupBy(inRange(from, to), (r) => localBucketKey(r.time, grain, zone));
    const buckets = data.series as Array<{ start: string; end: string; kpis: Record<string, any> }>;
    expect(buckets.map((b) => localBucketKey(new Date(b.start), grain, zone))).toEqual(
      [...expected.keys()].sort(),
    );
    for (const bucket of buckets) {
      const key = localBucketKey(new Date(bucket.start), grain, zone);
      // The bucket starts exactly on a local boundary and ends where the next bucket starts.
      expect(localBucketKey(new Date(new Date(bucket.start).getTime() - 1000), grain, zone)).not.toBe(key);
      expect(localBucketKey(new Date(new Date(bucket.end).getTime() - 1000), grain, zone)).toBe(key);
      checkAll(bucket.kpis, expectedKpis(expected.get(key)!), `${grain} ${zone} ${key}`);
    }
  });

  test.each([
    ['BRANCH', 'branch', 'NET_SALES', 'netSales', 'DESC'],
    ['PRODUCT_LINE', 'productLine', 'GROSS_MARGIN', 'grossMargin', 'ASC'],
    ['ITEM_GROUP', 'itemGroup', 'TRANSACTIONS', 'transactions', 'DESC'],
    ['SALES_PERSON', 'salesPerson', 'UNIQUE_CUSTOMERS', 'uniqueCustomers', 'DESC'],
  ] as const)(
    'breakdown by %s (column %s) ordered by %s: ranking and every KPI of every group',
    async (by, column, orderBy, kpi, direction) => {
      const data = await report(
        'e2e-full',
        FROM,
        TO,
        `breakdown(by: ${by}, top: 3, orderBy: ${orderBy}, direction: ${direction}) { key rank kpis { ${KPI_SELECTION} } }`,
      );
      const groups = [...groupBy(rows, (r) => r[column] as string)].map(([key, members]) => ({
        key,
        expected: expectedKpis(members),
      }));
      const sign = direction === 'DESC' ? -1 : 1;
      groups.sort(
        (a, b) =>
          sign *
            ((a.expected[kpi] as { value: number }).value - (b.expected[kpi] as { value: number }).value) ||
          a.key.localeCompare(b.key),
      );
      const top = groups.slice(0, 3);
      expect(data.breakdown.map((g: { key: string }) => g.key)).toEqual(top.map((g) => g.key));
      // The keys are equal (above), so the i-th group answers the i-th expectation.
      top.forEach((wanted, i) => {
        const group: { key: string; rank: number; kpis: Record<string, any> } = data.breakdown[i];
        expect(group.rank).toBe(i + 1);
        checkAll(group.kpis, wanted.expected, `${by} ${group.key}`);
      });
    },
  );

  test('filters narrow every KPI to the chosen dimension values', async () => {
    const data = await report(
      'e2e-full',
      FROM,
      TO,
      `totals { ${KPI_SELECTION} }`,
      ', filter: { branch: ["Nairobi", "Kisumu"], itemGroup: ["A"] }',
    );
    checkAll(
      data.totals,
      expectedKpis(rows.filter((r) => ['Nairobi', 'Kisumu'].includes(r.branch!) && r.itemGroup === 'A')),
      'filtered',
    );
  });

  test('an upload without totalCost: cost, profit and margin are null with MISSING_COLUMN, the rest resolve', async () => {
    const data = await report(
      'e2e-no-cost',
      FROM,
      TO,
      `totals { ${KPI_SELECTION} } series(grain: MONTH) { kpis { grossMargin { value unavailable { reason missingColumns } } netSales { value } } }`,
    );
    const expected = expectedKpis(rows, NO_COST);
    checkAll(data.totals, expected, 'no-cost totals');
    for (const id of ['totalCost', 'grossProfit', 'grossMargin']) {
      expect(data.totals[id]).toMatchObject({
        value: null,
        unavailable: { reason: 'MISSING_COLUMN', missingColumns: ['totalCost'] },
      });
    }
    for (const id of KPI_IDS.filter((k) => !['totalCost', 'grossProfit', 'grossMargin'].includes(k)))
      expect(data.totals[id].value).not.toBeNull();
    for (const bucket of data.series) {
      expect(bucket.kpis.grossMargin).toEqual({
        value: null,
        unavailable: { reason: 'MISSING_COLUMN', missingColumns: ['totalCost'] },
      });
      expect(bucket.kpis.netSales.value).not.toBeNull();
    }
  });

  test('a range with no rows answers NO_DATA, never 0', async () => {
    const data = await report(
      'e2e-full',
      new Date('2030-01-01T00:00:00Z'),
      new Date('2030-02-01T00:00:00Z'),
      `totals { ${KPI_SELECTION} }`,
    );
    for (const id of KPI_IDS)
      expect(data.totals[id]).toMatchObject({ value: null, unavailable: { reason: 'NO_DATA' } });
  });
});

describe('datasets and the upload ledger', () => {
  test('datasets list both, with their columns and row counts', async () => {
    const result = await graphql(
      gateway.url,
      '{ datasets(kind: SALES) { name kind rows loadedUploads dataVersion columns } }',
    );
    expect(result.data.datasets).toEqual([
      expect.objectContaining({
        name: 'e2e-full',
        kind: 'SALES',
        rows: 3000,
        loadedUploads: 1,
        dataVersion: 2 /* loading started, loaded */,
        columns: expect.arrayContaining(['totalCost', 'customer']),
      }),
      expect.objectContaining({
        name: 'e2e-no-cost',
        rows: 3000,
        columns: expect.not.arrayContaining(['totalCost']),
      }),
    ]);
  });

  test('uploads are paged newest first and upload(id) finds one', async () => {
    const first = await graphql(
      gateway.url,
      '{ uploads(first: 1) { nodes { id dataset status rowsLoaded bytes sha256 error { code } } pageInfo { hasNextPage endCursor } } }',
    );
    expect(first.data.uploads.nodes).toEqual([
      expect.objectContaining({ dataset: 'e2e-no-cost', status: 'LOADED', rowsLoaded: 3000, error: null }),
    ]);
    expect(first.data.uploads.pageInfo.hasNextPage).toBe(true);
    const second = await graphql(
      gateway.url,
      `{ uploads(first: 5, after: "${first.data.uploads.pageInfo.endCursor}") { nodes { id dataset } pageInfo { hasNextPage } } }`,
    );
    expect(second.data.uploads.nodes.map((u: { dataset: string }) => u.dataset)).toEqual(['e2e-full']);
    expect(second.data.uploads.pageInfo.hasNextPage).toBe(false);
    const one = await graphql(
      gateway.url,
      `{ upload(id: "${second.data.uploads.nodes[0].id}") { dataset columns ignoredColumns } missing: upload(id: "nope") { id } }`,
    );
    expect(one.data).toEqual({
      upload: {
        dataset: 'e2e-full',
        columns: expect.arrayContaining(['time', 'grossRevenue']),
        ignoredColumns: [],
      },
      missing: null,
    });
  });
});

describe('errors are typed and clear', () => {
  test.each([
    [
      'an unknown dataset',
      '{ sales(dataset: "nope", range: { from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z" }) { totals { netSales { value } } } }',
      'DATASET_NOT_FOUND',
    ],
    [
      'an unknown time zone',
      '{ sales(dataset: "e2e-full", timeZone: "Mars/Base", range: { from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z" }) { totals { netSales { value } } } }',
      'BAD_USER_INPUT',
    ],
    [
      'a reversed range',
      '{ sales(dataset: "e2e-full", range: { from: "2025-02-01T00:00:00Z", to: "2025-01-01T00:00:00Z" }) { totals { netSales { value } } } }',
      'BAD_USER_INPUT',
    ],
    [
      'top above the maximum',
      '{ sales(dataset: "e2e-full", range: { from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z" }) { breakdown(by: BRANCH, top: 1000) { key } } }',
      'BAD_USER_INPUT',
    ],
    [
      'an hourly series over 10 years',
      '{ sales(dataset: "e2e-full", range: { from: "2015-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z" }) { series(grain: HOUR) { start } } }',
      'BAD_USER_INPUT',
    ],
  ])('%s', async (_what, query, code) => {
    const result = await graphql(gateway.url, query);
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
  });

  test('uploads: a new dataset without a kind, a kind mismatch and a missing required column', async () => {
    expect(
      await upload(gateway.url, 'brand-new', 'time,grossRevenue\n2025-01-01T00:00:00Z,1\n', ''),
    ).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT' } } });
    expect(await upload(gateway.url, 'e2e-full', 'time,grossRevenue\n', 'lottery')).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_USER_INPUT' } },
    });
    expect(await upload(gateway.url, 'e2e-full', 'time,grossRevenue\n', 'turnout')).toMatchObject({
      status: 409,
      body: { error: { code: 'DATASET_KIND_MISMATCH' } },
    });
    const missing = await upload(gateway.url, 'e2e-bad', 'time,branch\n2025-01-01T00:00:00Z,X\n');
    expect(missing).toMatchObject({
      status: 422,
      body: { status: 'REJECTED', error: { code: 'BAD_HEADER' } },
    });
    expect(missing.body.error.message).toContain('grossRevenue');
  });
});
