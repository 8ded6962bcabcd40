import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { generateSalesRows, toCsv } from '../support/sales-fixture';

/**
 * OpenTelemetry traces from the built gateway to a real OTLP/HTTP receiver: the span tree of an
 * upload (sent with `Expect: 100-continue`, as the CLI does) and of a dashboard query (under the
 * caller's `traceparent`), the request id on the spans and trace ids on the logs, nothing secret
 * in any export, probes still answering; and a gateway with tracing off exports nothing.
 */
const FROM = new Date('2025-01-01T00:00:00Z');
const rows = generateSalesRows({ seed: 31, rows: 400, from: FROM, days: 30 });
const csv = toCsv(rows);
const REPORT = fs.readFileSync(path.join(__dirname, '../../examples/report.graphql'), 'utf8');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

let receiver: OtlpReceiver;
let silentReceiver: OtlpReceiver;
let traced: GatewayProcess;
let untraced: GatewayProcess;

beforeAll(async () => {
  [receiver, silentReceiver] = await Promise.all([startOtlpReceiver(), startOtlpReceiver()]);
  [traced, untraced] = await Promise.all([
    startGatewayProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'kpi-test' }),
    startGatewayProcess({
      OTEL_EXPORTER_OTLP_ENDPOINT: silentReceiver.endpoint,
      OTEL_TRACES_ENABLED: 'false',
    }),
  ]);
}, 120_000);

afterAll(async () => {
  for (const gateway of [traced, untraced]) {
    await gateway?.stop();
    if (gateway) fs.rmSync(gateway.dataDir, { recursive: true, force: true });
  }
  await Promise.all([receiver?.close(), silentReceiver?.close()]);
});

/** POST /uploads with `Expect: 100-continue`: the body goes only after the gateway said continue. */
function uploadExpectingContinue(url: string, dataset: string, body: string) {
  return new Promise<{ status: number; requestId: string; body: any }>((resolve, reject) => {
    const req = http.request(`${url}/uploads?dataset=${dataset}&kind=sales`, {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    req.on('continue', () => req.end(body));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          requestId: String(res.headers['x-request-id']),
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        }),
      );
    });
    req.on('error', reject);
  });
}

function childrenOf(spans: ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] {
  return spans.filter((s) => s.traceId === parent.traceId && s.parentSpanId === parent.spanId);
}

function ancestors(spans: ReceivedSpan[], span: ReceivedSpan): string[] {
  const names: string[] = [];
  let current: ReceivedSpan | undefined = span;
  while (current) {
    const parentId: string = current.parentSpanId;
    current = spans.find((s) => s.traceId === span.traceId && s.spanId === parentId);
    if (current) names.push(current.name);
  }
  return names;
}

function logLines(gateway: GatewayProcess): Array<Record<string, unknown>> {
  return gateway.logs.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

test('an upload: HTTP → S3 put → the load job → its ClickHouse statements, one request id', async () => {
  const answer = await uploadExpectingContinue(traced.url, 'traced', csv);
  expect(answer).toMatchObject({ status: 201, body: { status: 'LOADED', rowsLoaded: rows.length } });
  const isRoot = (s: ReceivedSpan) =>
    s.name === 'POST /uploads' && s.attributes['kpi.request_id'] === answer.requestId;
  const spans = await receiver.waitFor((all) => {
    const root = all.find(isRoot);
    return root !== undefined && all.some((s) => s.traceId === root.traceId && s.name === 'upload.load');
  });
  // One server span for the request, started at the 100-continue gate and carrying its one id.
  const roots = spans.filter((s) => s.name === 'POST /uploads');
  expect(roots).toHaveLength(1);
  const root = roots[0]!;
  expect(root).toMatchObject({ parentSpanId: '', kind: 2, service: 'kpi-test' });
  expect(root.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 201 });
  const children = childrenOf(spans, root).map((s) => s.name);
  expect(children).toEqual(expect.arrayContaining(['S3.PutObject', 'upload.load']));
  const load = spans.find((s) => s.traceId === root.traceId && s.name === 'upload.load')!;
  expect(load.attributes).toMatchObject({ 'kpi.dataset': 'traced', 'kpi.upload.status': 'LOADED' });
  // The file read from S3 by ClickHouse (into the upload's staging table), then every rollup filled.
  const statements = childrenOf(spans, load);
  const read = statements.find((s) => (s.attributes['kpi.clickhouse.tables'] as string[]).includes('s3'));
  expect(read?.name).toMatch(/^INSERT /);
  expect(read?.attributes['db.system.name']).toBe('clickhouse');
  expect(statements.map((s) => s.name)).toEqual(
    expect.arrayContaining(['INSERT sales_d1', 'INSERT sales_h1']),
  );
  // The load read its object back (GetObject) or checked it, inside the load's span.
  expect(spans.filter((s) => s.traceId === root.traceId && s.name.startsWith('S3.')).length).toBeGreaterThan(
    0,
  );

  // Logs of the request carry the same request id and, traced, the trace and span ids.
  const loaded = logLines(traced).find((l) => l.msg === 'upload loaded' && l.dataset === 'traced');
  expect(loaded).toMatchObject({ requestId: answer.requestId, trace_id: root.traceId });
  expect(spans.some((s) => s.spanId === loaded?.span_id)).toBe(true);
});

