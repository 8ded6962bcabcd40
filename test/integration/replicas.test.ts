import { Readable } from 'node:stream';
import { UploadLedger } from '../../src/ingest/upload-ledger';
import type { KpiRequest } from '../../src/kpi/kpi-types';
import { trustedSql } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { startReplicaPair, type Replica, type ReplicaPair } from '../support/replica-pair';
import { firstRow } from '../support/consistency';

/**
 * Two gateway replicas over one warehouse, sharing Redis for data versions and the cache: what one
 * loads, the other sees on its next operation — never a stale cached answer, never a half load.
 */
let pair: ReplicaPair;
let warehouse: Warehouse;
let a: Replica;
let b: Replica;

beforeAll(async () => {
  pair = await startReplicaPair();
  ({ warehouse, a, b } = pair);
});

afterAll(async () => pair?.close());

const totals: KpiRequest = {
  kind: 'sales',
  dataset: 'shared',
  range: { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') },
  timeZone: 'UTC',
  filters: {},
  kpis: ['transactions', 'totalRevenue'],
  shape: { type: 'totals' },
};
const csv = (rows: number, cents: number) =>
  `time,grossRevenue\n${Array.from({ length: rows }, (_, i) => `2025-01-0${1 + (i % 9)}T10:00:00Z,${cents / 100}`).join('\n')}\n`;
const load = (r: Replica, text: string) =>
  r.ingest.ingest({ dataset: 'shared', kind: 'sales', body: Readable.from([Buffer.from(text)]) });

test("an upload on replica A is visible on replica B at its next operation, and B reuses A's cache entry", async () => {
  expect(() => b.kpi.dataset('shared', 'sales')).toThrow(/No dataset named shared/);
  expect((await load(a, csv(3, 1050))).status).toBe('LOADED');
  const fromA = await a.kpi.answer(totals);
  expect(fromA.cacheHit).toBe(false);

  await b.catalog.refresh();
  const fromB = await b.kpi.answer(totals);
  expect(fromB.dataVersion).toBe(fromA.dataVersion);
  expect(fromB.cacheHit).toBe(true);
  expect(fromB.rows[0]?.kpis.transactions?.value).toBe(3);

  // Whole-answer caches are keyed by the catalog's generation: it must move when another replica loads.
  const generation = a.catalog.generation;
  expect((await load(b, csv(2, 100))).status).toBe('LOADED');
  await a.catalog.refresh();
  expect(a.catalog.generation).toBeGreaterThan(generation);
  const again = await a.kpi.answer(totals);
  expect(again.cacheHit).toBe(false);
  expect(again.rows[0]?.kpis).toMatchObject({ transactions: { value: 5 }, totalRevenue: { value: 33.5 } });
});

test('an upload still loading on replica A is hidden on replica B', async () => {
  const loaded = firstRow(await new UploadLedger(warehouse).forDataset('shared'));
  const loading = { ...loaded, id: 'loading-on-a', status: 'LOADING' as const };
  await new UploadLedger(warehouse).save(loading);
  await a.catalog.apply(loading);
  await warehouse.command(
    trustedSql(
      `INSERT INTO ${warehouse.database}.sales_raw (dataset, upload_id, time, grossRevenue) VALUES ('shared', 'loading-on-a', '2025-01-03 00:00:00', 1)`,
    ),
  );

  await b.catalog.refresh();
  expect([...(b.catalog.get('shared')?.hiddenUploads ?? [])]).toEqual(['loading-on-a']);
  expect((await b.kpi.answer(totals)).rows[0]?.kpis.transactions?.value).toBe(5);
});

test('a file replica A loaded is a DUPLICATE on replica B, which asks its catalog and refreshes it first', async () => {
  const text = csv(4, 725);
  const onA = await load(a, text);
  expect(onA).toMatchObject({ status: 'LOADED', rowsLoaded: 4 });
  // No refresh by hand: the duplicate check itself must notice what A loaded.
  const onB = await load(b, text);
  expect(onB).toMatchObject({ status: 'DUPLICATE', duplicateOf: onA.id, rowsLoaded: 0 });
  await b.catalog.refresh();
  expect((await b.kpi.answer(totals)).rows[0]?.kpis.transactions?.value).toBe(9);
});

test("replica B hears of replica A's load through Redis, after it has caught up with it", async () => {
  const onB = await b.catalog.dataChanges();
  const heard = onB.next();
  const loaded = await load(a, csv(1, 990));
  expect(loaded.status).toBe('LOADED');
  let timer: NodeJS.Timeout | undefined;
  const change = await Promise.race([
    heard,
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error('no notice in 10 s')), 10_000)),
    ),
  ]).finally(() => clearTimeout(timer));
  expect(change.value).toEqual({
    dataset: 'shared',
    dataVersion: a.catalog.get('shared')?.dataVersion,
    uploadId: loaded.id,
    status: 'LOADED',
  });
  // B re-read the ledger before telling: whoever re-queries now sees the new rows.
  expect(b.catalog.get('shared')?.rows).toBe(a.catalog.get('shared')?.rows);
  await onB.return(undefined);
});
