import { Readable } from 'node:stream';
import { createClient } from '@keyv/redis';
import type { KpiRequest } from '../../src/kpi/kpi-types';
import { type RedisServer } from '../support/redis-server';
import { startReplicaPair, type Replica, type ReplicaPair } from '../support/replica-pair';

/**
 * Replicas compare data version counters kept in Redis. If Redis loses them (a restart without
 * persistence, an eviction, a flush) while cached answers and replicas live on, the counters start
 * again and can come back to the very value an idle replica holds: that replica must still notice
 * that the data changed, and not serve its cached answer.
 */
let pair: ReplicaPair;
let redis: RedisServer;
let a: Replica;
let b: Replica;

beforeAll(async () => {
  pair = await startReplicaPair();
  ({ redis, a, b } = pair);
});

afterAll(async () => pair?.close());

const totals: KpiRequest = {
  kind: 'sales',
  dataset: 'shared',
  range: { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') },
  timeZone: 'UTC',
  filters: {},
  kpis: ['transactions'],
  shape: { type: 'totals' },
};
const csv = (rows: number, cents: number) =>
  `time,grossRevenue\n${Array.from({ length: rows }, (_, i) => `2025-01-0${1 + (i % 9)}T10:00:00Z,${cents / 100}`).join('\n')}\n`;
const load = (r: Replica, text: string) =>
  r.ingest.ingest({ dataset: 'shared', kind: 'sales', body: Readable.from([Buffer.from(text)]) });

async function transactions(r: Replica): Promise<unknown> {
  await r.catalog.refresh();
  const answer = await r.kpi.answer(totals);
  return answer.rows[0]?.kpis.transactions?.value;
}

test('the shared versions lost and counted again up to an idle replica’s value: it still sees the new upload', async () => {
  expect(await load(b, csv(2, 1000))).toMatchObject({ status: 'LOADED' });
  expect(await transactions(a)).toBe(2);
  expect(await transactions(a)).toBe(2); // now cached
  const before = a.catalog.get('shared')?.dataVersion;

  const client = createClient({ url: redis.url });
  await client.connect();
  await client.del('kpi-gateway:data-versions');
  await client.quit();

  // B loads while A is idle: B's counter starts again and ends where A's stands.
  expect(await load(b, csv(3, 500))).toMatchObject({ status: 'LOADED' });
  expect(b.catalog.get('shared')?.dataVersion).toBe(before);
  expect(await transactions(a)).toBe(5);
  expect(await transactions(b)).toBe(5);
});
