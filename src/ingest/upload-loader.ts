import type { Logger } from '../config/logger';
import type { DatasetCatalog } from '../datasets/dataset-catalog';
import { DATASET_KINDS, tablesOf, type RollupGrain } from '../datasets/dataset-kinds';
import type { ObjectStore } from '../storage/object-store';
import { assertIdentifier, sql } from '../warehouse/sql';
import { clickhouseMessage, type Warehouse } from '../warehouse/warehouse';
import type { CsvLayout } from './csv-rules';
import { locateOpenQuote } from './csv-shape-scanner';
import { describeHeaderProblem, mapHeaders, type HeaderProblem } from './header-mapping';
import { buildLoadStatement, loadSettings } from './load-statement';
import type { RowErrorStore } from './row-error-store';
import type { RowError, Upload } from '../datasets/upload';
import type { UploadLedger } from './upload-ledger';
import { buildValidationStatement, VALIDATION_SETTINGS } from './validation-statement';

export interface LoaderDeps {
  readonly warehouse: Warehouse;
  readonly store: ObjectStore;
  readonly ledger: UploadLedger;
  readonly catalog: DatasetCatalog;
  readonly rowErrors: RowErrorStore;
  readonly logger: Logger;
}

/** What the gateway learnt while the file streamed past it (the same whichever way it came in). */
export interface ReceivedFile {
  readonly bytes: number;
  readonly sha256: string;
  readonly header: string[] | null;
  /** Byte offset of a quote left open at the end of the file (ClickHouse would read the rest as one cell). */
  readonly unclosedQuoteAt: number | null;
}

/** ClickHouse error types that mean "the file's content is wrong", as opposed to "the system failed". */
const DATA_ERROR_TYPE =
  /^(CANNOT_PARSE_\w+|CANNOT_READ_\w+|INCORRECT_DATA|INCORRECT_NUMBER_OF_COLUMNS|CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN|DECIMAL_OVERFLOW|VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE|ARGUMENT_OUT_OF_BOUND|TOO_LARGE_STRING_SIZE|ATTEMPT_TO_READ_AFTER_EOF|FUNCTION_THROW_IF_VALUE_IS_NON_ZERO|CANNOT_CONVERT_TYPE)$/;

export function isDataError(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string') return DATA_ERROR_TYPE.test(type);
  }
  return false;
}

/** ClickHouse's message names the row and column; keep that, drop the internals. */
export function summariseLoadError(message: string): string {
  const cleaned = message
    .replace(/\s*\(in file\/uri[^)]*\)/g, '')
    .replace(/: While executing [^.]*\.?/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > 2000 ? `${cleaned.slice(0, 2000)}…` : cleaned;
}

function headerErrors(header: readonly string[], problems: readonly HeaderProblem[]): RowError[] {
  return problems.map((problem) => ({
    line: 1,
    record: null,
    column: problem.kind === 'DUPLICATE' ? problem.headers[0] : null,
    reason: describeHeaderProblem(problem),
    value: problem.kind === 'EMPTY_HEADER' ? null : header.join(','),
  }));
}

/** The rows one upload wrote, in any table of its kind. */
const UPLOAD_ROWS = 'dataset = {dataset:String} AND upload_id = {id:String}';
const uploadParams = (upload: Upload) => ({ dataset: upload.dataset, id: upload.id });

/** "2 rows are not valid; the first: line 3, column grossRevenue "ten" is not a decimal number…" */
function describeRows(found: { records: number; sample: readonly RowError[] }): string {
  const first = found.sample[0];
  const where = `line ${first.line}${first.column !== null ? `, column ${first.column}` : ''}`;
  const what = first.value !== null ? `${JSON.stringify(first.value)} ${first.reason}` : first.reason;
  return `${found.records} ${found.records === 1 ? 'row is' : 'rows are'} not valid; the first: ${where}: ${what}`;
}

/** Line breaks inside the header's own quoted fields push the first record down. */
const firstDataLine = (header: readonly string[]) =>
  2 + header.reduce((n, h) => n + (h.match(/\r\n|\r|\n/g)?.length ?? 0), 0);

/** Optional columns with a value in every one of the upload's rows. */
function fullyFilled(filled: ReadonlyMap<string, number>, rows: number): string[] {
  return [...filled].filter(([, n]) => n === rows).map(([column]) => column);
}

/**
 * Takes a received upload to its final status: header, duplicate check, validation and load,
 * count check, replacement. Callers serialise it per dataset. A load that may follow an earlier
 * attempt of the same upload starts by removing whatever that attempt wrote, so a retry never
 * double-counts.
 */
