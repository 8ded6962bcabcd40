import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DEFAULT_CSV_LIMITS } from '../../src/config/config';
import { MAX_LOAD_ATTEMPTS } from '../../src/ingest/ingest-service';
import { RowErrorStore } from '../../src/ingest/row-error-store';
import { transition } from '../../src/ingest/upload-lifecycle';
import { UploadLoadJob } from '../../src/ingest/upload-load-job';
import { UploadRecorder } from '../../src/ingest/upload-recorder';
import { UploadRowsRepository } from '../../src/ingest/upload-rows.repository';
import { openTestStack, silentLogger, type TestStack } from '../support/test-stack';

/**
 * Files the gateway must refuse with a clear code and a ledger row (issue 13), and the smaller
 * defects of issue 14: a retry adds an attempt, a dataset with only a rejected upload is not
 * listed. Default limits: 1 MiB per line, 64 KiB per field, 1000 columns.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await openTestStack();
});

afterAll(async () => {
  await stack.close();
});

const ingestBody = (dataset: string, body: Readable, kind = 'sales') =>
  stack.ingest.ingest({ dataset, kind, body });
const ingest = (dataset: string, csv: string, kind = 'sales') =>
  ingestBody(dataset, Readable.from([Buffer.from(csv)]), kind);

/** `bytes` of `fill` in 1 MiB chunks, then the rest of a file: nothing of that size is held in memory. */
function longFirstLine(bytes: number, fill: string, rest: string): Readable {
  const chunk = Buffer.alloc(1024 * 1024, fill);
  return Readable.from(
    (function* () {
      for (let sent = 0; sent < bytes; sent += chunk.length)
        yield chunk.subarray(0, Math.min(chunk.length, bytes - sent));
      yield Buffer.from(rest);
    })(),
  );
}

async function expectRecorded(id: string, code: string) {
  const recorded = await stack.ledger.get(id);
  expect(recorded).toMatchObject({ status: 'REJECTED', errorCode: code, rowsLoaded: 0 });
  return recorded;
}

