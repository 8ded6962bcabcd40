import { randomUUID } from 'node:crypto';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../config/logger';
import type { DatasetCatalog } from '../datasets/dataset-catalog';
import {
  DATASET_KINDS,
  DATASET_NAME,
  isDatasetKindName,
  type DatasetKindName,
} from '../datasets/dataset-kinds';
import { AppError, ErrorCode, badInput } from '../errors/app-error';
import type { ObjectStore } from '../storage/object-store';
import type { Warehouse } from '../warehouse/warehouse';
import { KeyedMutex } from './keyed-mutex';
import { RowErrorStore } from './row-error-store';
import type { Upload, UploadMode } from '../datasets/upload';
import type { UploadLedger } from './upload-ledger';
import { UploadLoader, type ReceivedFile } from './upload-loader';
import { UploadMeter } from './upload-meter';

export interface IngestDeps {
  readonly warehouse: Warehouse;
  readonly store: ObjectStore;
  readonly ledger: UploadLedger;
  readonly catalog: DatasetCatalog;
  readonly logger: Logger;
  readonly maxBytes: number;
  /** How long a presigned PUT URL stays valid. */
  readonly presignSeconds?: number;
}

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

export interface IngestRequest extends UploadOptions {
  readonly body: Readable;
  /** The body's length when the client declared it (HTTP Content-Length). */
  readonly bytes?: number;
}

export interface UploadSlot {
  readonly upload: Upload;
  readonly url: string;
  readonly expiresAt: Date;
}

/** A load that dies this many times (the gateway killed each time) is given up as FAILED. */
export const MAX_LOAD_ATTEMPTS = 3;

const DEFAULT_PRESIGN_SECONDS = 3600;

/**
 * The ways in (a streamed body, a presigned PUT then a start, a retry, recovery at start) all end
 * in the same UploadLoader, one upload per dataset at a time.
 */