export class UploadLoader {
  constructor(private readonly deps: LoaderDeps) {}

  /**
   * `received`: the upload with what receiving it taught (bytes, hash, header); it is first written
   * to the ledger as LOADING or as its final status. `newId`: its id was made for this load alone,
   * so nothing exists under it in any table and the clean-up every other load begins with is skipped.
   */
  async process(received: Upload, file: ReceivedFile, newId: boolean): Promise<Upload> {
    const kind = DATASET_KINDS[received.kind];
    if (file.bytes === 0 || file.header === null)
      return this.reject(received, 'EMPTY_FILE', 'The file is empty: it has no header row.', []);
    const mapped = mapHeaders(file.header, kind);
    if (!mapped.ok) {
      return this.reject(
        received,
        'BAD_HEADER',
        `The header cannot be used: ${mapped.problems.map(describeHeaderProblem).join('; ')}.`,
        headerErrors(file.header, mapped.problems),
      );
    }
    let upload: Upload = {
      ...received,
      header: file.header,
      columns: mapped.mapping.mapped,
      ignoredColumns: mapped.mapping.ignored,
    };
    if (file.unclosedQuoteAt !== null) {
      const { line, field } = await locateOpenQuote(
        await this.deps.store.getStream(upload.objectKey),
        file.unclosedQuoteAt,
      );
      const column = file.header[field] ?? null;
      return this.reject(upload, 'INVALID_CSV', `A quoted field opened on line ${line} is never closed.`, [
        {
          line,
          record: null,
          column,
          reason: 'opens a quoted field that is never closed (unbalanced quotes)',
          value: null,
        },
      ]);
    }
    const duplicate = await this.findDuplicate(upload);
    if (duplicate) return this.markDuplicate(upload, duplicate);
    if (upload.mode === 'REPLACE') {
      const target = upload.replaces ? await this.deps.ledger.get(upload.replaces) : null;
      if (!target || target.dataset !== upload.dataset || target.status !== 'LOADED') {
        return this.reject(
          upload,
          'REPLACE_TARGET_INVALID',
          `Upload ${upload.replaces} is not a LOADED upload of dataset ${upload.dataset}; nothing was replaced.`,
          [],
        );
      }
    }

    upload = {
      ...upload,
      status: 'LOADING',
      attempts: upload.attempts + 1,
      completeColumns: null,
      rowsLoaded: 0,
      rowsRejected: 0,
      rowErrorCount: 0,
      rowErrors: [],
      errorCode: null,
      errorMessage: null,
    };
    await this.record(upload);
    this.deps.logger.info('upload loading', {
      uploadId: upload.id,
      dataset: upload.dataset,
      bytes: upload.bytes,
      attempt: upload.attempts,
    });
    const layout: CsvLayout = { mapping: mapped.mapping };
    const started = Date.now();
    const elapsed = () => ({ loadMs: Date.now() - started });
    try {
      if (!newId) {
        await this.removeRows(upload);
        await this.deps.rowErrors.clear(upload.id);
      }
      let rejected = { errors: 0, records: 0, sample: [] as RowError[] };
      if (upload.maxBadRows > 0) {
        rejected = await this.validate(upload, layout);
        if (rejected.records > upload.maxBadRows) {
          return this.reject(
            { ...upload, ...elapsed() },
            'TOO_MANY_BAD_ROWS',
            `${describeRows(rejected)}; at most ${upload.maxBadRows} may be skipped.`,
            rejected.sample,
            rejected,
          );
        }
      }
      await this.load(upload, layout, upload.maxBadRows === 0);
      const { raw, rollups, filled } = await this.countRows(upload);
      const mismatch = rollups.find((r) => r.rows !== raw);
      if (mismatch) {
        await this.removeRows(upload);
        return this.fail(
          { ...upload, ...elapsed() },
          'COUNT_MISMATCH',
          `The raw table received ${raw} rows but the ${mismatch.grain} rollup counted ${mismatch.rows}; nothing was kept.`,
        );
      }
      if (raw === 0) {
        const message =
          rejected.records > 0 ? 'No row of the file is valid.' : 'The file has a header but no data rows.';
        return this.reject({ ...upload, ...elapsed() }, 'NO_ROWS', message, rejected.sample, rejected);
      }
      upload = {
        ...upload,
        ...elapsed(),
        status: 'LOADED',
        rowsLoaded: raw,
        completeColumns: fullyFilled(filled, raw),
        rowsRejected: rejected.records,
        rowErrorCount: rejected.errors,
        rowErrors: rejected.sample,
        finishedAt: new Date(),
      };
      await this.record(upload);
      this.deps.logger.info('upload loaded', {
        uploadId: upload.id,
        dataset: upload.dataset,
        rows: raw,
        rejected: rejected.records,
        bytes: upload.bytes,
        loadMs: upload.loadMs,
      });
      if (upload.mode === 'REPLACE') await this.completeReplacement(upload);
      return upload;
    } catch (error) {
      // Rows of a failed load must go before the upload stops being hidden. If even that fails,
      // the upload stays LOADING (hidden) and the next start removes its rows.
      await this.removeRows(upload);
      this.deps.logger.warn('upload load failed', {
        uploadId: upload.id,
        dataset: upload.dataset,
        error: error as Error,
        dataError: isDataError(error),
      });
      if (!isDataError(error))
        return this.fail(
          { ...upload, ...elapsed() },
          'LOAD_FAILED',
          summariseLoadError(clickhouseMessage(error)),
        );
      const found = await this.validate(upload, layout).catch((validationError: unknown) => {
        if (!isDataError(validationError)) throw validationError;
        return null;
      });
      if (found && found.errors > 0) {
        return this.reject(
          { ...upload, ...elapsed() },
          'INVALID_DATA',
          `${describeRows(found)}; nothing was loaded.`,
          found.sample,
          found,
        );
      }
      return this.reject(
        { ...upload, ...elapsed() },
        'INVALID_DATA',
        summariseLoadError(clickhouseMessage(error)),
        [],
      );
    }
  }

