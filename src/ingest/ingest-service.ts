import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Logger } from '../config/logger';
import type { DatasetCatalog } from '../datasets/dataset-catalog';
import { DATASET_KINDS, DATASET_NAME, isDatasetKindName, type DatasetKindName } from '../datasets/dataset-kinds';
import { AppError, ErrorCode, badInput } from '../errors/app-error';
import type { ObjectStore } from '../storage/object-store';
import { assertIdentifier, sql } from '../warehouse/sql';
import { clickhouseMessage, type Warehouse } from '../warehouse/warehouse';
import { describeHeaderProblem, mapHeaders } from './header-mapping';
import { buildLoadStatement, LOAD_SETTINGS } from './load-statement';
import type { Upload } from './upload';
import type { UploadLedger } from './upload-ledger';
import { UploadMeter } from './upload-meter';

export interface IngestDeps {
  readonly warehouse: Warehouse;
  readonly store: ObjectStore;
  readonly ledger: UploadLedger;
  readonly catalog: DatasetCatalog;
  readonly logger: Logger;
  readonly maxBytes: number;
}

export interface IngestRequest {
  readonly dataset: string;
  /** Required for a new dataset; must match an existing one's kind. */
  readonly kind?: string;
  readonly body: Readable;
}

/** ClickHouse error types that mean "the file's content is wrong", as opposed to "the system failed". */
const DATA_ERROR_TYPE =
  /^(CANNOT_PARSE_\w+|CANNOT_READ_\w+|INCORRECT_DATA|INCORRECT_NUMBER_OF_COLUMNS|CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN|DECIMAL_OVERFLOW|VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE|ARGUMENT_OUT_OF_BOUND|TOO_LARGE_STRING_SIZE|ATTEMPT_TO_READ_AFTER_EOF|FUNCTION_THROW_IF_VALUE_IS_NON_ZERO|CANNOT_CONVERT_TYPE)$/;

function isDataError(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string') return DATA_ERROR_TYPE.test(type);
  }
  return false;
}

/**
 * One pipeline for every way in: stream the body to the object store (hashing and reading the
 * header on the way), map the header, have ClickHouse load the object, record every step in the
 * ledger. An upload's rows are hidden from readers until it is LOADED; a failed load is removed.
 */
export class IngestService {
  constructor(private readonly deps: IngestDeps) {}

  resolveKind(dataset: string, kind?: string): DatasetKindName {
    if (!DATASET_NAME.test(dataset)) {
      throw badInput('dataset must be 1-63 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit', { dataset });
    }
    const existing = this.deps.catalog.get(dataset);
    if (kind !== undefined && !isDatasetKindName(kind)) {
      throw badInput(`Unknown dataset kind "${kind}"; known kinds: ${Object.keys(DATASET_KINDS).join(', ')}`, { kind });
    }
    if (existing && kind && existing.kind !== kind) {
      throw new AppError(ErrorCode.DATASET_KIND_MISMATCH, `Dataset ${dataset} holds ${existing.kind} data, not ${kind}`, { details: { dataset, kind: existing.kind } });
    }
    const resolved = kind ?? existing?.kind;
    if (!resolved) throw badInput(`Dataset ${dataset} is new: say which kind of data it holds (kind=${Object.keys(DATASET_KINDS).join('|')})`, { dataset });
    return resolved as DatasetKindName;
  }

  async ingest(request: IngestRequest): Promise<Upload> {
    const kind = this.resolveKind(request.dataset, request.kind);
    const id = randomUUID();
    const objectKey = `uploads/${request.dataset}/${id}.csv`;
    const createdAt = new Date();
    const meter = new UploadMeter(this.deps.maxBytes);
    await Promise.all([pipeline(request.body, meter), this.deps.store.putStream(objectKey, meter, 'text/csv')]).catch(async (error: unknown) => {
      await this.deps.store.delete(objectKey).catch(() => undefined);
      throw error;
    });
    const upload: Upload = {
      id,
      dataset: request.dataset,
      kind,
      objectKey,
      status: 'RECEIVED',
      bytes: meter.bytes,
      sha256: meter.sha256,
      rowsLoaded: 0,
      rowsRejected: 0,
      columns: [],
      ignoredColumns: [],
      errorCode: null,
      errorMessage: null,
      createdAt,
      receivedAt: new Date(),
      finishedAt: null,
      receiveMs: Date.now() - createdAt.getTime(),
      loadMs: 0,
    };
    await this.record(upload);
    return this.load(upload, meter.header);
  }

