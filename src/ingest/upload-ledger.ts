import { AppError, ErrorCode, badInput } from '../errors/app-error';
import { emptySql, joinSql, param, sql, trustedTable, type Sql } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import type { Upload, UploadStatus } from '../datasets/upload';
import {
  LEDGER_COLUMNS,
  LEDGER_TIME_TYPE,
  ledgerTime,
  ledgerValues,
  toUpload,
  type UploadRow,
} from './upload-ledger-row';

export interface UploadPage {
  readonly uploads: Upload[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}

export const MAX_PAGE_SIZE = 100;

/**
 * The upload ledger in ClickHouse (ReplacingMergeTree, read with FINAL): every status change
 * writes the whole row again with a higher version, so the ledger survives restarts and
 * replicas read one truth. Only the upload lifecycle writes to it (see upload-lifecycle.ts).
 */
export class UploadLedger {
  private lastVersion = 0;

  constructor(private readonly warehouse: Warehouse) {}

  private get table(): Sql {
    return trustedTable(this.warehouse.database, 'uploads');
  }

  /** Strictly increasing within a process, close to wall-clock microseconds across processes. */
  private nextVersion(): number {
    this.lastVersion = Math.max(this.lastVersion + 1, Date.now() * 1000);
    return this.lastVersion;
  }

  async save(upload: Upload): Promise<Upload> {
    const version = param(this.nextVersion(), 'UInt64');
    await this.warehouse.command(
      sql`INSERT INTO ${this.table} (${LEDGER_COLUMNS}, version) VALUES (${ledgerValues(upload)}, ${version})`,
    );
    return upload;
  }

  async get(id: string): Promise<Upload | null> {
    const [upload] = await this.select(sql`WHERE id = ${id}`);
    return upload ?? null;
  }

  async all(): Promise<Upload[]> {
    return this.select(sql`ORDER BY created_at, id`);
  }

  async forDataset(dataset: string): Promise<Upload[]> {
    return this.select(sql`WHERE dataset = ${dataset} ORDER BY created_at, id`);
  }

  async withStatus(statuses: readonly UploadStatus[]): Promise<Upload[]> {
    return this.select(sql`WHERE status IN ${[...statuses]} ORDER BY created_at, id`);
  }

  /** Newest first; the cursor is opaque to clients (created_at + id of the last row seen). */
  async page(
    filter: { dataset?: string; status?: UploadStatus },
    first: number,
    after?: string,
  ): Promise<UploadPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
      throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`);
    const where: Sql[] = [];
    if (filter.dataset) where.push(sql`dataset = ${filter.dataset}`);
    if (filter.status) where.push(sql`status = ${filter.status}`);
    if (after) {
      const cursor = decodeCursor(after);
      where.push(
        sql`(created_at, id) < (${param(ledgerTime(cursor.createdAt), LEDGER_TIME_TYPE)}, ${cursor.id})`,
      );
    }
    const condition = where.length > 0 ? sql`WHERE ${joinSql(where, ' AND ')} ` : emptySql;
    const rows = await this.select(
      sql`${condition}ORDER BY created_at DESC, id DESC LIMIT ${param(first + 1, 'UInt32')}`,
    );
    const uploads = rows.slice(0, first);
    const last = uploads.at(-1);
    return { uploads, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : null };
  }

  private async select(rest: Sql): Promise<Upload[]> {
    const { rows } = await this.warehouse.query<UploadRow>(
      sql`SELECT ${LEDGER_COLUMNS} FROM ${this.table} FINAL ${rest}`,
    );
    return rows.map(toUpload);
  }
}

function encodeCursor(upload: Upload): string {
  return Buffer.from(JSON.stringify([upload.createdAt.getTime(), upload.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [ms, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof ms !== 'number' || typeof id !== 'string' || !Number.isFinite(new Date(ms).getTime()))
      throw new Error('cursor shape');
    return { createdAt: new Date(ms), id };
  } catch (error) {
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      'Invalid cursor in after; pass a cursor from a previous page',
      {
        cause: error,
        details: { argument: 'after' },
      },
    );
  }
}
