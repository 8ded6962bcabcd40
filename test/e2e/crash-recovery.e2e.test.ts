import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { graphql, ROOT, startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { generateSalesRows, toCsv } from '../support/sales-fixture';

/**
 * A gateway SIGKILLed while ClickHouse is loading a large file; the next start on the same data
 * directory finds the upload, removes what it wrote and loads it again: afterwards the raw table
 * and each rollup (daily, hourly) hold the file exactly once.
 */
const ROWS = 2_000_000;
const BATCH = 50_000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-gw-crash-'));
const file = path.join(dataDir, 'large.csv');
let expectedCents = 0;
let gateway: GatewayProcess | undefined;

beforeAll(() => {
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < ROWS / BATCH; i += 1) {
    const rows = generateSalesRows({
      seed: 100 + i,
      rows: BATCH,
      from: new Date('2025-01-01T00:00:00Z'),
      days: 28,
    });
    for (const row of rows) expectedCents += row.grossCents;
    const csv = toCsv(rows);
    fs.writeSync(fd, i === 0 ? csv : csv.slice(csv.indexOf('\n') + 1));
  }
  fs.closeSync(fd);
});

afterAll(async () => {
  await gateway?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** From a UTC midnight: answered from the daily rollup; an hour earlier: the hourly rollup; a second earlier: the raw table. */
async function totalsFrom(
  url: string,
  from: string,
): Promise<{ transactions: number; totalRevenue: number }> {
  const result = await graphql(
    url,
    'query($r: TimeRangeInput!) { sales(dataset: "crash", range: $r) { totals { transactions { value } totalRevenue { value } } } }',
    { r: { from, to: '2025-02-01T00:00:00Z' } },
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  const t = result.data.sales.totals;
  return { transactions: t.transactions.value, totalRevenue: t.totalRevenue.value };
}

test('SIGKILL during a large load: the next start completes it, loaded exactly once in raw and every rollup', async () => {
  gateway = await startGatewayProcess({}, path.join(dataDir, 'gateway'));
  const url = gateway.url;
  const cli = spawn(
    process.execPath,
    [
      path.join(ROOT, 'dist/src/cli/kpi-gateway.js'),
      'ingest',
      file,
      '--dataset',
      'crash',
      '--kind',
      'sales',
      '--url',
      url,
    ],
    { stdio: 'ignore' },
  );
  const cliExit = new Promise<number | null>((resolve) => cli.once('exit', resolve));

  // The gateway logs when ClickHouse starts loading (GraphQL may be slow to answer while a large
  // load holds the engine's cores, so the log line is the dependable signal).
  const loading = await waitFor(
    'the upload to start loading',
    async () => {
      const line = gateway!.logs.find((l) => l.includes('"msg":"upload loading"'));
      return line ? (JSON.parse(line) as { uploadId: string }).uploadId : undefined;
    },
    240_000,
  );
  // Let ClickHouse write part of the file before the kill.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  gateway.child.kill('SIGKILL');
  await gateway.stop();
  expect(await cliExit).toBe(1);

  gateway = await startGatewayProcess({}, path.join(dataDir, 'gateway'));
  expect(gateway.logs.join('\n')).toContain('interrupted upload will load again');
  const finished = await waitFor(
    'the recovered upload to finish',
    async () => {
      const upload = (
        await graphql(
          gateway!.url,
          `{ upload(id: "${loading}") { status rowsLoaded attempts error { code } } }`,
        )
      ).data.upload;
      return ['LOADED', 'FAILED', 'REJECTED'].includes(upload.status) ? upload : undefined;
    },
    300_000,
    500,
  );
  expect(finished).toEqual({ status: 'LOADED', rowsLoaded: ROWS, attempts: 2, error: null });
  const expected = { transactions: ROWS, totalRevenue: expectedCents / 100 };
  expect(await totalsFrom(gateway.url, '2025-01-01T00:00:00Z')).toEqual(expected);
  expect(await totalsFrom(gateway.url, '2024-12-31T23:00:00Z')).toEqual(expected);
  expect(await totalsFrom(gateway.url, '2024-12-31T23:59:59Z')).toEqual(expected);
  const stuck = await graphql(
    gateway.url,
    '{ loading: uploads(status: LOADING) { nodes { id } } received: uploads(status: RECEIVED) { nodes { id } } }',
  );
  expect(stuck.data).toEqual({ loading: { nodes: [] }, received: { nodes: [] } });
}, 900_000);
