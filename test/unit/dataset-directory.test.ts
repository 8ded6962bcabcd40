import { DatasetDirectory } from '../../src/datasets/dataset-directory';
import type { Upload, UploadStatus } from '../../src/datasets/upload';

const upload = (
  id: string,
  fields: {
    status: UploadStatus;
    sha256?: string;
    dataset?: string;
    createdAt?: string;
    mode?: Upload['mode'];
    replaces?: string;
  },
): Upload => ({
  id,
  dataset: fields.dataset ?? 'shop',
  kind: 'sales',
  objectKey: `uploads/shop/${id}.csv`,
  status: fields.status,
  mode: fields.mode ?? 'APPEND',
  maxBadRows: 0,
  bytes: 10,
  sha256: fields.sha256 ?? 'same',
  rowsLoaded: fields.status === 'LOADED' ? 1 : 0,
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
  replaces: fields.replaces ?? null,
  replacedBy: null,
  attempts: 1,
  createdAt: new Date(fields.createdAt ?? '2025-01-01T00:00:00Z'),
  receivedAt: null,
  finishedAt: null,
  receiveMs: 0,
  loadMs: 0,
});

describe('DatasetDirectory.findByContent (the duplicate check, asked without a statement)', () => {
  test('finds the earliest upload of the dataset with that content in one of the statuses, by creation time then id', async () => {
    const directory = await DatasetDirectory.fromUploads([
      upload('c', { status: 'LOADED', createdAt: '2025-01-03T00:00:00Z' }),
      upload('b', { status: 'LOADED', createdAt: '2025-01-02T00:00:00Z' }),
      upload('a', { status: 'LOADED', createdAt: '2025-01-02T00:00:00Z' }),
    ]);
    expect(directory.findByContent('shop', 'same', ['LOADED'], [])?.id).toBe('a');
    expect(directory.findByContent('shop', 'same', ['LOADED'], ['a'])?.id).toBe('b');
  });

  test('other content, other datasets, other statuses and excepted ids are not duplicates', async () => {
    const directory = await DatasetDirectory.fromUploads([
      upload('other-content', { status: 'LOADED', sha256: 'different' }),
      upload('other-dataset', { status: 'LOADED', dataset: 'elsewhere' }),
      upload('rejected', { status: 'REJECTED' }),
      upload('failed', { status: 'FAILED' }),
      upload('duplicate', { status: 'DUPLICATE' }),
      upload('loading', { status: 'LOADING' }),
    ]);
    expect(directory.findByContent('shop', 'same', ['LOADED', 'REPLACED'], [])).toBeNull();
    expect(directory.findByContent('nowhere', 'same', ['LOADED', 'REPLACED'], [])).toBeNull();
  });

  test('follows status changes as they are applied: a REPLACED upload counts only when asked for', async () => {
    const directory = await DatasetDirectory.fromUploads([]);
    const first = upload('first', { status: 'LOADED' });
    await directory.apply({ ...first, status: 'LOADING' });
    expect(directory.findByContent('shop', 'same', ['LOADED', 'REPLACED'], [])).toBeNull();
    await directory.apply(first);
    expect(directory.findByContent('shop', 'same', ['LOADED'], [])?.id).toBe('first');
    await directory.apply({ ...first, status: 'REPLACED', replacedBy: 'second' });
    expect(directory.findByContent('shop', 'same', ['LOADED'], [])).toBeNull();
    expect(directory.findByContent('shop', 'same', ['LOADED', 'REPLACED'], [])?.id).toBe('first');
  });
});

describe('which datasets are listed, and which kind a name holds', () => {
  test('a dataset whose only upload was rejected is not listed and holds no kind', async () => {
    const directory = await DatasetDirectory.fromUploads([
      upload('r', { status: 'REJECTED', dataset: 'tried' }),
    ]);
    expect(directory.list()).toEqual([]);
    expect(directory.kindOf('tried')).toBeUndefined();
  });

  test('it is listed from its first loaded upload, with the rows it holds', async () => {
    const directory = await DatasetDirectory.fromUploads([
      upload('r', { status: 'REJECTED', dataset: 'tried' }),
    ]);
    await directory.apply(upload('l', { status: 'LOADING', dataset: 'tried' }));
    expect(directory.list()).toEqual([]);
    expect(directory.kindOf('tried')).toBe('sales');
    await directory.apply(upload('l', { status: 'LOADED', dataset: 'tried' }));
    expect(directory.list().map((d) => [d.name, d.kind, d.rows, d.loadedUploads])).toEqual([
      ['tried', 'sales', 1, 1],
    ]);
  });

  test('a rejected first try of another kind does not decide the kind', async () => {
    const directory = await DatasetDirectory.fromUploads([
      upload('r', { status: 'REJECTED', dataset: 'votes' }),
      { ...upload('t', { status: 'LOADED', dataset: 'votes' }), kind: 'turnout' },
    ]);
    expect(directory.kindOf('votes')).toBe('turnout');
    expect(directory.list('turnout').map((d) => d.name)).toEqual(['votes']);
    expect(directory.list('sales')).toEqual([]);
  });
});
