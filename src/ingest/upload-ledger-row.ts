import { isDatasetKindName } from '../datasets/dataset-kinds';
import type { RowError, Upload, UploadMode, UploadStatus } from '../datasets/upload';
import { joinSql, param, sql, trustedIdentifier, type Sql } from '../warehouse/sql';

/** A ledger row as ClickHouse returns it (64-bit integers as text). */
export interface UploadRow {
  id: string;
  dataset: string;
  kind: string;
  object_key: string;
  status: string;
  bytes: string;
  sha256: string;
  rows_loaded: string;
  rows_rejected: string;
  columns: string[];
  ignored_columns: string[];
  complete_columns: string[];
  complete_columns_known: number;
  error_code: string | null;
  error: string | null;
  created_at: string;
  received_at: string | null;
  finished_at: string | null;
  receive_ms: number;
  load_ms: number;
  mode: string;
  max_bad_rows: string;
  duplicate_of: string | null;
  replaces: string | null;
  replaced_by: string | null;
  attempts: number;
  header: string[];
  row_error_count: string;
  row_errors_sample: string;
}

interface LedgerColumn {
  /** The ClickHouse type the value binds as (the column's type in `uploads`). */
  readonly type: string;
  /** How the value is read from the domain object. */
  readonly write: (upload: Upload) => unknown;
}

const TIME = "DateTime64(3, 'UTC')";
const chTime = (date: Date | null): string | null =>
  date ? date.toISOString().replace('T', ' ').replace('Z', '') : null;

/**
 * The one row definition of the ledger: column name → ClickHouse type → how to read it from an
 * Upload. The insert and every select are derived from it, in this order; `toUpload` below reads
 * the same names back. Keyed by `UploadRow`, so a column missing here or there is a type error.
 */
export const LEDGER_ROW: { readonly [K in keyof UploadRow]: LedgerColumn } = {
  id: { type: 'String', write: (u) => u.id },
  dataset: { type: 'String', write: (u) => u.dataset },
  kind: { type: 'String', write: (u) => u.kind },
  object_key: { type: 'String', write: (u) => u.objectKey },
  status: { type: 'String', write: (u) => u.status },
  bytes: { type: 'UInt64', write: (u) => u.bytes },
  sha256: { type: 'String', write: (u) => u.sha256 },
  rows_loaded: { type: 'UInt64', write: (u) => u.rowsLoaded },
  rows_rejected: { type: 'UInt64', write: (u) => u.rowsRejected },
  columns: { type: 'Array(String)', write: (u) => [...u.columns] },
  ignored_columns: { type: 'Array(String)', write: (u) => [...u.ignoredColumns] },
  complete_columns: { type: 'Array(String)', write: (u) => [...(u.completeColumns ?? [])] },
  complete_columns_known: { type: 'UInt8', write: (u) => (u.completeColumns === null ? 0 : 1) },
  error_code: { type: 'Nullable(String)', write: (u) => u.errorCode },
  error: { type: 'Nullable(String)', write: (u) => u.errorMessage },
  created_at: { type: TIME, write: (u) => chTime(u.createdAt) },
  received_at: { type: `Nullable(${TIME})`, write: (u) => chTime(u.receivedAt) },
  finished_at: { type: `Nullable(${TIME})`, write: (u) => chTime(u.finishedAt) },
  receive_ms: { type: 'UInt32', write: (u) => Math.round(u.receiveMs) },
  load_ms: { type: 'UInt32', write: (u) => Math.round(u.loadMs) },
  mode: { type: 'String', write: (u) => u.mode },
  max_bad_rows: { type: 'UInt64', write: (u) => u.maxBadRows },
  duplicate_of: { type: 'Nullable(String)', write: (u) => u.duplicateOf },
  replaces: { type: 'Nullable(String)', write: (u) => u.replaces },
  replaced_by: { type: 'Nullable(String)', write: (u) => u.replacedBy },
  attempts: { type: 'UInt32', write: (u) => u.attempts },
  header: { type: 'Array(String)', write: (u) => [...u.header] },
  row_error_count: { type: 'UInt64', write: (u) => u.rowErrorCount },
  row_errors_sample: { type: 'String', write: (u) => JSON.stringify(u.rowErrors) },
};

const ENTRIES = Object.entries(LEDGER_ROW) as Array<[keyof UploadRow, LedgerColumn]>;

/** `id, dataset, …`: every column of the row definition, for SELECT and INSERT alike. */
export const LEDGER_COLUMNS: Sql = joinSql(ENTRIES.map(([name]) => trustedIdentifier(name)));

/** `(v1, v2, …)`: the upload's values, each bound with its column's type, in LEDGER_COLUMNS order. */
export function ledgerValues(upload: Upload): Sql {
  return joinSql(ENTRIES.map(([, column]) => sql`${param(column.write(upload), column.type)}`));
}

const utc = (text: string | null): Date | null => (text ? new Date(`${text.replace(' ', 'T')}Z`) : null);

/** The one place a ledger row becomes an Upload. */
export function toUpload(row: UploadRow): Upload {
  if (!isDatasetKindName(row.kind)) throw new Error(`Ledger row ${row.id} has unknown kind ${row.kind}`);
  const createdAt = utc(row.created_at);
  if (!createdAt) throw new Error(`Ledger row ${row.id} has no created_at`);
  return {
    id: row.id,
    dataset: row.dataset,
    kind: row.kind,
    objectKey: row.object_key,
    status: row.status as UploadStatus,
    bytes: Number(row.bytes),
    sha256: row.sha256,
    rowsLoaded: Number(row.rows_loaded),
    rowsRejected: Number(row.rows_rejected),
    columns: row.columns,
    ignoredColumns: row.ignored_columns,
    completeColumns: Number(row.complete_columns_known) === 1 ? row.complete_columns : null,
    errorCode: row.error_code,
    errorMessage: row.error,
    createdAt,
    receivedAt: utc(row.received_at),
    finishedAt: utc(row.finished_at),
    receiveMs: Number(row.receive_ms),
    loadMs: Number(row.load_ms),
    mode: row.mode as UploadMode,
    maxBadRows: Number(row.max_bad_rows),
    duplicateOf: row.duplicate_of,
    replaces: row.replaces,
    replacedBy: row.replaced_by,
    attempts: Number(row.attempts),
    header: row.header,
    rowErrorCount: Number(row.row_error_count),
    rowErrors: JSON.parse(row.row_errors_sample) as RowError[],
  };
}

/** The ledger's time type and how a Date is written in it (a page's cursor binds one). */
export const LEDGER_TIME_TYPE = TIME;
export const ledgerTime = chTime;
