import { badInput } from '../errors/app-error';
import { param, sql, trustedTable, type Sql } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { ROW_ERROR_SAMPLE, type RowError } from '../datasets/upload';

interface RowErrorRow {
  record: string;
  line: string;
  column_name: string;
  reason: string;
  value: string;
}

/** The one place a row-error row becomes a RowError. */
function toRowError(row: RowErrorRow): RowError {
  return {
    record: Number(row.record) === 0 ? null : Number(row.record),
    line: Number(row.line),
    column: row.column_name === '' ? null : row.column_name,
    reason: row.reason,
    value: row.value === '' ? null : row.value,
  };
}

export interface RowErrorSummary {
  /** Problems found (a record can have several). */
  readonly errors: number;
  /** Distinct records with at least one problem. */
  readonly records: number;
  readonly sample: RowError[];
}

export const MAX_ROW_ERRORS_PAGE = 1000;

/** Every row error of every upload, in ClickHouse beside the ledger (`upload_row_errors`). */
export class RowErrorStore {
  constructor(private readonly warehouse: Warehouse) {}

  private get table(): Sql {
    return trustedTable(this.warehouse.database, 'upload_row_errors');
  }

  /** Errors found by the gateway itself (header, file shape), written like the engine's. */
  async add(uploadId: string, errors: readonly RowError[]): Promise<void> {
    if (errors.length === 0) return;
    const records = param(
      errors.map((e) => e.record ?? 0),
      'Array(UInt64)',
    );
    const lines = param(
      errors.map((e) => e.line),
      'Array(UInt64)',
    );
    const columns = errors.map((e) => e.column ?? '');
    const reasons = errors.map((e) => e.reason);
    const values = errors.map((e) => e.value ?? '');
    await this.warehouse.command(
      sql`INSERT INTO ${this.table} (upload_id, record, line, column_name, reason, value)
          SELECT ${uploadId}, e.1, e.2, e.3, e.4, e.5
          FROM (SELECT arrayJoin(arrayZip(${records}, ${lines}, ${columns}, ${reasons}, ${values})) AS e)`,
    );
  }

  /** Before a (re)validation: an upload's errors are always those of its latest attempt. */
  async clear(uploadId: string): Promise<void> {
    const { rows } = await this.warehouse.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${this.table} WHERE upload_id = ${uploadId}`,
    );
    if (Number(rows[0]?.n ?? 0) === 0) return;
    await this.warehouse.command(sql`ALTER TABLE ${this.table} DELETE WHERE upload_id = ${uploadId}`, {
      settings: { mutations_sync: '2' },
    });
  }

  async summary(uploadId: string): Promise<RowErrorSummary> {
    const { rows } = await this.warehouse.query<{ errors: string; records: string }>(
      sql`SELECT count() AS errors, uniqExact(record) AS records FROM ${this.table} WHERE upload_id = ${uploadId}`,
    );
    return {
      errors: Number(rows[0]?.errors ?? 0),
      records: Number(rows[0]?.records ?? 0),
      sample: await this.page(uploadId, ROW_ERROR_SAMPLE, 0),
    };
  }

  /** In file order. */
  async page(uploadId: string, first: number, offset: number): Promise<RowError[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_ROW_ERRORS_PAGE)
      throw badInput(`first must be between 1 and ${MAX_ROW_ERRORS_PAGE}`);
    if (!Number.isInteger(offset) || offset < 0) throw badInput('offset must be 0 or more');
    const { rows } = await this.warehouse.query<RowErrorRow>(
      sql`SELECT record, line, column_name, reason, value FROM ${this.table} WHERE upload_id = ${uploadId}
          ORDER BY record, line, column_name LIMIT ${param(first, 'UInt32')} OFFSET ${param(offset, 'UInt64')}`,
    );
    return rows.map(toRowError);
  }
}