export class IngestService {
  readonly rowErrors: RowErrorStore;
  private readonly loader: UploadLoader;
  private readonly mutex = new KeyedMutex();
  private background: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: IngestDeps) {
    this.rowErrors = new RowErrorStore(deps.warehouse);
    this.loader = new UploadLoader({ ...deps, rowErrors: this.rowErrors });
  }

  resolveKind(dataset: string, kind?: string): DatasetKindName {
    if (!DATASET_NAME.test(dataset)) {
      throw badInput(
        'dataset must be 1-63 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
        { dataset },
      );
    }
    const existing = this.deps.catalog.get(dataset);
    if (kind !== undefined && !isDatasetKindName(kind)) {
      throw badInput(
        `Unknown dataset kind "${kind}"; known kinds: ${Object.keys(DATASET_KINDS).join(', ')}`,
        { kind },
      );
    }
    if (existing && kind && existing.kind !== kind) {
      throw new AppError(
        ErrorCode.DATASET_KIND_MISMATCH,
        `Dataset ${dataset} holds ${existing.kind} data, not ${kind}`,
        { details: { dataset, kind: existing.kind } },
      );
    }
    const resolved = kind ?? existing?.kind;
    if (!resolved)
      throw badInput(
        `Dataset ${dataset} is new: say which kind of data it holds (kind=${Object.keys(DATASET_KINDS).join('|')})`,
        { dataset },
      );
    return resolved as DatasetKindName;
  }

  /** Checks the options before any byte is read, so a bad request costs nothing. */
  async newUpload(options: UploadOptions): Promise<Upload> {
    const kind = this.resolveKind(options.dataset, options.kind);
    const maxBadRows = options.maxBadRows ?? 0;
    if (!Number.isSafeInteger(maxBadRows) || maxBadRows < 0)
      throw badInput('maxBadRows must be a whole number, 0 or more', { maxBadRows });
    if (options.replaces !== undefined) {
      const target = await this.deps.ledger.get(options.replaces);
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

  /** HTTP and CLI: the body streams to the object store (hashed and scanned on the way), then loads. */
  async ingest(request: IngestRequest): Promise<Upload> {
    const upload = await this.newUpload(request);
    const meter = new UploadMeter(this.deps.maxBytes);
    const storing = this.deps.store.putStream(upload.objectKey, meter, 'text/csv', request.bytes);
    try {
      await Promise.all([pipeline(request.body, meter), storing]);
    } catch (error) {
      // A failed body aborts the store's write; once that has settled, no late write can
      // recreate the object after this delete.
      await storing.catch(() => undefined);
      await this.deps.store.delete(upload.objectKey).catch(() => undefined);
      throw error;
    }
    return this.receiveAndLoad(upload, meterFacts(meter), true);
  }

  /** Presigned flow, step 1: a PENDING ledger row and a URL the client PUTs the file to. */
  async createSlot(options: UploadOptions): Promise<UploadSlot> {
    const upload = await this.loader.record(await this.newUpload(options));
    const seconds = this.deps.presignSeconds ?? DEFAULT_PRESIGN_SECONDS;
    const url = await this.deps.store.presignPut(upload.objectKey, seconds);
    return { upload, url, expiresAt: new Date(upload.createdAt.getTime() + seconds * 1000) };
  }

  /** Presigned flow, step 2: the object exists; read it back once (hash, header, quoting), then load. */
  async startSlot(id: string): Promise<Upload> {
    const upload = await this.deps.ledger.get(id);
    if (!upload) throw new AppError(ErrorCode.NOT_FOUND, `No upload ${id}`, { details: { id } });
    if (upload.status !== 'PENDING')
      throw new AppError(
        ErrorCode.UPLOAD_STATE,
        `Upload ${id} is ${upload.status}, not PENDING: it was started already`,
        { details: { id, status: upload.status } },
      );
    const size = await this.deps.store.size(upload.objectKey);
    if (size === null)
      throw new AppError(
        ErrorCode.UPLOAD_STATE,
        `Nothing was uploaded to upload ${id}'s URL yet; PUT the file first`,
        { details: { id } },
      );
    if (size > this.deps.maxBytes) {
      await this.deps.store.delete(upload.objectKey).catch(() => undefined);
      await this.loader.record({
        ...upload,
        status: 'REJECTED',
        bytes: size,
        errorCode: 'UPLOAD_TOO_LARGE',
        errorMessage: `The file has ${size} bytes; the maximum is ${this.deps.maxBytes}.`,
        finishedAt: new Date(),
      });
      throw new AppError(
        ErrorCode.UPLOAD_TOO_LARGE,
        `Upload exceeds the maximum size of ${this.deps.maxBytes} bytes`,
        { details: { maxBytes: this.deps.maxBytes, bytes: size } },
      );
    }
    return this.receiveAndLoad(upload, await this.scanStored(upload), false);
  }

  /** A FAILED upload (the system failed, not the file) loads again from its stored object. */
  async retry(id: string): Promise<Upload> {
    const upload = await this.deps.ledger.get(id);
    if (!upload) throw new AppError(ErrorCode.NOT_FOUND, `No upload ${id}`, { details: { id } });
    if (upload.status !== 'FAILED')
      throw new AppError(
        ErrorCode.UPLOAD_STATE,
        `Only FAILED uploads can be retried; upload ${id} is ${upload.status}`,
        { details: { id, status: upload.status } },
      );
    if (!(await this.deps.store.exists(upload.objectKey)))
      throw new AppError(
        ErrorCode.UPLOAD_STATE,
        `The file of upload ${id} is no longer stored; upload it again`,
        { details: { id } },
      );
    return this.receiveAndLoad({ ...upload, attempts: 0 }, await this.scanStored(upload), false);
  }

  /**
   * At start: uploads a dead process left RECEIVED or LOADING lose whatever they wrote at once
   * (nothing half-loaded stays), then load again in the background from their stored object; one
   * that already died MAX_LOAD_ATTEMPTS times is marked FAILED. Replacements whose old rows were
   * not yet removed are completed. Uploads loaded before complete columns were recorded get them
   * counted in the background (until then their coverage is counted per query, as before).
   */
  async recoverInterrupted(): Promise<Upload[]> {
    const interrupted = await this.deps.ledger.withStatus(['RECEIVED', 'LOADING']);
    const resumed: Upload[] = [];
    for (const upload of interrupted) {
      await this.loader.removeRows(upload);
      await this.rowErrors.clear(upload.id);
      const stored = await this.deps.store.exists(upload.objectKey);
      if (upload.attempts >= MAX_LOAD_ATTEMPTS || !stored) {
        const reason = stored
          ? `the gateway stopped during each of ${upload.attempts} attempts to load it`
          : 'its file is no longer stored';
        await this.loader.record({
          ...upload,
          status: 'FAILED',
          errorCode: 'INTERRUPTED',
          errorMessage: `Not loaded: ${reason}; nothing of it was kept.`,
          finishedAt: new Date(),
        });
        this.deps.logger.warn('interrupted upload marked failed', {
          uploadId: upload.id,
          dataset: upload.dataset,
          attempts: upload.attempts,
        });
        continue;
      }
      resumed.push(await this.loader.record({ ...upload, status: 'RECEIVED' }));
      this.deps.logger.warn('interrupted upload will load again', {
        uploadId: upload.id,
        dataset: upload.dataset,
        attempts: upload.attempts,
      });
    }
    const loaded = await this.deps.ledger.withStatus(['LOADED']);
    for (const upload of loaded) {
      if (upload.mode === 'REPLACE')
        await this.mutex.run(upload.dataset, () => this.loader.completeReplacement(upload));
    }
    for (const upload of loaded) {
      if (upload.completeColumns === null)
        this.inBackground(() =>
          this.mutex.run(upload.dataset, () => this.loader.recordCompleteColumns(upload.id)),
        );
    }
    for (const upload of resumed)
      this.inBackground(async () => this.receiveAndLoad(upload, await this.scanStored(upload), false));
    return resumed;
  }

  /** Resolves when background work (recovered loads, coverage counts) is done; used at shutdown and by tests. */
  async idle(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.background;
      await seen;
    } while (seen !== this.background);
  }

  private inBackground(work: () => Promise<unknown>): void {
    this.background = this.background.then(work).catch((error: unknown) =>
      this.deps.logger.error('background work failed (a recovered load or a coverage count)', {
        error: error as Error,
      }),
    );
  }

  /**
   * The load starts at once, so the received facts are first written with the upload's next status
   * (LOADING, or final when the file is refused or a duplicate): a ledger write costs ~10-15 ms in
   * chDB. An upload still PENDING in the ledger (never started) or FAILED (retried) is simply
   * started again if the process dies before that write; RECEIVED is what recovery records for an
   * upload it will load later. `newId`: the upload's id was made for this request and has never
   * been written anywhere, so no earlier attempt can have left rows under it. (A presigned slot's id
   * is known to its client, which may start it twice at once: those loads keep the clean-up.)
   */
  private async receiveAndLoad(upload: Upload, file: ReceivedFile, newId: boolean): Promise<Upload> {
    return this.mutex.run(upload.dataset, async () => {
      const received: Upload = {
        ...upload,
        status: 'RECEIVED',
        bytes: file.bytes,
        sha256: file.sha256,
        header: file.header ?? [],
        receivedAt: upload.receivedAt ?? new Date(),
        receiveMs: upload.receivedAt ? upload.receiveMs : Date.now() - upload.createdAt.getTime(),
      };
      return this.loader.process(received, file, newId);
    });
  }

  /** Streams a stored object past a meter: the same facts an HTTP upload yields. */
  private async scanStored(upload: Upload): Promise<ReceivedFile> {
    const meter = new UploadMeter(Number.MAX_SAFE_INTEGER);
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    await pipeline(await this.deps.store.getStream(upload.objectKey), meter, sink);
    return meterFacts(meter);
  }
}

function meterFacts(meter: UploadMeter): ReceivedFile {
  return {
    bytes: meter.bytes,
    sha256: meter.sha256,
    header: meter.header,
    unclosedQuoteAt: meter.unclosedQuoteAt,
  };
}
