import type { DatasetKindName } from './dataset-kinds';

/**
 * PENDING (presigned slot, waiting for the file) → RECEIVED → LOADING → LOADED | REJECTED | FAILED.
 * DUPLICATE: the same content is already loaded in the dataset; nothing was loaded again.
 * REPLACED: a later upload in REPLACE mode superseded this one; its rows were removed.
 * Only LOADED uploads are ever read. Which event leads from which status to which is one table,
 * TRANSITIONS in src/ingest/upload-lifecycle.ts.
 */
export const UPLOAD_STATUSES = [
  'PENDING',
  'RECEIVED',
  'LOADING',
  'LOADED',
  'REJECTED',
  'FAILED',
  'DUPLICATE',
  'REPLACED',
] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

export const FINAL_STATUSES: readonly UploadStatus[] = [
  'LOADED',
  'REJECTED',
  'FAILED',
  'DUPLICATE',
  'REPLACED',
];

/** APPEND adds rows; REPLACE removes the rows of the upload named in `replaces` once this one is LOADED. */
export const UPLOAD_MODES = ['APPEND', 'REPLACE'] as const;
export type UploadMode = (typeof UPLOAD_MODES)[number];

/** One rejected cell (or whole record, when `column` is null) of a file. */
export interface RowError {
  /** 1-based physical line where the record starts (the header is line 1). */
  readonly line: number;
  /** 1-based data record number (quoted newlines make records span lines); null for the header or when unknown. */
  readonly record: number | null;
  /** The file's header text of the column, or null when the problem is the whole record. */
  readonly column: string | null;
  readonly reason: string;
  /** The offending text, shortened. */
  readonly value: string | null;
}

export interface Upload {
  readonly id: string;
  readonly dataset: string;
  readonly kind: DatasetKindName;
  readonly objectKey: string;
  readonly status: UploadStatus;
  readonly mode: UploadMode;
  /** Bad records tolerated before the whole upload is rejected (0: any bad record rejects it). */
  readonly maxBadRows: number;
  readonly bytes: number;
  readonly sha256: string;
  readonly rowsLoaded: number;
  readonly rowsRejected: number;
  /** The header fields as the file spelled them. */
  readonly header: readonly string[];
  /** Canonical columns the file carried. */
  readonly columns: readonly string[];
  /**
   * Optional columns that every loaded row of this upload carries (no empty cell), counted when
   * it loads; null until then (and for uploads loaded before this was recorded, until counted).
   * While every visible upload carries a column in full, no slice of the dataset can be partly
   * covered by it, so queries skip counting its coverage.
   */
  readonly completeColumns: readonly string[] | null;
  /** File headers that map to no column (ignored). */
  readonly ignoredColumns: readonly string[];
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** How many row errors were found in all (every one is in the row-error table). */
  readonly rowErrorCount: number;
  /** The first few row errors, kept in the ledger row for responses. */
  readonly rowErrors: readonly RowError[];
  readonly duplicateOf: string | null;
  readonly replaces: string | null;
  readonly replacedBy: string | null;
  readonly attempts: number;
  readonly createdAt: Date;
  readonly receivedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly receiveMs: number;
  readonly loadMs: number;
}

/** How many row errors an Upload carries inline. */
export const ROW_ERROR_SAMPLE = 20;
