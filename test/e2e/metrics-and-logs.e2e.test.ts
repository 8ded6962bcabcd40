import fs from 'node:fs';
import path from 'node:path';
import { testKey } from '../support/auth-fixture';
import { graphql, startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';
import { generateSalesRows, toCsv } from '../support/sales-fixture';

/**
 * `GET /metrics` scraped over HTTP from the built gateway: the series move with a query and an
 * upload; who may read them once credentials are configured; and the request id a client gets
 * with a masked error is the one on the error's log line.
 */
const FROM = new Date('2025-01-01T00:00:00Z');
const rows = generateSalesRows({ seed: 9, rows: 500, from: FROM, days: 20 });
const csv = toCsv(rows);
const TOTALS = `query MetricsTotals($from: DateTimeISO!, $to: DateTimeISO!) {
  sales(dataset: "metered", range: { from: $from, to: $to }) { totals { averageTransaction { value } } }
}`;
const admin = testKey('ops', ['admin']);
const reader = testKey('viewer', ['reader']);
const METRICS_TOKEN = 'metrics-token-0123456789abcdef0123456789';

let open: GatewayProcess;
let guarded: GatewayProcess;

beforeAll(async () => {
  [open, guarded] = await Promise.all([
    startGatewayProcess(),
    startGatewayProcess({
      API_KEYS: [admin.line, reader.line].join(';'),
      METRICS_TOKEN,
      NODE_ENV: 'production',
    }),
  ]);
}, 120_000);

afterAll(async () => {
  for (const gateway of [open, guarded]) {
    await gateway?.stop();
    if (gateway) fs.rmSync(gateway.dataDir, { recursive: true, force: true });
  }
});

async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one series (labels written exactly as prom-client orders them), 0 when absent. */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

function sumOf(text: string, prefix: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .reduce((total, l) => total + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('GET /metrics', () => {
  test('the series move with an upload and a query', async () => {
    const before = await scrape(open.url);
    expect(before).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(before).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
    expect(before).toMatch(/^kpi_gateway_warehouse_statements_waiting \d+$/m);

    const loaded = await upload(open.url, 'metered', csv);
    expect(loaded).toMatchObject({ status: 201, body: { status: 'LOADED', rowsLoaded: rows.length } });
    expect((await upload(open.url, 'metered', csv)).body.status).toBe('DUPLICATE');
    const afterUpload = await scrape(open.url);
    expect(value(afterUpload, 'kpi_gateway_uploads_total{outcome="LOADED"}')).toBe(1);
    expect(value(afterUpload, 'kpi_gateway_uploads_total{outcome="DUPLICATE"}')).toBe(1);
    expect(value(afterUpload, 'kpi_gateway_upload_bytes_total{outcome="LOADED"}')).toBe(
      Buffer.byteLength(csv),
    );
    expect(value(afterUpload, 'kpi_gateway_upload_rows_loaded_total')).toBe(rows.length);
    expect(value(afterUpload, 'kpi_gateway_upload_load_duration_seconds_count{outcome="LOADED"}')).toBe(1);
    expect(value(afterUpload, 'kpi_gateway_clickhouse_commands_total')).toBeGreaterThan(
      value(before, 'kpi_gateway_clickhouse_commands_total'),
    );

    const variables = { from: FROM, to: new Date('2025-01-21T00:00:00Z') };
    const first = await graphql(open.url, TOTALS, variables);
    expect(first.errors).toBeUndefined();
    const afterQuery = await scrape(open.url);
    expect(
      value(afterQuery, 'kpi_gateway_graphql_operation_duration_seconds_count{operation="MetricsTotals"}'),
    ).toBe(1);
    expect(value(afterQuery, 'kpi_gateway_cache_lookups_total{layer="kpi",result="miss"}')).toBeGreaterThan(
      0,
    );
    // The whole range is on day boundaries: a rollup answers, and ClickHouse read rows for it.
    expect(sumOf(afterQuery, 'kpi_gateway_kpi_clickhouse_rows_read_total{source=')).toBeGreaterThan(0);
    expect(sumOf(afterQuery, 'kpi_gateway_kpi_clickhouse_duration_seconds_count{source=')).toBeGreaterThan(0);
    expect(value(afterQuery, 'kpi_gateway_clickhouse_queries_total')).toBeGreaterThan(
      value(afterUpload, 'kpi_gateway_clickhouse_queries_total'),
    );

    // The same operation again: the whole answer comes from the response cache.
    await graphql(open.url, TOTALS, variables);
    const afterRepeat = await scrape(open.url);
    expect(value(afterRepeat, 'kpi_gateway_cache_lookups_total{layer="response",result="hit"}')).toBe(
      value(afterQuery, 'kpi_gateway_cache_lookups_total{layer="response",result="hit"}') + 1,
    );
  });

  test('once keys are configured: the METRICS_TOKEN or an admin, nobody else', async () => {
    const get = (authorization?: string) =>
      fetch(`${guarded.url}/metrics`, { headers: authorization ? { authorization } : {} });
    expect((await get()).status).toBe(401);
    expect((await get('Bearer not-the-token')).status).toBe(401);
    expect((await get(`Bearer ${reader.key}`)).status).toBe(403);
    const byToken = await get(`Bearer ${METRICS_TOKEN}`);
    expect(byToken.status).toBe(200);
    expect(await byToken.text()).toMatch(/^kpi_gateway_clickhouse_queries_total \d+$/m);
    expect((await get(`Bearer ${admin.key}`)).status).toBe(200);
  });
});

describe('structured logs', () => {
  test('the log line of a masked error carries the request id the client got', async () => {
    // Take the embedded store's bucket away: the upload fails on the server side and is masked.
    const bucket = path.join(guarded.dataDir, 's3', 'kpi-uploads');
    expect(fs.existsSync(bucket)).toBe(true);
    fs.rmSync(bucket, { recursive: true, force: true });
    const response = await fetch(`${guarded.url}/uploads?dataset=masked&kind=sales`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin.key}` },
      body: csv,
    });
    expect(response.status).toBeGreaterThanOrEqual(500);
    const requestId = response.headers.get('x-request-id') ?? '';
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await response.json()) as { error: { message: string; requestId: string } };
    expect(body.error).toMatchObject({
      requestId,
      message: 'The service could not answer; try again later.',
    });
    const entries = guarded.logs.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    const logged = entries.filter((entry) => entry.requestId === requestId);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.some((entry) => entry.level === 'error' && typeof entry.time === 'string')).toBe(true);
  });
});