describe('lines, fields and headers past their bounds: REJECTED with a ledger row, naming the line', () => {
  test('a first line of 300 KB in one field is FIELD_TOO_LARGE on line 1', async () => {
    const upload = await ingestBody(
      'first-300k',
      longFirstLine(300 * 1024, 'x', '\n2025-01-01T00:00:00Z,1\n'),
    );
    expect(upload).toMatchObject({ status: 'REJECTED', errorCode: 'FIELD_TOO_LARGE' });
    expect(upload.errorMessage).toMatch(/^Line 1, field 1: a field is longer than 65536 bytes/);
    await expectRecorded(upload.id, 'FIELD_TOO_LARGE');
    expect(await stack.ingest.rowErrors.page(upload.id, 10, 0)).toEqual([
      { line: 1, record: null, column: null, reason: 'is longer than 65536 bytes', value: null },
    ]);
  });

  test('a first line of 100 MB is refused the same way, with its object accounted for', async () => {
    const upload = await ingestBody('first-100m', longFirstLine(100 * 1024 * 1024, 'x', '\n1\n'));
    expect(upload).toMatchObject({
      status: 'REJECTED',
      errorCode: 'FIELD_TOO_LARGE',
      bytes: 100 * 1024 * 1024 + 3,
    });
    await expectRecorded(upload.id, 'FIELD_TOO_LARGE');
    // The ledger row names the object, so nothing in the store is left without an owner.
    expect(await stack.store.exists(upload.objectKey)).toBe(true);
  }, 120_000);

  test('a first line of 2 MB of short fields is LINE_TOO_LARGE on line 1', async () => {
    const upload = await ingestBody('first-2m', longFirstLine(2 * 1024 * 1024, 'a,', '\n1\n'));
    expect(upload).toMatchObject({ status: 'REJECTED', errorCode: 'LINE_TOO_LARGE' });
    expect(upload.errorMessage).toMatch(/^Line 1 is longer than 1048576 bytes/);
    await expectRecorded(upload.id, 'LINE_TOO_LARGE');
  });

  test('a data line past the limit names its own line', async () => {
    const csv = `time,grossRevenue\n2025-01-01T00:00:00Z,1.00\n2025-01-01T00:00:00Z,${'1,'.repeat(600 * 1024)}2\n`;
    const upload = await ingest('line-3', csv);
    expect(upload).toMatchObject({ status: 'REJECTED', errorCode: 'LINE_TOO_LARGE' });
    expect(upload.errorMessage).toMatch(/^Line 3 is longer than/);
  });

  test('a quoted cell over the field limit names its line and column, also across line breaks', async () => {
    const cell = `"${'note, with a comma\n'.repeat(4000)}"`;
    const csv = `time,grossRevenue,notes\n2025-01-01T00:00:00Z,1.00,ok\n2025-01-01T00:00:00Z,2.00,${cell}\n`;
    const upload = await ingest('quoted-cell', csv);
    expect(upload).toMatchObject({ status: 'REJECTED', errorCode: 'FIELD_TOO_LARGE' });
    expect(upload.errorMessage).toMatch(/^Line 3, column notes: a field is longer than 65536 bytes/);
    expect(upload.rowErrors).toEqual([
      { line: 3, record: null, column: 'notes', reason: 'is longer than 65536 bytes', value: null },
    ]);
  });

  test("a header of 100,000 columns is TOO_MANY_COLUMNS, not the engine's text", async () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
    const upload = await ingest('wide-100k', `${header}\n${'1,'.repeat(99_999)}1\n`);
    expect(upload).toMatchObject({ status: 'REJECTED', errorCode: 'TOO_MANY_COLUMNS' });
    expect(upload.errorMessage).toBe('The header has 100000 columns; at most 1000 are accepted.');
    const recorded = await expectRecorded(upload.id, 'TOO_MANY_COLUMNS');
    expect(recorded?.header).toHaveLength(1000);
  });

  test('a wide header within the bounds (900 columns, 270 KB) gets its ledger row too', async () => {
    const header = Array.from({ length: 900 }, (_, i) => `${'h'.repeat(290)}${i}`).join(',');
    const upload = await ingest('wide-270k', `${header}\n${'1,'.repeat(899)}1\n`);
    expect(upload).toMatchObject({ status: 'REJECTED', errorCode: 'BAD_HEADER' });
    const recorded = await expectRecorded(upload.id, 'BAD_HEADER');
    expect(recorded?.header).toHaveLength(900);
    // Each name kept for reading, shortened: the row stays small for any transport.
    expect(Math.max(...(recorded?.header ?? []).map((name) => name.length))).toBe(256);
  });

  test('huge header names are shortened in the reasons, so the row errors are always written', async () => {
    // Non-ASCII text grows fourfold as an escaped literal: two 60 KB names would pass the
    // engine's query size limit if a reason quoted them whole.
    const name = 'é'.repeat(30_000);
    const upload = await ingest('dup-huge-names', `time,grossRevenue,${name},${name}\n2025-01-01,1,a,b\n`);
    expect(upload).toMatchObject({ status: 'REJECTED', errorCode: 'BAD_HEADER' });
    expect(upload.errorMessage?.length).toBeLessThan(300);
    expect(await stack.ingest.rowErrors.page(upload.id, 10, 0)).toHaveLength(1);
  });

  test('the presigned path refuses the same file with the same code', async () => {
    const slot = await stack.ingest.createSlot({ dataset: 'slot-field', kind: 'sales' });
    const csv = `time,grossRevenue\n2025-01-01T00:00:00Z,${'7'.repeat(70 * 1024)}\n`;
    await stack.store.putStream(slot.upload.objectKey, Readable.from([Buffer.from(csv)]), 'text/csv');
    const upload = await stack.ingest.startSlot(slot.upload.id);
    expect(upload).toMatchObject({ status: 'REJECTED', errorCode: 'FIELD_TOO_LARGE' });
    expect(upload.errorMessage).toMatch(/^Line 2, column grossRevenue:/);
  });
});

