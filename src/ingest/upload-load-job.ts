import type { CsvLimits } from '../config/config';
import type { Logger } from '../config/logger';
import type { DatasetDirectory } from '../datasets/dataset-directory';
import { DATASET_KINDS } from '../datasets/dataset-kinds';
import type { Upload } from '../datasets/upload';
import type { ObjectStore } from '../storage/object-store';
import { clickhouseMessage, type Warehouse } from '../warehouse/warehouse';
import type { CsvLayout } from './csv-rules';
import { loadFailure, type LoadLimits } from './object-identity';
import { describeRows, firstDataLine, fullyFilled, isDataError, summariseLoadError } from './load-outcome';
import { checkReceivedFile, type FileRejection, type ReceivedFile } from './received-file-checks';
import type { RowErrorStore, RowErrorSummary } from './row-error-store';
import { StagedLoad } from './staged-load';
import type { UploadLedger } from './upload-ledger';
import { IllegalTransitionError, type RowErrorCounts } from './upload-lifecycle';
import type { UploadRecorder } from './upload-recorder';
import type { UploadRowsRepository } from './upload-rows.repository';
import { buildValidationStatement, VALIDATION_SETTINGS } from './validation-statement';

export interface LoadJobDeps {
  readonly warehouse: Warehouse;
  readonly store: ObjectStore;
  readonly ledger: UploadLedger;
  readonly directory: DatasetDirectory;
  readonly recorder: UploadRecorder;
  readonly rowErrors: RowErrorStore;
  readonly rows: UploadRowsRepository;
  readonly logger: Logger;
  readonly limits: CsvLimits;
  /** Bounds of a load's S3 reads and run time (defaults when absent). */
  readonly loadLimits?: LoadLimits;
  /** CLICKHOUSE_CLUSTER: tables are replicated and sharded (loads deduplicate, removals go to every shard). */
  readonly cluster?: string;
}

const NO_ROW_ERRORS: RowErrorSummary = { errors: 0, records: 0, sample: [] };

/**
 * Takes a received upload to its final status: file checks, duplicate check, validation and load,
 * count check, replacement. Callers serialise it per dataset. A load that may follow an earlier
 * attempt of the same upload starts by removing whatever that attempt wrote, so a retry never
 * double-counts. Every change goes through the recorder (the lifecycle table).
 */
export class UploadLoadJob {
  private readonly staged: StagedLoad;

  constructor(private readonly deps: LoadJobDeps) {
    this.staged = new StagedLoad(deps);
  }

  /**
   * `received`: the upload with what receiving it taught (status RECEIVED, not yet in the ledger).
   * `newId`: its id was made for this load alone, so nothing exists under it in any table and the
   * clean-up every other load begins with is skipped. Whatever happens, the upload ends with a
   * ledger row: when the load cannot even start, it is FAILED (retryable) with LOAD_NOT_STARTED.
   */
  async run(received: Upload, file: ReceivedFile, newId: boolean): Promise<Upload> {
    try {
      return await this.attempt(received, file, newId);
    } catch (error) {
      if (!(error instanceof IllegalTransitionError))
        await this.recordNotStarted(received, error).catch((recordError: unknown) =>
          this.deps.logger.error('upload could not be recorded', {
            uploadId: received.id,
            error: recordError as Error,
          }),
        );
      throw error;
    }
  }

