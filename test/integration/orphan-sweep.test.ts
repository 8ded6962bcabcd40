import { Readable } from 'node:stream';
import { sweepOrphans } from '../../src/ingest/orphan-sweeper';
import { generateSalesRows, toCsv } from '../support/sales-fixture';
import { openTestStack, silentLogger, type TestStack } from '../support/test-stack';

let stack: TestStack;

beforeAll(async () => {
  stack = await openTestStack();
});

afterAll(async () => {
  await stack.close();
});

const put = (key: string, text: string) =>
  stack.store.putStream(key, Readable.from([Buffer.from(text)]), 'text/csv', text.length);
const ingest = (dataset: string, csv: string) =>
  stack.ingest.ingest({ dataset, kind: 'sales', body: Readable.from([Buffer.from(csv)]) });

describe('orphaned objects are removed after the grace period', () => {
  test('objects with no upload, and of REJECTED or FAILED uploads, go; loaded and pending ones stay', async () => {
    const csv = toCsv(
      generateSalesRows({ seed: 3, rows: 20, from: new Date('2025-02-01T00:00:00Z'), days: 2 }),
    );
    const loaded = await ingest('sweep', csv);
    const rejected = await ingest('sweep', 'time,grossRevenue\nnot-a-time,ten\n');
    expect(loaded.status).toBe('LOADED');
    expect(rejected.status).toBe('REJECTED');
    const slot = await stack.ingest.createSlot({ dataset: 'sweep', kind: 'sales' });
    await put(slot.upload.objectKey, csv);
    await put('uploads/sweep/00000000-0000-0000-0000-000000000000.csv', csv);
    await put('uploads/sweep/stray-name.txt', 'x');
    expect(await stack.store.exists(rejected.objectKey)).toBe(true);

    // Within the grace period nothing goes.
    const early = await sweepOrphans(stack.store, await stack.ledger.all(), {
      graceSeconds: 3600,
      logger: silentLogger,
    });
    expect(early.removed).toEqual([]);

    const swept = await sweepOrphans(stack.store, await stack.ledger.all(), {
      graceSeconds: 0,
      logger: silentLogger,
      now: new Date(Date.now() + 1000),
    });
    expect([...swept.removed].sort()).toEqual(
      [
        rejected.objectKey,
        'uploads/sweep/00000000-0000-0000-0000-000000000000.csv',
        'uploads/sweep/stray-name.txt',
      ].sort(),
    );
    expect(await stack.store.exists(loaded.objectKey)).toBe(true);
    expect(await stack.store.exists(slot.upload.objectKey)).toBe(true);
    expect(await stack.store.exists(rejected.objectKey)).toBe(false);
  });
});
