import { generateSalesRows, toCsv } from '../support/sales-fixture';
import { startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';

/**
 * Work is bounded before any database work (issue 13, item 4) and arguments are checked at the
 * edge (item 5): every rule over HTTP against the built gateway, with ClickHouse's statement
 * count read from /metrics where a rule promises that nothing ran.
 */
let gateway: GatewayProcess;
const rows = generateSalesRows({ seed: 13, rows: 2_000, from: new Date('2025-01-01T00:00:00Z'), days: 90 });
const MARCH = 'range: { from: "2025-03-01T00:00:00Z", to: "2025-04-01T00:00:00Z" }';

beforeAll(async () => {
  gateway = await startGatewayProcess();
  expect((await upload(gateway.url, 'bw', toCsv(rows))).body.status).toBe('LOADED');
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
});

async function clickhouseQueries(): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const match = /^kpi_gateway_clickhouse_queries_total (\d+)$/m.exec(text);
  if (!match) throw new Error(`no query counter in /metrics:\n${text}`);
  return Number(match[1]);
}

async function post(query: string, variables: Record<string, unknown> = {}) {
  const started = performance.now();
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any, ms: performance.now() - started };
}

/** Fragments spreading three fragments each, `depth` levels deep: 3^depth paths to the KPIs. */
function fanOut(depth: number, range = MARCH): string {
  const fragments: string[] = [];
  for (let level = 0; level < depth; level += 1)
    for (let j = 0; j < 3; j += 1) {
      const body =
        level === depth - 1
          ? 'netSales { value } transactions { value }'
          : [0, 1, 2].map((k) => `...F${level + 1}_${k}`).join(' ');
      fragments.push(`fragment F${level}_${j} on SalesKpis { ${body} }`);
    }
  return `{ sales(dataset: "bw", ${range}) { totals { ...F0_0 ...F0_1 ...F0_2 } } }\n${fragments.join('\n')}`;
}

describe('document-shaped attacks run in time linear in the document', () => {
  test('a fragment fan-out answers, doubling its depth does not more than ~double the time, /healthz stays responsive', async () => {
    const inline = await post(
      `{ sales(dataset: "bw", ${MARCH}) { totals { netSales { value } transactions { value } } } }`,
    );
    await post(fanOut(6)); // warm up
    const timeOf = async (depth: number) => {
      const times: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const result = await post(fanOut(depth));
        expect(result.body.data.sales.totals).toEqual(inline.body.data.sales.totals);
        times.push(result.ms);
      }
      return Math.min(...times);
    };
    const shallow = await timeOf(12);
    const deep = await timeOf(24);
    // 3^24 paths: a walk over paths would not finish; one linear in the document takes ~2× as long.
    expect(deep).toBeLessThan(Math.max(2.5 * shallow, shallow + 50));
    const health = fetch(`${gateway.url}/healthz`).then(async (r) => ({
      status: r.status,
      at: performance.now(),
    }));
    const started = performance.now();
    const [attack, healthz] = await Promise.all([post(fanOut(40)), health]);
    expect(attack.status).toBe(200);
    expect(healthz.status).toBe(200);
    expect(healthz.at - started).toBeLessThan(1_000);
  });

  test('a KPI behind 40 nested fragments, and `totals { __typename }`, answer normally', async () => {
    const chain = Array.from(
      { length: 40 },
      (_, i) => `fragment C${i} on SalesKpis { ${i === 39 ? 'netSales { value }' : `...C${i + 1}`} }`,
    );
    const nested = await post(`{ sales(dataset: "bw", ${MARCH}) { totals { ...C0 } } }\n${chain.join('\n')}`);
    const inline = await post(`{ sales(dataset: "bw", ${MARCH}) { totals { netSales { value } } } }`);
    expect(nested.body.errors).toBeUndefined();
    expect(nested.body.data).toEqual(inline.body.data);
    expect(typeof inline.body.data.sales.totals.netSales.value).toBe('number');
    const before = await clickhouseQueries();
    const typename = await post(`{ sales(dataset: "bw", ${MARCH}) { totals { __typename } } }`);
    expect(typename.body).toEqual({ data: { sales: { totals: { __typename: 'SalesKpis' } } } });
    expect(await clickhouseQueries()).toBe(before);
  });
});

