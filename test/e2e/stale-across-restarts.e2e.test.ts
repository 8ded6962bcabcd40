import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRedis, type RedisServer } from '../support/redis-server';
import { ROOT, startGatewayProcess, upload, type GatewayProcess } from '../support/gateway-process';

/**
 * Data versions are counters: they start again after a restart, and a gateway that loads data
 * without the shared Redis never bumps the shared ones. No cached answer (the KPI cache in Redis,
 * the whole-response cache, an HTTP cache revalidating with its ETag) may be taken for current
 * because a counter came back to a value it had before.
 */
const SAMPLE = fs.readFileSync(path.join(ROOT, 'examples/sales.csv'));
/** Another day of sales: one row that changes every total. */
const LATER =
  'time,Branch,grossRevenue,returnsValue,totalCost\n2025-02-10T10:00:00Z,Kisumu,1000.00,0,400.00\n';
const QUERY = `query Totals { sales(dataset: "acme-sales", range: { from: "2025-01-01T00:00:00Z", to: "2025-03-01T00:00:00Z" }) { totals { netSales { value } transactions { value } } } }`;
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

let redis: RedisServer;
let dataDir: string;
const running: GatewayProcess[] = [];

async function start(env: Record<string, string> = {}): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess(env, dataDir);
  running.push(gateway);
  return gateway;
}

async function stop(gateway: GatewayProcess): Promise<void> {
  await gateway.stop();
  running.splice(running.indexOf(gateway), 1);
}

async function totals(gateway: GatewayProcess, etag?: string) {
  const response = await fetch(`${gateway.url}/graphql?query=${encodeURIComponent(QUERY)}`, {
    headers: etag ? { ...PREFLIGHT, 'if-none-match': etag } : PREFLIGHT,
  });
  const body = response.status === 304 ? undefined : ((await response.json()) as any);
  return {
    status: response.status,
    etag: response.headers.get('etag') ?? undefined,
    netSales: body?.data?.sales.totals.netSales.value as number | undefined,
    transactions: body?.data?.sales.totals.transactions.value as number | undefined,
    cache: body?.extensions?.kpi?.cache as { hits: number; misses: number } | undefined,
  };
}

beforeAll(async () => {
  redis = await startRedis();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-gw-restart-'));
}, 60_000);

afterAll(async () => {
  for (const gateway of [...running]) await gateway.stop();
  await redis?.stop();
});

test('an answer cached under a data version is not served after a restart with other data loaded behind it', async () => {
  // 1. A gateway with the shared cache and versions in Redis answers; the answer is cached there.
  const first = await start({ REDIS_URL: redis.url });
  expect(await upload(first.url, 'acme-sales', SAMPLE)).toMatchObject({ status: 201 });
  const before = await totals(first);
  expect(before).toMatchObject({ status: 200, netSales: 12381.45, transactions: 10 });
  expect((await totals(first)).cache?.hits).toBeGreaterThan(0);
  await stop(first);

  // 2. While it is down, another gateway on the same data loads more rows without Redis.
  const behind = await start();
  expect(await upload(behind.url, 'acme-sales', LATER)).toMatchObject({ status: 201 });
  expect(await totals(behind)).toMatchObject({ netSales: 13381.45, transactions: 11 });
  await stop(behind);

  // 3. Restarted with Redis: the shared counter is where it was, the data is not.
  const again = await start({ REDIS_URL: redis.url });
  const after = await totals(again, before.etag);
  expect(after).toMatchObject({ status: 200, netSales: 13381.45, transactions: 11 });
  expect(after.etag).not.toBe(before.etag);
  await stop(again);
}, 180_000);

test('a restarted gateway whose counters start again never validates an earlier ETag for other data', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-gw-restart-mem-'));
  const first = await startGatewayProcess({}, dir);
  running.push(first);
  expect(await upload(first.url, 'acme-sales', SAMPLE)).toMatchObject({ status: 201 });
  const before = await totals(first);
  await stop(first);

  const again = await startGatewayProcess({}, dir);
  running.push(again);
  // Same data after the restart: the tag still validates (the answer is the same)…
  expect(await totals(again, before.etag)).toMatchObject({ status: 304 });
  expect(await upload(again.url, 'acme-sales', LATER)).toMatchObject({ status: 201 });
  // …other data: it does not, whatever the counters say.
  expect(await totals(again, before.etag)).toMatchObject({ status: 200, netSales: 13381.45 });
  await stop(again);
}, 180_000);