  private async load(received: Upload, header: string[] | null): Promise<Upload> {
    const kindDef = DATASET_KINDS[received.kind];
    if (received.bytes === 0 || header === null) return this.reject(received, 'EMPTY_FILE', 'The file is empty: it has no header row.');
    const mapped = mapHeaders(header, kindDef);
    if (!mapped.ok) return this.reject(received, 'BAD_HEADER', `The header cannot be used: ${mapped.problems.map(describeHeaderProblem).join('; ')}.`);
    let upload: Upload = { ...received, columns: mapped.mapping.mapped, ignoredColumns: mapped.mapping.ignored, status: 'LOADING' };
    await this.record(upload);
    const started = Date.now();
    try {
      await this.deps.warehouse.command(
        buildLoadStatement({
          database: this.deps.warehouse.database,
          kind: kindDef,
          mapping: mapped.mapping,
          dataset: upload.dataset,
          uploadId: upload.id,
          source: this.deps.store.clickhouseSource(upload.objectKey),
        }),
        { settings: LOAD_SETTINGS },
      );
      const rows = await this.countRows(upload);
      if (rows === 0) {
        await this.removeRows(upload);
        return this.reject({ ...upload, loadMs: Date.now() - started }, 'NO_ROWS', 'The file has a header but no data rows.');
      }
      upload = { ...upload, status: 'LOADED', rowsLoaded: rows, loadMs: Date.now() - started, finishedAt: new Date() };
      await this.record(upload);
      this.deps.logger.info('upload loaded', { uploadId: upload.id, dataset: upload.dataset, rows, bytes: upload.bytes, loadMs: upload.loadMs });
      return upload;
    } catch (error) {
      // Rows of a failed load must go before the upload stops being hidden.
      await this.removeRows(upload);
      const message = clickhouseMessage(error);
      const dataError = isDataError(error);
      this.deps.logger.warn('upload load failed', { uploadId: upload.id, dataset: upload.dataset, error: error as Error, dataError });
      const finished = { ...upload, loadMs: Date.now() - started };
      if (dataError) return this.reject(finished, 'INVALID_DATA', summariseLoadError(message));
      upload = { ...finished, status: 'FAILED', errorCode: 'LOAD_FAILED', errorMessage: summariseLoadError(message), finishedAt: new Date() };
      await this.record(upload);
      return upload;
    }
  }

  /**
   * Uploads left RECEIVED or LOADING by a process that died: whatever they wrote is removed and
   * they are marked FAILED, so nothing stays half-loaded or LOADING forever.
   */
  async recoverInterrupted(): Promise<Upload[]> {
    const interrupted = await this.deps.ledger.withStatus(['RECEIVED', 'LOADING']);
    const recovered: Upload[] = [];
    for (const upload of interrupted) {
      await this.removeRows(upload);
      const failed: Upload = { ...upload, status: 'FAILED', errorCode: 'INTERRUPTED', errorMessage: 'The gateway stopped while this upload was loading; nothing of it was kept. Upload the file again.', finishedAt: new Date() };
      await this.record(failed);
      recovered.push(failed);
      this.deps.logger.warn('interrupted upload marked failed', { uploadId: upload.id, dataset: upload.dataset });
    }
    return recovered;
  }

  private async reject(upload: Upload, code: string, message: string): Promise<Upload> {
    const rejected: Upload = { ...upload, status: 'REJECTED', errorCode: code, errorMessage: message, finishedAt: new Date() };
    await this.record(rejected);
    return rejected;
  }

  private async record(upload: Upload): Promise<void> {
    await this.deps.ledger.save(upload);
    await this.deps.catalog.apply(upload);
  }

  private async countRows(upload: Upload): Promise<number> {
    const table = `${assertIdentifier(this.deps.warehouse.database)}.${assertIdentifier(DATASET_KINDS[upload.kind].rawTable)}`;
    const { rows } = await this.deps.warehouse.query<{ n: string }>(
      sql(`SELECT count() AS n FROM ${table} WHERE dataset = {dataset:String} AND upload_id = {id:String}`, { dataset: upload.dataset, id: upload.id }),
    );
    return Number(rows[0].n);
  }

  /** Deletes whatever a load of this upload wrote, from the raw table and its rollup. */
  private async removeRows(upload: Upload): Promise<void> {
    const kind = DATASET_KINDS[upload.kind];
    const db = assertIdentifier(this.deps.warehouse.database);
    // Kinds without a rollup (registries) have only their raw table to clean.
    for (const table of kind.rollupTable ? [kind.rawTable, kind.rollupTable] : [kind.rawTable]) {
      await this.deps.warehouse.command(
        sql(`ALTER TABLE ${db}.${assertIdentifier(table)} DELETE WHERE dataset = {dataset:String} AND upload_id = {id:String}`, { dataset: upload.dataset, id: upload.id }),
        { settings: { mutations_sync: '2' } },
      );
    }
  }
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