  private async attempt(received: Upload, file: ReceivedFile, newId: boolean): Promise<Upload> {
    const { recorder, directory, store } = this.deps;
    // The one refresh of an upload: another replica may have loaded the same bytes into this
    // dataset, or given the dataset its kind, since this process last looked.
    await directory.refresh();
    const bound = directory.kindOf(received.dataset);
    if (bound && bound !== received.kind) {
      const message = `Dataset ${received.dataset} holds ${bound} data, not ${received.kind}; nothing was loaded.`;
      return this.reject(received, { code: 'DATASET_KIND_MISMATCH', message, sample: [] });
    }
    const kind = DATASET_KINDS[received.kind];
    const open = () => store.getStream(received.objectKey);
    const verdict = await checkReceivedFile(file, kind, this.deps.limits, open);
    if (!verdict.ok) {
      const mapped = verdict.mapping ? recorder.advance(received, mapEvent(verdict.mapping)) : received;
      return this.reject(mapped, verdict.rejection);
    }
    const upload = recorder.advance(received, mapEvent(verdict.mapping));
    const duplicate = this.findDuplicate(upload);
    if (duplicate) return this.markDuplicate(upload, duplicate);
    if (upload.mode === 'REPLACE') {
      const target = upload.replaces ? await this.deps.ledger.get(upload.replaces) : null;
      if (!target || target.dataset !== upload.dataset || target.status !== 'LOADED') {
        const message = `Upload ${upload.replaces} is not a LOADED upload of dataset ${upload.dataset}; nothing was replaced.`;
        return this.reject(upload, { code: 'REPLACE_TARGET_INVALID', message, sample: [] });
      }
    }
    const loading = await recorder.record(upload, { type: 'start' });
    this.deps.logger.info('upload loading', {
      uploadId: loading.id,
      dataset: loading.dataset,
      bytes: loading.bytes,
      attempt: loading.attempts,
    });
    return this.load(loading, { mapping: verdict.mapping }, newId, file.etag);
  }

  private async load(upload: Upload, layout: CsvLayout, newId: boolean, etag?: string): Promise<Upload> {
    const started = Date.now();
    const loadMs = () => Date.now() - started;
    try {
      if (!newId) {
        await this.deps.rows.remove(upload);
        await this.deps.rowErrors.clear(upload.id);
      }
      let rejected = NO_ROW_ERRORS;
      if (upload.maxBadRows > 0) {
        rejected = await this.validate(upload, layout);
        if (rejected.records > upload.maxBadRows) {
          const message = `${describeRows(rejected)}; at most ${upload.maxBadRows} may be skipped.`;
          const rejection = { code: 'TOO_MANY_BAD_ROWS', message, sample: rejected.sample };
          return this.reject(upload, rejection, { counts: rejected, loadMs: loadMs() });
        }
      }
      await this.staged.insert(upload, layout, upload.maxBadRows === 0, etag);
      const { raw, rollups, filled } = await this.deps.rows.count(upload);
      const mismatch = rollups.find((r) => r.rows !== raw);
      if (mismatch) {
        await this.deps.rows.remove(upload);
        const message = `The raw table received ${raw} rows but the ${mismatch.grain} rollup counted ${mismatch.rows}; nothing was kept.`;
        return this.deps.recorder.record(upload, {
          type: 'fail',
          code: 'COUNT_MISMATCH',
          message,
          loadMs: loadMs(),
        });
      }
      if (raw === 0) {
        const message =
          rejected.records > 0 ? 'No row of the file is valid.' : 'The file has a header but no data rows.';
        const rejection = { code: 'NO_ROWS', message, sample: rejected.sample };
        return this.reject(upload, rejection, { counts: rejected, loadMs: loadMs() });
      }
      const loaded = await this.deps.recorder.record(upload, {
        type: 'load',
        rows: raw,
        completeColumns: fullyFilled(filled, raw),
        rejected,
        loadMs: loadMs(),
      });
      this.deps.logger.info('upload loaded', {
        uploadId: loaded.id,
        dataset: loaded.dataset,
        rows: raw,
        rejected: rejected.records,
        bytes: loaded.bytes,
        loadMs: loaded.loadMs,
      });
      if (loaded.mode === 'REPLACE') await this.completeReplacement(loaded);
      return loaded;
    } catch (error) {
      // Rows of a failed load must go before the upload stops being hidden. If even that fails,
      // the upload stays LOADING (hidden) and the next start removes its rows.
      await this.deps.rows.remove(upload);
      this.deps.logger.warn('upload load failed', {
        uploadId: upload.id,
        dataset: upload.dataset,
        error: error as Error,
        dataError: isDataError(error),
      });
      const failure = loadFailure(error);
      if (failure) return this.deps.recorder.record(upload, { type: 'fail', ...failure, loadMs: loadMs() });
      const message = summariseLoadError(clickhouseMessage(error));
      if (!isDataError(error))
        return this.deps.recorder.record(upload, {
          type: 'fail',
          code: 'LOAD_FAILED',
          message,
          loadMs: loadMs(),
        });
      const found = await this.validate(upload, layout).catch((validationError: unknown) => {
        if (!isDataError(validationError)) throw validationError;
        return null;
      });
      if (found && found.errors > 0) {
        const rejection = {
          code: 'INVALID_DATA',
          message: `${describeRows(found)}; nothing was loaded.`,
          sample: found.sample,
        };
        return this.reject(upload, rejection, { counts: found, loadMs: loadMs() });
      }
      return this.reject(upload, { code: 'INVALID_DATA', message, sample: [] }, { loadMs: loadMs() });
    }
  }

