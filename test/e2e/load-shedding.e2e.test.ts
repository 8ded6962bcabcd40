import http from 'node:http';
import { startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';

/**
 * Memory, queues, budgets and rates (issue 13, items 6 and 7) over HTTP against the built gateway,
 * with bounds small enough to reach from a test: one gateway for memory and load shedding, one
 * for the caller's budget and rate limits (both count per caller, and a test is one caller).
 */
let shedding: GatewayProcess;
let rates: GatewayProcess;
let slow: GatewayProcess;

/** Sales rows whose customers and items are all distinct: unique counts over them need memory. */
function distinctCsv(rows: number): string {
  const lines = ['__time,Branch,CardName,ItemName,grossRevenue'];
  for (let i = 0; i < rows; i += 1) {
    const time = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
    lines.push(
      `${time},b${i % 7},customer-${i}-${'c'.repeat(40)},item-${i}-${'i'.repeat(40)},${(i % 100) + 0.5}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  [shedding, rates, slow] = await Promise.all([
    startGatewayProcess({
      CHDB_MAX_QUERY_MEMORY_BYTES: String(4_000_000),
      GRAPHQL_MAX_CONCURRENT: '1',
      GRAPHQL_QUEUE_MAX: '4',
      CALLER_MAX_CONCURRENT: '1',
      CALLER_QUEUE_MAX: '2',
      QUEUE_WAIT_MS: '3000',
    }),
    startGatewayProcess({
      COST_BUDGET_UNITS: '25',
      COST_BUDGET_WINDOW_SECONDS: '600',
      RATE_LIMIT_QUERIES_PER_SECOND: '1',
      RATE_LIMIT_QUERIES_BURST: '8',
      RATE_LIMIT_UPLOADS_PER_MINUTE: '1',
      RATE_LIMIT_UPLOADS_BURST: '1',
    }),
    // 5 ms: any read of the 100,000 distinct values takes longer.
    startGatewayProcess({ QUERY_TIMEOUT_SECONDS: '0.005' }),
  ]);
  const csv = distinctCsv(100_000);
  const loads = await Promise.all([
    upload(shedding.url, 'm', csv),
    upload(rates.url, 'm', csv),
    upload(slow.url, 'm', csv),
  ]);
  for (const load of loads) expect(load.body.status).toBe('LOADED');
}, 180_000);

afterAll(async () => {
  await Promise.all([shedding?.stop(), rates?.stop(), slow?.stop()]);
});

async function post(url: string, query: string) {
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as any;
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body,
    ms: performance.now() - started,
  };
}

const YEAR = 'range: { from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }';
const UNIQUES = `{ sales(dataset: "m", ${YEAR}) { totals { uniqueCustomers { value } uniqueProducts { value } } } }`;

describe('bounded memory', () => {
  test('a read past the per-query memory cap is refused with MEMORY_LIMIT; the gateway stays up and answers', async () => {
    const refused = await post(shedding.url, UNIQUES);
    expect(refused.body.errors[0].extensions).toMatchObject({
      code: 'MEMORY_LIMIT',
      details: { clickhouseType: 'MEMORY_LIMIT_EXCEEDED' },
    });
    expect(refused.body.errors[0].message).toContain('more memory');
    expect((await fetch(`${shedding.url}/healthz`)).status).toBe(200);
    const small = await post(
      shedding.url,
      `{ sales(dataset: "m", ${YEAR}) { totals { totalRevenue { value } } } }`,
    );
    expect(small.body.errors).toBeUndefined();
    expect(small.body.data.sales.totals.totalRevenue.value).toBe(100_000 * 50);
  });
});

describe('query timeouts', () => {
  test('past the query time limit ClickHouse cancels the read: QUERY_TIMEOUT, and the gateway goes on answering', async () => {
    const timedOut = await post(slow.url, UNIQUES);
    expect(timedOut.body.errors[0].extensions).toMatchObject({
      code: 'QUERY_TIMEOUT',
      details: { clickhouseType: 'TIMEOUT_EXCEEDED' },
    });
    expect(timedOut.body.errors[0].message).toContain('time limit');
    expect((await fetch(`${slow.url}/healthz`)).status).toBe(200);
    const listed = await post(slow.url, '{ datasets { name } }');
    expect(listed.body.data.datasets).toEqual([{ name: 'm' }]);
  });
});

describe('load shedding', () => {
  test('past the running and queued bounds a request gets 503 OVERLOADED with Retry-After, fast; the admitted ones answer', async () => {
    // Distinct ranges: nothing comes from a cache, every admitted request reads ClickHouse.
    const requests = Array.from({ length: 12 }, (_, i) =>
      post(
        shedding.url,
        `{ sales(dataset: "m", range: { from: "2025-01-01T00:00:00Z", to: "2025-03-${String(i + 1).padStart(2, '0')}T00:00:00Z" }) { series(grain: HOUR) { kpis { totalRevenue { value } } } } }`,
      ),
    );
    const results = await Promise.all(requests);
    const refused = results.filter((r) => r.status === 503);
    const admitted = results.filter((r) => r.status === 200);
    // One running and at most two of this caller's waiting at any moment; a request that
    // arrives after an earlier one finished may still get a turn, so not exactly nine.
    expect(refused.length).toBeGreaterThanOrEqual(6);
    expect(admitted.length).toBeGreaterThanOrEqual(1);
    expect(refused.length + admitted.length).toBe(12);
    for (const r of refused) {
      expect(r.retryAfter).toBe('3');
      expect(r.body.errors[0].extensions).toMatchObject({
        code: 'OVERLOADED',
        details: { retryAfterSeconds: 3 },
      });
      expect(r.ms).toBeLessThan(1_000);
    }
    for (const r of admitted) expect(r.body.errors).toBeUndefined();
    const metrics = await (await fetch(`${shedding.url}/metrics`)).text();
    expect(metrics).toMatch(/^kpi_gateway_operations_refused_total (\d+)$/m);
    expect(Number(/^kpi_gateway_operations_refused_total (\d+)$/m.exec(metrics)?.[1])).toBe(refused.length);
  });
});

/** A POST from another loopback address: the gateway counts it as another caller. */
function postFrom(localAddress: string, url: string, query: string): Promise<{ status: number; body: any }> {
  const body = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/graphql`,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('fairness: a caller flooding the gateway fills only its own share of the queue; another caller still gets answered', async () => {
  const series = (i: number) =>
    `{ sales(dataset: "m", range: { from: "2025-01-01T00:00:00Z", to: "2025-02-${String(i + 1).padStart(2, '0')}T00:00:00Z" }) { series(grain: HOUR) { kpis { totalRevenue { value } } } } }`;
  const flood = Array.from({ length: 12 }, (_, i) => postFrom('127.0.0.1', shedding.url, series(i)));
  const other = postFrom('127.0.0.2', shedding.url, series(20));
  const [flooded, answered] = await Promise.all([Promise.all(flood), other]);
  expect(flooded.filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(6);
  expect(answered.status).toBe(200);
  expect(answered.body.errors).toBeUndefined();
});

describe("a caller's cost budget and rate limits", () => {
  test('operations within bounds spend the budget; past it COST_LIMIT names the budget, 429 with Retry-After, no query runs', async () => {
    // Each costs 11 units: one raw-table slice (10) plus its KPIs. The range starts off the
    // quarter hour, so no rollup answers it whole (whole-day distinct counts read the daily states).
    const rawUniques = UNIQUES.replace('2025-01-01T00:00:00Z', '2025-01-01T00:00:07Z');
    const ok = [
      await post(rates.url, rawUniques),
      await post(rates.url, rawUniques.replace('uniqueProducts', 'x: uniqueProducts')),
    ];
    for (const r of ok) expect(r.body.errors).toBeUndefined();
    const before = await queries(rates.url);
    const refused = await post(rates.url, rawUniques.replace('2026-01-01', '2025-12-01'));
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.body.errors[0].extensions).toMatchObject({
      code: 'COST_LIMIT',
      details: { figure: 'budget', value: 11, limit: 25, windowSeconds: 600 },
    });
    expect(await queries(rates.url)).toBe(before);
  });

  test('past the query rate: 429 RATE_LIMITED with Retry-After; past the upload rate the same, before the body is read', async () => {
    const results = [];
    for (let i = 0; i < 8; i += 1) results.push(await post(rates.url, '{ datasets { name } }'));
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited[0]!.retryAfter).toBe('1');
    expect(limited[0]!.body.errors[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      details: { kind: 'query' },
    });
    const second = await upload(rates.url, 'm2', distinctCsv(10));
    expect(second.status).toBe(429);
    expect(second.body.error).toMatchObject({ code: 'RATE_LIMITED', details: { kind: 'upload' } });
  });
});

async function queries(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^kpi_gateway_clickhouse_queries_total (\d+)$/m.exec(text)?.[1]);
}
