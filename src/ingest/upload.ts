import type { DatasetKindName } from '../datasets/dataset-kinds';

/** RECEIVED → LOADING → LOADED | REJECTED | FAILED. Only LOADED uploads are ever read. */
export type UploadStatus = 'RECEIVED' | 'LOADING' | 'LOADED' | 'REJECTED' | 'FAILED';

export interface Upload {
  readonly id: string;
  readonly dataset: string;
  readonly kind: DatasetKindName;
  readonly objectKey: string;
  readonly status: UploadStatus;
  readonly bytes: number;
  readonly sha256: string;
  readonly rowsLoaded: number;
  readonly rowsRejected: number;
  /** Canonical columns the file carried. */
  readonly columns: readonly string[];
  /** File headers that map to no column (ignored). */
  readonly ignoredColumns: readonly string[];
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly createdAt: Date;
  readonly receivedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly receiveMs: number;
  readonly loadMs: number;
}