describe('the analytics cost model refuses before any ClickHouse query', () => {
  test('1,000 root aliases over different ranges: COST_LIMIT naming the slices, zero ClickHouse queries', async () => {
    const aliases = Array.from({ length: 1_000 }, (_, i) => {
      const from = new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString();
      return `a${i}: sales(dataset: "bw", range: { from: "${from}", to: "2025-04-01T00:00:00Z" }) { totals { netSales { value } } }`;
    });
    const before = await clickhouseQueries();
    const result = await post(`{ ${aliases.join('\n')} }`);
    expect(result.status).toBe(400);
    expect(result.body.errors).toHaveLength(1);
    expect(result.body.errors[0].extensions).toMatchObject({
      code: 'COST_LIMIT',
      details: {
        figure: 'slices',
        value: 1_000,
        limit: 64,
        cost: expect.objectContaining({ slices: 1_000 }),
      },
    });
    expect(result.body.errors[0].message).toContain('1000 distinct slices');
    expect(await clickhouseQueries()).toBe(before);
  });

  test('1,000 aliases of one slice are one ClickHouse query', async () => {
    const range = 'range: { from: "2025-02-01T00:00:00Z", to: "2025-02-15T00:00:00Z" }';
    const aliases = Array.from(
      { length: 1_000 },
      (_, i) => `a${i}: sales(dataset: "bw", ${range}) { totals { unitsSold { value } } }`,
    );
    const result = await post(`{ ${aliases.join('\n')} }`);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.extensions.kpi.clickhouse.queries).toBe(1);
  });

  test('too many raw-table slices, buckets or groups: COST_LIMIT names that figure', async () => {
    const raw = Array.from(
      { length: 17 },
      (_, i) =>
        `r${i}: sales(dataset: "bw", range: { from: "2025-03-01T00:${String(i + 1).padStart(2, '0')}:00Z", to: "2025-04-01T00:00:00Z" }) { totals { uniqueCustomers { value } } }`,
    );
    const before = await clickhouseQueries();
    const rawResult = await post(`{ ${raw.join('\n')} }`);
    expect(rawResult.body.errors[0].extensions).toMatchObject({
      code: 'COST_LIMIT',
      details: { figure: 'rawSlices', value: 17, limit: 16 },
    });
    const groups = ['BRANCH', 'ITEM_GROUP', 'PRODUCT_LINE', 'SALES_PERSON'].flatMap((by) =>
      ['NET_SALES', 'UNITS_SOLD', 'TOTAL_REVENUE'].flatMap((orderBy) =>
        ['ASC', 'DESC'].map(
          (direction) =>
            `${by}_${orderBy}_${direction}: breakdown(by: ${by}, top: 100, orderBy: ${orderBy}, direction: ${direction}) { key }`,
        ),
      ),
    );
    const groupResult = await post(`{ sales(dataset: "bw", ${MARCH}) { ${groups.join('\n')} } }`);
    expect(groupResult.body.errors[0].extensions).toMatchObject({
      code: 'COST_LIMIT',
      details: { figure: 'groups', value: 2_400, limit: 2_000 },
    });
    expect(await clickhouseQueries()).toBe(before);
  });
});

describe('GraphQL Armor bounds the document itself', () => {
  test('depth, aliases and tokens past their bounds are refused before execution', async () => {
    const before = await clickhouseQueries();
    let deep = 'x';
    for (let i = 0; i < 14; i += 1) deep = `f${i} { ${deep} }`;
    const aliases = Array.from({ length: 1_001 }, (_, i) => `a${i}: datasets { name }`).join(' ');
    const tokens = `{ ${Array.from({ length: 60_000 }, () => '__typename').join(' ')} }`;
    const [depth, alias, token] = [
      await post(`{ ${deep} }`),
      await post(`{ ${aliases} }`),
      await post(tokens),
    ];
    for (const result of [depth, alias, token]) expect(result.status).toBe(400);
    const messages = (result: { body: any }) =>
      result.body.errors.map((e: { message: string }) => e.message).join('\n');
    expect(messages(depth)).toMatch(/depth limit of 12/);
    expect(messages(alias)).toMatch(/Aliases limit of 1000/i);
    expect(messages(token)).toMatch(/more that 50000 tokens/);
    expect(await clickhouseQueries()).toBe(before);
  });
});

describe('arguments are checked at the edge, each error naming the argument', () => {
  test("time zones become ClickHouse's names; a zone ClickHouse or Intl does not know is BAD_USER_INPUT", async () => {
    for (const [asked, known] of [
      ['utc', 'UTC'],
      ['europe/berlin', 'Europe/Berlin'],
      ['Asia/Kolkata', 'Asia/Kolkata'],
    ]) {
      const result = await post(
        `query ($tz: String!) { sales(dataset: "bw", ${MARCH}, timeZone: $tz) { timeZone series(grain: DAY) { start } } }`,
        { tz: asked },
      );
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data.sales.timeZone).toBe(known);
      expect(result.body.data.sales.series.length).toBeGreaterThan(25);
    }
    for (const zone of ['Factory', 'America/Coyhaique', 'Mars/Olympus', "UTC')--"]) {
      const result = await post(
        `query ($tz: String!) { sales(dataset: "bw", ${MARCH}, timeZone: $tz) { totals { netSales { value } } } }`,
        { tz: zone },
      );
      expect(result.body.errors[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        details: { argument: 'timeZone' },
      });
    }
  });

  test('a malformed cursor is BAD_USER_INPUT naming `after`', async () => {
    const huge = Buffer.from(JSON.stringify([9e99, 'x'])).toString('base64url');
    for (const after of ['garbage', huge, Buffer.from('[1,2]').toString('base64url'), '']) {
      const result = await post('query ($after: String) { uploads(after: $after) { nodes { id } } }', {
        after,
      });
      if (after === '') continue; // an empty cursor is the first page
      expect(result.body.errors[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        details: { argument: 'after' },
      });
    }
  });

  test('filter lists past their bound, and an HOUR series over years, are BAD_USER_INPUT naming the argument and the limit', async () => {
    const before = await clickhouseQueries();
    const long = await post(
      `query ($f: SalesFilterInput) { sales(dataset: "bw", ${MARCH}, filter: $f) { totals { netSales { value } } } }`,
      { f: { productLine: Array.from({ length: 20_000 }, (_, i) => `p${i}`) } },
    );
    expect(long.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { argument: 'filter.productLine', values: 20_000, limit: 500 },
    });
    const years = await post(
      '{ sales(dataset: "bw", range: { from: "2023-01-01T00:00:00Z", to: "2025-04-01T00:00:00Z" }) { series(grain: HOUR) { start } } }',
    );
    expect(years.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { argument: 'grain', grain: 'HOUR', limit: 10_000 },
    });
    expect(years.body.errors[0].message).toContain('coarser grain');
    expect(await clickhouseQueries()).toBe(before);
  });
});