describe('a load that cannot start', () => {
  test('still leaves a ledger row: FAILED with LOAD_NOT_STARTED, which a retry loads', async () => {
    // The job is told a size the stored object does not have: it cannot even locate the reported
    // problem, so no status was recorded when it throws.
    const pending = await stack.ingest.newUpload({ dataset: 'not-started', kind: 'sales' });
    const csv = 'time,grossRevenue\n2025-01-01T10:00:00Z,1.00\n';
    await stack.store.putStream(pending.objectKey, Readable.from([Buffer.from(csv)]), 'text/csv');
    // The received checksum is the stored file's own (a retry of other content fails OBJECT_CHANGED,
    // see object-identity.test.ts); the size the job was told is not, so it cannot locate the breach.
    const sha256 = createHash('sha256').update(csv).digest('hex');
    const facts = { bytes: 10_000_000, sha256, header: ['time', 'grossRevenue'] };
    const received = transition(pending, { type: 'receive', facts, at: new Date() });
    const job = new UploadLoadJob({
      ...stack,
      directory: stack.catalog,
      recorder: new UploadRecorder(stack.ledger, stack.catalog),
      rowErrors: new RowErrorStore(stack.warehouse),
      rows: new UploadRowsRepository(stack.warehouse),
      logger: silentLogger,
      limits: DEFAULT_CSV_LIMITS,
    });
    const file = {
      ...facts,
      unclosedQuoteAt: null,
      breach: { kind: 'LINE_TOO_LARGE' as const, offset: 5_000_000 },
    };
    await expect(job.run(received, file, true)).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    expect(await stack.ledger.get(pending.id)).toMatchObject({
      status: 'FAILED',
      errorCode: 'LOAD_NOT_STARTED',
      attempts: 0,
    });
    const retried = await stack.ingest.retry(pending.id);
    expect(retried).toMatchObject({ status: 'LOADED', rowsLoaded: 1, attempts: 1 });
  });
});

describe('election exports with common headers', () => {
  test('a rejected turnout file names its unmatched headers and what it lacks', async () => {
    const csv = 'time,election_id,constituency_code,bulletins,vote_cast\n2025-05-01T08:00:00Z,E1,C1,10,9\n';
    const upload = await ingest('turnout-typo', csv, 'turnout');
    expect(upload).toMatchObject({ status: 'REJECTED', errorCode: 'BAD_HEADER' });
    expect(upload.errorMessage).toBe(
      'The header cannot be used: missing required column(s): votesCast; headers of the file that match no column: "vote_cast" (closest known name: votesCast).',
    );
  });

  test('codes, ballots cast and counted votes load into their columns', async () => {
    const csv =
      'timestamp,election_id,constituency_code,polling_station_code,ballots_issued,votes_counted\n2025-05-01T08:00:00Z,E1,C1,P1,10,9\n';
    const upload = await ingest('turnout-codes', csv, 'turnout');
    expect(upload).toMatchObject({
      status: 'LOADED',
      rowsLoaded: 1,
      columns: ['time', 'electionId', 'constituencyId', 'pollingStationId', 'bulletinsIssued', 'votesCast'],
      ignoredColumns: [],
    });
  });
});

describe('smaller defects', () => {
  test('retryUpload adds one attempt after interrupted tries (never back to 1)', async () => {
    const stored = await ingest('retry-count', 'time,grossRevenue\n2025-01-01T10:00:00Z,1.00\n');
    // What the gateway dying in each of three attempts leaves, then the recovery that gives up.
    const crashed = { ...stored, status: 'LOADING' as const, attempts: MAX_LOAD_ATTEMPTS };
    await stack.ledger.save(crashed);
    await stack.catalog.apply(crashed);
    expect(await stack.ingest.recoverInterrupted()).toEqual([]);
    expect(await stack.ledger.get(stored.id)).toMatchObject({
      status: 'FAILED',
      attempts: MAX_LOAD_ATTEMPTS,
    });
    const retried = await stack.ingest.retry(stored.id);
    expect(retried).toMatchObject({ status: 'LOADED', rowsLoaded: 1, attempts: MAX_LOAD_ATTEMPTS + 1 });
    expect(await stack.ledger.get(stored.id)).toMatchObject({ attempts: MAX_LOAD_ATTEMPTS + 1 });
  });

  test('a dataset whose only upload was rejected is not listed, and takes another kind next', async () => {
    const refused = await ingest('only-rejected', 'no,such,columns\n1,2,3\n');
    expect(refused.status).toBe('REJECTED');
    expect(stack.catalog.list().map((d) => d.name)).not.toContain('only-rejected');
    // The kind of a refused first try does not stick to the name.
    const turnout = await ingest(
      'only-rejected',
      'time,electionId,constituencyId,bulletinsIssued,votesCast\n2025-05-01T08:00:00Z,E1,C1,10,9\n',
      'turnout',
    );
    expect(turnout).toMatchObject({ status: 'LOADED', kind: 'turnout' });
    expect(stack.catalog.list().find((d) => d.name === 'only-rejected')).toMatchObject({
      kind: 'turnout',
      rows: 1,
      loadedUploads: 1,
    });
  });
});