test('a dashboard query under the caller’s traceparent: HTTP → operation → root field → ClickHouse', async () => {
  const response = await fetch(`${traced.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
    body: JSON.stringify({
      query: REPORT,
      variables: { dataset: 'traced', from: FROM.toISOString(), to: '2025-02-01T00:00:00Z' },
    }),
  });
  expect(response.status).toBe(200);
  expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
  const spans = await receiver.waitFor((all) =>
    all.some((s) => s.traceId === TRACE_ID && s.name.startsWith('SELECT')),
  );
  const ours = spans.filter((s) => s.traceId === TRACE_ID);
  const root = ours.find((s) => s.name === 'POST /graphql')!;
  expect(root.parentSpanId).toBe(PARENT_ID);
  expect(root.attributes['kpi.request_id']).toBe(response.headers.get('x-request-id'));
  const operation = childrenOf(spans, root).find((s) => s.name === 'query SalesOverview')!;
  expect(operation.attributes).toMatchObject({
    'graphql.operation.type': 'query',
    'graphql.operation.name': 'SalesOverview',
  });
  expect(childrenOf(spans, operation).map((s) => s.name)).toContain('Query.sales');
  // Root fields only: no span for a nested field.
  expect(ours.some((s) => s.name.startsWith('SalesKpis.') || s.name.startsWith('Sales.'))).toBe(false);
  const statements = ours.filter((s) => s.name.startsWith('SELECT sales_'));
  expect(statements.length).toBeGreaterThan(0);
  for (const statement of statements) {
    expect(ancestors(spans, statement)).toEqual(
      expect.arrayContaining(['query SalesOverview', 'POST /graphql']),
    );
    expect(statement.attributes['kpi.clickhouse.rows_read']).toEqual(expect.any(Number));
    expect(String(statement.attributes['db.collection.name'])).toMatch(/^sales_/);
  }

  // The same screen again is a whole answer from the response cache: the request's span says so,
  // and nothing below it ran.
  const again = await fetch(`${traced.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: REPORT,
      variables: { dataset: 'traced', from: FROM.toISOString(), to: '2025-02-01T00:00:00Z' },
    }),
  });
  const againId = again.headers.get('x-request-id');
  const [cached] = (
    await receiver.waitFor((all) => all.some((s) => s.attributes['kpi.request_id'] === againId))
  ).filter((s) => s.attributes['kpi.request_id'] === againId);
  expect(cached?.attributes['kpi.response_cache']).toBe('hit');
  expect(childrenOf(receiver.spans, cached!)).toEqual([]);
});

test('no secret, bound value or query string leaves in a span; probes answer and make no spans', async () => {
  await receiver.waitFor((all) => all.some((s) => s.name === 'upload.load'));
  const before = receiver.spans.length;
  for (let i = 0; i < 3; i += 1) {
    expect((await fetch(`${traced.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${traced.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${traced.url}/healthz`)).status).toBe(200);
  }
  // Longer than the batch delay: a probe's HeadBucket or SELECT 1 would have arrived by now.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect(receiver.spans.slice(before).map((s) => s.name)).toEqual([]);
  const { secretAccessKey } = JSON.parse(
    fs.readFileSync(path.join(traced.dataDir, 's3-credentials.json'), 'utf8'),
  ) as { secretAccessKey: string };
  const exported = receiver.bodies.join('\n');
  expect(exported).not.toContain(secretAccessKey);
  expect(exported).not.toMatch(/X-Amz-Signature|Authorization/i);
  // Values bound into statements (the dataset filter, a range bound) are not in any attribute.
  expect(exported).not.toContain('2025-02-01');
  expect(exported).not.toContain(rows[0]!.customer);
});

test('tracing off: nothing is exported, logs carry no trace ids', async () => {
  expect((await uploadExpectingContinue(untraced.url, 'plain', csv)).status).toBe(201);
  const response = await fetch(`${untraced.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
    body: JSON.stringify({
      query: REPORT,
      variables: { dataset: 'plain', from: FROM.toISOString(), to: '2025-02-01T00:00:00Z' },
    }),
  });
  expect(response.status).toBe(200);
  // Longer than the batch delay of a running SDK.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect(silentReceiver.bodies).toEqual([]);
  const lines = logLines(untraced);
  expect(lines.some((l) => l.msg === 'upload loaded')).toBe(true);
  expect(lines.some((l) => 'trace_id' in l || l.msg === 'tracing on')).toBe(false);
});

test('an unreachable receiver costs spans, never a request or a clean stop', async () => {
  const closed = await startOtlpReceiver();
  const endpoint = closed.endpoint;
  await closed.close();
  const gateway = await startGatewayProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
  try {
    expect((await uploadExpectingContinue(gateway.url, 'unsent', csv)).status).toBe(201);
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: REPORT,
        variables: { dataset: 'unsent', from: FROM.toISOString(), to: '2025-02-01T00:00:00Z' },
      }),
    });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const started = Date.now();
    expect(await gateway.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);
  } finally {
    await gateway.stop();
    fs.rmSync(gateway.dataDir, { recursive: true, force: true });
  }
});
