import { AppError, ErrorCode, badInput } from '../errors/app-error';
import { assertIdentifier, SqlParams, sql } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import type { RowError, Upload, UploadMode, UploadStatus } from '../datasets/upload';
import { isDatasetKindName } from '../datasets/dataset-kinds';

interface UploadRow {
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

const COLUMNS =
  'id, dataset, kind, object_key, status, bytes, sha256, rows_loaded, rows_rejected, columns, ignored_columns, complete_columns, complete_columns_known, error_code, error, created_at, received_at, finished_at, receive_ms, load_ms, mode, max_bad_rows, duplicate_of, replaces, replaced_by, attempts, header, row_error_count, row_errors_sample';

const utc = (text: string | null): Date | null => (text ? new Date(`${text.replace(' ', 'T')}Z`) : null);
const ch = (date: Date | null): string | null =>
  date ? date.toISOString().replace('T', ' ').replace('Z', '') : null;

/** The one place a ledger row becomes an Upload. */
function toUpload(row: UploadRow): Upload {
  if (!isDatasetKindName(row.kind)) throw new Error(`Ledger row ${row.id} has unknown kind ${row.kind}`);
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
    createdAt: utc(row.created_at)!,
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

export interface UploadPage {
  readonly uploads: Upload[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}

export const MAX_PAGE_SIZE = 100;

/**
 * The upload ledger in ClickHouse (ReplacingMergeTree, read with FINAL): every status change
 * writes the whole row again with a higher version, so the ledger survives restarts and
 * replicas read one truth.
 */
export class UploadLedger {
  private lastVersion = 0;

  constructor(private readonly warehouse: Warehouse) {}

  private get table(): string {
    return `${assertIdentifier(this.warehouse.database)}.uploads`;
  }

  /** Strictly increasing within a process, close to wall-clock microseconds across processes. */
  private nextVersion(): number {
    this.lastVersion = Math.max(this.lastVersion + 1, Date.now() * 1000);
    return this.lastVersion;
  }

  async save(upload: Upload): Promise<Upload> {
    await this.warehouse.command(
      sql(
        `INSERT INTO ${this.table} (${COLUMNS}, version) VALUES ({id:String}, {dataset:String}, {kind:String}, {objectKey:String}, {status:String}, {bytes:UInt64}, {sha256:String}, {rowsLoaded:UInt64}, {rowsRejected:UInt64}, {columns:Array(String)}, {ignored:Array(String)}, {complete:Array(String)}, {completeKnown:UInt8}, {errorCode:Nullable(String)}, {error:Nullable(String)}, {createdAt:DateTime64(3, 'UTC')}, {receivedAt:Nullable(DateTime64(3, 'UTC'))}, {finishedAt:Nullable(DateTime64(3, 'UTC'))}, {receiveMs:UInt32}, {loadMs:UInt32}, {mode:String}, {maxBadRows:UInt64}, {duplicateOf:Nullable(String)}, {replaces:Nullable(String)}, {replacedBy:Nullable(String)}, {attempts:UInt32}, {header:Array(String)}, {rowErrorCount:UInt64}, {rowErrors:String}, {version:UInt64})`,
        {
          id: upload.id,
          dataset: upload.dataset,
          kind: upload.kind,
          objectKey: upload.objectKey,
          status: upload.status,
          bytes: upload.bytes,
          sha256: upload.sha256,
          rowsLoaded: upload.rowsLoaded,
          rowsRejected: upload.rowsRejected,
          columns: [...upload.columns],
          ignored: [...upload.ignoredColumns],
          complete: [...(upload.completeColumns ?? [])],
          completeKnown: upload.completeColumns === null ? 0 : 1,
          errorCode: upload.errorCode,
          error: upload.errorMessage,
          createdAt: ch(upload.createdAt),
          receivedAt: ch(upload.receivedAt),
          finishedAt: ch(upload.finishedAt),
          receiveMs: Math.round(upload.receiveMs),
          loadMs: Math.round(upload.loadMs),
          mode: upload.mode,
          maxBadRows: upload.maxBadRows,
          duplicateOf: upload.duplicateOf,
          replaces: upload.replaces,
          replacedBy: upload.replacedBy,
          attempts: upload.attempts,
          header: [...upload.header],
          rowErrorCount: upload.rowErrorCount,
          rowErrors: JSON.stringify(upload.rowErrors),
          version: this.nextVersion(),
        },
      ),
    );
    return upload;
  }

  async get(id: string): Promise<Upload | null> {
    const { rows } = await this.warehouse.query<UploadRow>(
      sql(`SELECT ${COLUMNS} FROM ${this.table} FINAL WHERE id = {id:String}`, { id }),
    );
    return rows.length > 0 ? toUpload(rows[0]) : null;
  }

  async all(): Promise<Upload[]> {
    const { rows } = await this.warehouse.query<UploadRow>(
      sql(`SELECT ${COLUMNS} FROM ${this.table} FINAL ORDER BY created_at, id`),
    );
    return rows.map(toUpload);
  }

  async forDataset(dataset: string): Promise<Upload[]> {
    const { rows } = await this.warehouse.query<UploadRow>(
      sql(
        `SELECT ${COLUMNS} FROM ${this.table} FINAL WHERE dataset = {dataset:String} ORDER BY created_at, id`,
        { dataset },
      ),
    );
    return rows.map(toUpload);
  }

  async withStatus(statuses: readonly UploadStatus[]): Promise<Upload[]> {
    const { rows } = await this.warehouse.query<UploadRow>(
      sql(
        `SELECT ${COLUMNS} FROM ${this.table} FINAL WHERE status IN {statuses:Array(String)} ORDER BY created_at, id`,
        { statuses: [...statuses] },
      ),
    );
    return rows.map(toUpload);
  }

  /** Newest first; the cursor is opaque to clients (created_at + id of the last row seen). */
  async page(
    filter: { dataset?: string; status?: UploadStatus },
    first: number,
    after?: string,
  ): Promise<UploadPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
      throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`);
    const p = new SqlParams();
    const where: string[] = [];
    if (filter.dataset) where.push(`dataset = ${p.bind('String', filter.dataset)}`);
    if (filter.status) where.push(`status = ${p.bind('String', filter.status)}`);
    if (after) {
      const cursor = decodeCursor(after);
      where.push(
        `(created_at, id) < (${p.bind("DateTime64(3, 'UTC')", ch(cursor.createdAt))}, ${p.bind('String', cursor.id)})`,
      );
    }
    const query = `SELECT ${COLUMNS} FROM ${this.table} FINAL${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${p.bind('UInt32', first + 1)}`;
    const { rows } = await this.warehouse.query<UploadRow>(p.fragment(query));
    const uploads = rows.slice(0, first).map(toUpload);
    const last = uploads.at(-1);
    return { uploads, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : null };
  }
}

function encodeCursor(upload: Upload): string {
  return Buffer.from(JSON.stringify([upload.createdAt.getTime(), upload.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [ms, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof ms !== 'number' || typeof id !== 'string') throw new Error('cursor shape');
    return { createdAt: new Date(ms), id };
  } catch (error) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'Invalid cursor', { cause: error });
  }
}