  /** Counts the complete columns of an upload loaded before they were recorded; nothing else changes. */
  async recordCompleteColumns(id: string): Promise<void> {
    const upload = await this.deps.ledger.get(id);
    if (!upload || upload.status !== 'LOADED' || upload.completeColumns !== null) return;
    const { raw, filled } = await this.deps.rows.count(upload);
    await this.deps.recorder.record(upload, { type: 'count', completeColumns: fullyFilled(filled, raw) });
  }

  /** Removes the rows of an upload superseded by `replacing`; readers stopped seeing them when `replacing` became LOADED. */
  async completeReplacement(replacing: Upload): Promise<void> {
    const target = replacing.replaces ? await this.deps.ledger.get(replacing.replaces) : null;
    if (!target || target.status !== 'LOADED') return;
    await this.deps.rows.remove(target);
    await this.deps.recorder.record(target, { type: 'replace', by: replacing.id });
    this.deps.logger.info('upload replaced', {
      uploadId: target.id,
      replacedBy: replacing.id,
      dataset: target.dataset,
    });
  }

  private async validate(upload: Upload, layout: CsvLayout): Promise<RowErrorSummary> {
    const { warehouse, store } = this.deps;
    await this.deps.rowErrors.clear(upload.id);
    const statement = buildValidationStatement({
      database: warehouse.database,
      layout,
      uploadId: upload.id,
      source: store.clickhouseSource(upload.objectKey),
      // From the file's own header: the ledger keeps it shortened.
      firstLine: firstDataLine(layout.mapping.fileColumns.map((f) => f.header)),
    });
    await warehouse.command(statement, { settings: VALIDATION_SETTINGS });
    return this.deps.rowErrors.summary(upload.id);
  }

  /**
   * APPEND: the same bytes already LOADED (or loaded and since replaced) in this dataset.
   * REPLACE: only a LOADED upload other than the one being replaced counts. Asked of the
   * directory (no statement), refreshed at the start of this run.
   */
  private findDuplicate(upload: Upload): Upload | null {
    const statuses = upload.mode === 'REPLACE' ? (['LOADED'] as const) : (['LOADED', 'REPLACED'] as const);
    const except = upload.replaces ? [upload.id, upload.replaces] : [upload.id];
    return this.deps.directory.findByContent(upload.dataset, upload.sha256, statuses, except);
  }

  private async markDuplicate(upload: Upload, original: Upload): Promise<Upload> {
    // The bytes are already stored under the original's key.
    await this.deps.store.delete(upload.objectKey).catch(() => undefined);
    this.deps.logger.info('duplicate upload', {
      uploadId: upload.id,
      duplicateOf: original.id,
      dataset: upload.dataset,
    });
    return this.deps.recorder.record(upload, { type: 'duplicate', of: original.id });
  }

  private async reject(
    upload: Upload,
    rejection: FileRejection,
    found: { counts?: RowErrorCounts; loadMs?: number } = {},
  ): Promise<Upload> {
    if (!found.counts) await this.deps.rowErrors.add(upload.id, rejection.sample);
    return this.deps.recorder.record(upload, { type: 'reject', ...rejection, ...found });
  }

  /** The load died before any status was recorded: the upload still gets its row. */
  private async recordNotStarted(received: Upload, error: unknown): Promise<void> {
    const current = await this.deps.ledger.get(received.id);
    if (current && current.status !== 'PENDING' && current.status !== 'FAILED') return;
    const message = `The load could not start: ${summariseLoadError(clickhouseMessage(error))}; retry the upload.`;
    await this.deps.recorder.record(received, { type: 'fail', code: 'LOAD_NOT_STARTED', message });
  }
}

function mapEvent(mapping: CsvLayout['mapping']) {
  return { type: 'map', columns: mapping.mapped, ignoredColumns: mapping.ignored } as const;
}