  /** Counts the complete columns of an upload loaded before they were recorded; nothing else changes. */
  async recordCompleteColumns(id: string): Promise<void> {
    const upload = await this.deps.ledger.get(id);
    if (!upload || upload.status !== 'LOADED' || upload.completeColumns !== null) return;
    const { raw, filled } = await this.countRows(upload);
    await this.record({ ...upload, completeColumns: fullyFilled(filled, raw) });
  }

  /** Removes the rows of an upload superseded by `replacing`; readers stopped seeing them when `replacing` became LOADED. */
  async completeReplacement(replacing: Upload): Promise<void> {
    const target = replacing.replaces ? await this.deps.ledger.get(replacing.replaces) : null;
    if (!target || target.status !== 'LOADED') return;
    await this.removeRows(target);
    await this.record({ ...target, status: 'REPLACED', replacedBy: replacing.id });
    this.deps.logger.info('upload replaced', {
      uploadId: target.id,
      replacedBy: replacing.id,
      dataset: target.dataset,
    });
  }

  async record(upload: Upload): Promise<Upload> {
    await this.deps.ledger.save(upload);
    await this.deps.catalog.apply(upload);
    return upload;
  }

  /** Deletes whatever a load of this upload wrote, from the raw table and every rollup of its kind. */
  async removeRows(upload: Upload): Promise<void> {
    const db = assertIdentifier(this.deps.warehouse.database);
    const tables = tablesOf(DATASET_KINDS[upload.kind]);
    // One statement for every table: in chDB each statement costs a few milliseconds more.
    const counts = tables.map(
      (table, i) =>
        `SELECT ${i} AS i, count() AS n FROM ${db}.${assertIdentifier(table)} WHERE ${UPLOAD_ROWS}`,
    );
    const { rows } = await this.deps.warehouse.query<{ i: number; n: string }>(
      sql(counts.join('\nUNION ALL\n'), uploadParams(upload)),
    );
    const held = new Map(rows.map((row) => [Number(row.i), Number(row.n)]));
    for (const [i, table] of tables.entries()) {
      const n = held.get(i);
      if (n === undefined) throw new Error(`No row count came back for ${table}`);
      if (n === 0) continue;
      await this.deps.warehouse.command(
        sql(`ALTER TABLE ${db}.${assertIdentifier(table)} DELETE WHERE ${UPLOAD_ROWS}`, uploadParams(upload)),
        { settings: { mutations_sync: '2' } },
      );
    }
  }

