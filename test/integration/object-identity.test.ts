import { Readable } from 'node:stream';
import { sql, trustedTable } from '../../src/warehouse/sql';
import { fromClickHouse, S3Gate } from '../support/s3-gate';
import { generateSalesRows, toCsv } from '../support/sales-fixture';
import { openTestStack, type TestStack } from '../support/test-stack';

const gate = new S3Gate();
let stack: TestStack;

beforeAll(async () => {
  stack = await openTestStack({ gate: gate.gate });
});

afterAll(async () => {
  gate.open();
  await stack.close();
});

afterEach(() => gate.open());

const from = new Date('2025-03-01T00:00:00Z');
const received = toCsv(generateSalesRows({ seed: 1, rows: 50, from, days: 5 }));
/** Other rows, same length: the size alone cannot tell them apart. */
const swapped = received.replace(/\d(?=\.\d\d\b)/, (d) => String((Number(d) + 1) % 10));

async function rawRows(dataset: string): Promise<number> {
  const { rows } = await stack.warehouse.query<{ n: string }>(
    sql`SELECT count() AS n FROM ${trustedTable(stack.warehouse.database, 'sales_raw')} WHERE dataset = ${dataset}`,
  );
  return Number(rows[0]?.n);
}

/** While ClickHouse's first read of `key` is held, a validly signed PUT replaces the object. */
async function swapDuringLoad(key: string, put: () => Promise<unknown>): Promise<void> {
  await gate.holding();
  expect(gate.seen.at(-1)).toMatchObject({ key, method: 'HEAD' });
  await put();
  gate.open();
}

describe('a load reads the object that was received, or fails OBJECT_CHANGED', () => {
  test('presigned flow: the object is swapped with the slot’s own signed URL after startUpload read it', async () => {
    expect(swapped).not.toBe(received);
    expect(swapped.length).toBe(received.length);
    const slot = await stack.ingest.createSlot({ dataset: 'swap-presigned', kind: 'sales' });
    expect((await fetch(slot.url, { method: 'PUT', body: received })).status).toBe(200);
    gate.close((request) => fromClickHouse(request) && request.key === slot.upload.objectKey);
    const starting = stack.ingest.startSlot(slot.upload.id);
    await swapDuringLoad(slot.upload.objectKey, () => fetch(slot.url, { method: 'PUT', body: swapped }));
    const upload = await starting;
    expect(upload).toMatchObject({ status: 'FAILED', errorCode: 'OBJECT_CHANGED', rowsLoaded: 0 });
    expect(await rawRows('swap-presigned')).toBe(0);

    // A retry reads the swapped bytes back: their checksum is not the one received, so still nothing loads.
    const retried = await stack.ingest.retry(slot.upload.id);
    expect(retried).toMatchObject({ status: 'FAILED', errorCode: 'OBJECT_CHANGED' });
    expect(await rawRows('swap-presigned')).toBe(0);
  });

  test('HTTP flow: the object is swapped (same size) with the gateway’s own keys before ClickHouse reads it', async () => {
    gate.close((request) => fromClickHouse(request) && request.key.startsWith('uploads/swap-http/'));
    const loading = stack.ingest.ingest({
      dataset: 'swap-http',
      kind: 'sales',
      body: Readable.from([Buffer.from(received)]),
    });
    await gate.holding();
    const key = gate.seen.at(-1)?.key ?? '';
    await swapDuringLoad(key, () =>
      stack.store.putStream(key, Readable.from([Buffer.from(swapped)]), 'text/csv', swapped.length),
    );
    const upload = await loading;
    expect(upload).toMatchObject({ status: 'FAILED', errorCode: 'OBJECT_CHANGED', rowsLoaded: 0 });
    expect(await rawRows('swap-http')).toBe(0);
  });

  test('a cell that quotes the markers is still a data error, not OBJECT_CHANGED or LOAD_TIMEOUT', async () => {
    const cell = '"OBJECT_CHANGED: the object at the upload key is not the one received; Timeout"';
    const upload = await stack.ingest.ingest({
      dataset: 'swap-quoted',
      kind: 'sales',
      body: Readable.from([Buffer.from(`time,grossRevenue\n2025-03-01 10:00:00,${cell}\n`)]),
    });
    expect(upload).toMatchObject({ status: 'REJECTED', errorCode: 'INVALID_DATA' });
  });

  test('an object left alone loads as before', async () => {
    const upload = await stack.ingest.ingest({
      dataset: 'swap-none',
      kind: 'sales',
      body: Readable.from([Buffer.from(received)]),
    });
    expect(upload).toMatchObject({ status: 'LOADED', rowsLoaded: 50 });
  });
});
