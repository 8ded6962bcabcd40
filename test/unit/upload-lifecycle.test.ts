import type { Upload, UploadStatus } from '../../src/datasets/upload';
import {
  IllegalTransitionError,
  TRANSITIONS,
  transition,
  type UploadEvent,
} from '../../src/ingest/upload-lifecycle';

const pending: Upload = {
  id: 'u1',
  dataset: 'shop',
  kind: 'sales',
  objectKey: 'uploads/shop/u1.csv',
  status: 'PENDING',
  mode: 'APPEND',
  maxBadRows: 0,
  bytes: 0,
  sha256: '',
  rowsLoaded: 0,
  rowsRejected: 0,
  header: [],
  columns: [],
  completeColumns: null,
  ignoredColumns: [],
  errorCode: null,
  errorMessage: null,
  rowErrorCount: 0,
  rowErrors: [],
  duplicateOf: null,
  replaces: null,
  replacedBy: null,
  attempts: 0,
  createdAt: new Date('2025-01-01T00:00:00Z'),
  receivedAt: null,
  finishedAt: null,
  receiveMs: 0,
  loadMs: 0,
};

const receive: UploadEvent = {
  type: 'receive',
  facts: { bytes: 40, sha256: 'abc', header: ['time', 'grossRevenue'] },
  at: new Date('2025-01-01T00:00:02Z'),
};
const load: UploadEvent = {
  type: 'load',
  rows: 3,
  completeColumns: [],
  rejected: { errors: 0, records: 0, sample: [] },
  loadMs: 12,
};
const fail: UploadEvent = { type: 'fail', code: 'LOAD_FAILED', message: 'engine down' };
const run = (upload: Upload, ...events: UploadEvent[]) => events.reduce(transition, upload);

describe('the upload lifecycle table', () => {
  test('the happy path: received facts, one attempt, loaded rows', () => {
    const loaded = run(pending, receive, { type: 'start' }, load);
    expect(loaded).toMatchObject({
      status: 'LOADED',
      bytes: 40,
      sha256: 'abc',
      header: ['time', 'grossRevenue'],
      receiveMs: 2000,
      attempts: 1,
      rowsLoaded: 3,
      loadMs: 12,
    });
    expect(loaded.finishedAt).toBeInstanceOf(Date);
  });

  test('a retry adds one attempt, also after attempts recovery counted (never back to 1)', () => {
    // Three tries the gateway died in, then recovery gave up: FAILED with attempts 3.
    const interrupted = { ...run(pending, receive, { type: 'start' }), attempts: 3 };
    const failed = transition(interrupted, fail);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 3 });
    const retried = run(failed, receive, { type: 'start' });
    expect(retried).toMatchObject({ status: 'LOADING', attempts: 4, errorCode: null, finishedAt: null });
    // What receiving taught the first time stays (the same object is read again).
    expect(retried.receivedAt).toEqual(failed.receivedAt);
  });

  test.each<[UploadStatus, UploadEvent]>([
    ['LOADED', { type: 'start' }],
    ['LOADED', receive],
    ['REJECTED', receive],
    ['DUPLICATE', { type: 'replace', by: 'u2' }],
    ['PENDING', { type: 'start' }],
    ['LOADING', { type: 'duplicate', of: 'u0' }],
    ['REPLACED', load],
    ['FAILED', fail],
  ])('%s does not allow an event (case %#): a typed error, nothing changes', (status, event) => {
    const upload = { ...pending, status };
    expect(() => transition(upload, event)).toThrow(IllegalTransitionError);
    expect(() => transition(upload, event)).toThrow(expect.objectContaining({ code: 'UPLOAD_STATE' }));
    expect(upload.status).toBe(status);
  });

  test('every final status is reached by exactly the events the table names', () => {
    const examples: Record<keyof typeof TRANSITIONS, UploadEvent> = {
      receive,
      map: { type: 'map', columns: ['time'], ignoredColumns: [] },
      start: { type: 'start' },
      load,
      reject: { type: 'reject', code: 'BAD_HEADER', message: 'no', sample: [] },
      fail,
      duplicate: { type: 'duplicate', of: 'u0' },
      replace: { type: 'replace', by: 'u2' },
      count: { type: 'count', completeColumns: [] },
      interrupt: { type: 'interrupt' },
    };
    const reaching = (status: UploadStatus) =>
      Object.values(examples)
        .filter((event) =>
          TRANSITIONS[event.type].from.some(
            (from) => transition({ ...pending, status: from }, event).status === status,
          ),
        )
        .map((event) => event.type)
        .sort();
    expect(reaching('LOADED')).toEqual(['count', 'load']);
    expect(reaching('REJECTED')).toEqual(['reject']);
    expect(reaching('FAILED')).toEqual(['fail']);
    expect(reaching('DUPLICATE')).toEqual(['duplicate']);
    expect(reaching('REPLACED')).toEqual(['replace']);
    expect(reaching('LOADING')).toEqual(['start']);
  });

  test('a rejection keeps the sample and counts, and never claims loaded rows', () => {
    const sample = [{ line: 3, record: 2, column: 'grossRevenue', reason: 'is not a number', value: 'x' }];
    const rejected = run(
      pending,
      receive,
      { type: 'start' },
      {
        type: 'reject',
        code: 'INVALID_DATA',
        message: '1 row is not valid',
        sample,
        counts: { errors: 2, records: 1 },
      },
    );
    expect(rejected).toMatchObject({
      status: 'REJECTED',
      errorCode: 'INVALID_DATA',
      rowsLoaded: 0,
      rowsRejected: 1,
      rowErrorCount: 2,
      rowErrors: sample,
    });
  });
});
