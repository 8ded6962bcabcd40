import { randomUUID } from 'node:crypto';
import type { DatasetDirectory } from '../datasets/dataset-directory';
import {
  DATASET_KINDS,
  DATASET_NAME,
  isDatasetKindName,
  type DatasetKindName,
} from '../datasets/dataset-kinds';
import type { Upload, UploadMode } from '../datasets/upload';
import { AppError, ErrorCode, badInput } from '../errors/app-error';
import type { UploadLedger } from './upload-ledger';

/** What every way in says about the upload besides its bytes. */
export interface UploadOptions {
  readonly dataset: string;
  /** Required for a new dataset; must match an existing one's kind. */
  readonly kind?: string;
  /** Bad records that may be skipped (the rest loads); 0, the default, rejects the upload on any. */
  readonly maxBadRows?: number;
  /** REPLACE mode: the id of the LOADED upload of the same dataset this one corrects. */
  readonly replaces?: string;
}

const KIND_NAMES = Object.keys(DATASET_KINDS).join(', ');

/**
 * The kind an upload's rows are, from what the request says and what the dataset already holds.
 * A dataset whose uploads were all rejected holds no kind yet.
 */
export function resolveKind(directory: DatasetDirectory, dataset: string, kind?: string): DatasetKindName {
  if (!DATASET_NAME.test(dataset)) {
    throw badInput(
      'dataset must be 1-63 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
      { dataset },
    );
  }
  if (kind !== undefined && !isDatasetKindName(kind))
    throw badInput(`Unknown dataset kind "${kind}"; known kinds: ${KIND_NAMES}`, { kind });
  const existing = directory.kindOf(dataset);
  if (existing && kind && existing !== kind) {
    throw new AppError(
      ErrorCode.DATASET_KIND_MISMATCH,
      `Dataset ${dataset} holds ${existing} data, not ${kind}`,
      {
        details: { dataset, kind: existing },
      },
    );
  }
  const resolved = kind ?? existing;
  if (!resolved)
    throw badInput(
      `Dataset ${dataset} is new: say which kind of data it holds (kind=${Object.keys(DATASET_KINDS).join('|')})`,
      { dataset },
    );
  return resolved as DatasetKindName;
}

/**
 * A PENDING upload from a request's options, checked before any byte is read so a bad request
 * costs nothing. Only when the request leaves the kind to the dataset and this process does not
 * know the dataset is the directory refreshed here (another replica may have created it); the
 * load refreshes it once more, just before its duplicate check.
 */
export async function newUpload(
  options: UploadOptions,
  directory: DatasetDirectory,
  ledger: UploadLedger,
): Promise<Upload> {
  if (options.kind === undefined && !directory.kindOf(options.dataset)) await directory.refresh();
  const kind = resolveKind(directory, options.dataset, options.kind);
  const maxBadRows = options.maxBadRows ?? 0;
  if (!Number.isSafeInteger(maxBadRows) || maxBadRows < 0)
    throw badInput('maxBadRows must be a whole number, 0 or more', { maxBadRows });
  if (options.replaces !== undefined) {
    const target = await ledger.get(options.replaces);
    if (!target || target.dataset !== options.dataset || target.status !== 'LOADED') {
      throw badInput(`replaces must name a LOADED upload of dataset ${options.dataset}`, {
        replaces: options.replaces,
      });
    }
  }
  const id = randomUUID();
  const mode: UploadMode = options.replaces ? 'REPLACE' : 'APPEND';
  return {
    id,
    dataset: options.dataset,
    kind,
    objectKey: `uploads/${options.dataset}/${id}.csv`,
    status: 'PENDING',
    mode,
    maxBadRows,
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
    replaces: options.replaces ?? null,
    replacedBy: null,
    attempts: 0,
    createdAt: new Date(),
    receivedAt: null,
    finishedAt: null,
    receiveMs: 0,
    loadMs: 0,
  };
}
