import { DatasetDirectory } from '../../src/datasets/dataset-directory';
import type { Upload, UploadStatus } from '../../src/datasets/upload';

/** A minimal upload of dataset `shop`; only id and status matter for what readers see. */
const upload = (id: string, status: UploadStatus): Upload => ({
  id,
  dataset: 'shop',
  kind: 'sales',
  objectKey: `uploads/shop/${id}.csv`,
  status,
  mode: 'APPEND',
  maxBadRows: 0,
  bytes: 10,
  sha256: id,
  rowsLoaded: status === 'LOADED' ? 1 : 0,
  rowsRejected: 0,
  header: ['time', 'grossRevenue'],
  columns: ['time', 'grossRevenue'],
  completeColumns: [],
  ignoredColumns: [],
  errorCode: null,
  errorMessage: null,
  rowErrorCount: 0,
  rowErrors: [],
  duplicateOf: null,
  replaces: null,
  replacedBy: null,
  attempts: 1,
  createdAt: new Date('2025-01-01T00:00:00Z'),
  receivedAt: null,
  finishedAt: null,
  receiveMs: 0,
  loadMs: 0,
});

describe('a dataset state key (what cache keys use instead of the data version counter)', () => {
  test('is the same for the same uploads in any process, and differs when what readers see differs', async () => {
    const before = await DatasetDirectory.fromUploads([upload('u1', 'LOADED')]);
    const restarted = await DatasetDirectory.fromUploads([upload('u1', 'LOADED')]);
    expect(restarted.get('shop')?.stateKey).toBe(before.get('shop')?.stateKey);
    // The counter starts again after a restart; the key does not repeat for other data.
    const behind = await DatasetDirectory.fromUploads([upload('u1', 'LOADED'), upload('u2', 'LOADED')]);
    expect(behind.get('shop')?.dataVersion).toBe(before.get('shop')?.dataVersion);
    expect(behind.get('shop')?.stateKey).not.toBe(before.get('shop')?.stateKey);

    await before.apply(upload('u2', 'LOADING'));
    const loading = before.get('shop')?.stateKey;
    expect(loading).not.toBe(behind.get('shop')?.stateKey);
    await before.apply(upload('u2', 'LOADED'));
    expect(before.get('shop')?.stateKey).toBe(behind.get('shop')?.stateKey);
  });
});