  /**
   * Raw rows of the upload and the rows each rollup counted: equal unless something double-inserted
   * or a view missed rows. A kind without rollups (a registry) has nothing to disagree with. Also
   * the filled cells of each optional column the file carried (its coverage, in one pass).
   */
  async countRows(
    upload: Upload,
  ): Promise<{ raw: number; rollups: { grain: RollupGrain; rows: number }[]; filled: Map<string, number> }> {
    const kind = DATASET_KINDS[upload.kind];
    const db = assertIdentifier(this.deps.warehouse.database);
    const optional = kind.columns
      .filter((c) => !c.required && upload.columns.includes(c.name))
      .map((c) => assertIdentifier(c.name));
    const counts = [
      'count() AS raw',
      ...optional.map((column, i) => `count(${column}) AS filled${i}`),
      ...kind.rollups.map(
        (level, i) =>
          `(SELECT sum(transactions) FROM ${db}.${assertIdentifier(level.table)} WHERE ${UPLOAD_ROWS}) AS rollup${i}`,
      ),
    ];
    const { rows } = await this.deps.warehouse.query<Record<string, string>>(
      sql(
        `SELECT ${counts.join(', ')} FROM ${db}.${assertIdentifier(kind.rawTable)} WHERE ${UPLOAD_ROWS}`,
        uploadParams(upload),
      ),
    );
    const row = rows[0];
    return {
      raw: Number(row.raw),
      rollups: kind.rollups.map((level, i) => ({ grain: level.grain, rows: Number(row[`rollup${i}`]) })),
      filled: new Map(optional.map((column, i) => [column, Number(row[`filled${i}`])])),
    };
  }

  private async load(upload: Upload, layout: CsvLayout, strict: boolean): Promise<void> {
    const { warehouse, store } = this.deps;
    const statement = buildLoadStatement({
      database: warehouse.database,
      kind: DATASET_KINDS[upload.kind],
      layout,
      dataset: upload.dataset,
      uploadId: upload.id,
      source: store.clickhouseSource(upload.objectKey),
      strict,
    });
    await warehouse.command(statement, { settings: loadSettings(upload.bytes) });
  }

  private async validate(upload: Upload, layout: CsvLayout) {
    const { warehouse, store } = this.deps;
    await this.deps.rowErrors.clear(upload.id);
    const statement = buildValidationStatement({
      database: warehouse.database,
      layout,
      uploadId: upload.id,
      source: store.clickhouseSource(upload.objectKey),
      header: upload.header,
      firstLine: firstDataLine(upload.header),
    });
    await warehouse.command(statement, { settings: VALIDATION_SETTINGS });
    return this.deps.rowErrors.summary(upload.id);
  }

  /**
   * APPEND: the same bytes already LOADED (or loaded and since replaced) in this dataset.
   * REPLACE: only a LOADED upload other than the one being replaced counts. Asked of the catalog
   * (no statement): refreshed first, it knows every such upload the ledger holds.
   */
  private async findDuplicate(upload: Upload): Promise<Upload | null> {
    await this.deps.catalog.refresh();
    const statuses = upload.mode === 'REPLACE' ? (['LOADED'] as const) : (['LOADED', 'REPLACED'] as const);
    const except = upload.replaces ? [upload.id, upload.replaces] : [upload.id];
    return this.deps.catalog.findByContent(upload.dataset, upload.sha256, statuses, except);
  }

  private async markDuplicate(upload: Upload, original: Upload): Promise<Upload> {
    // The bytes are already stored under the original's key.
    await this.deps.store.delete(upload.objectKey).catch(() => undefined);
    this.deps.logger.info('duplicate upload', {
      uploadId: upload.id,
      duplicateOf: original.id,
      dataset: upload.dataset,
    });
    return this.record({
      ...upload,
      status: 'DUPLICATE',
      duplicateOf: original.id,
      rowsLoaded: 0,
      finishedAt: new Date(),
    });
  }

  private async reject(
    upload: Upload,
    code: string,
    message: string,
    sample: readonly RowError[],
    counts?: { errors: number; records: number },
  ): Promise<Upload> {
    if (!counts) await this.deps.rowErrors.add(upload.id, sample);
    const rejected: Upload = {
      ...upload,
      status: 'REJECTED',
      errorCode: code,
      errorMessage: message,
      rowsLoaded: 0,
      rowsRejected: counts?.records ?? upload.rowsRejected,
      rowErrorCount: counts?.errors ?? sample.length,
      rowErrors: [...sample],
      finishedAt: new Date(),
    };
    return this.record(rejected);
  }

  private fail(upload: Upload, code: string, message: string): Promise<Upload> {
    return this.record({
      ...upload,
      status: 'FAILED',
      errorCode: code,
      errorMessage: message,
      rowsLoaded: 0,
      finishedAt: new Date(),
    });
  }
}
