import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_CSV_LIMITS, type CsvLimits } from '../config/config';
import type { Logger } from '../config/logger';
import type { DatasetDirectory } from '../datasets/dataset-directory';
import type { Upload } from '../datasets/upload';
import { AppError, ErrorCode } from '../errors/app-error';
import type { ObjectStore } from '../storage/object-store';
import type { Warehouse } from '../warehouse/warehouse';
import { datasetLockKey, ProcessLocks, type ReplicaLocks } from './replica-locks';
import { newUpload, type UploadOptions } from './new-upload';
import type { ReceivedFile } from './received-file-checks';
import { RowErrorStore } from './row-error-store';
import type { UploadLedger } from './upload-ledger';
import { UploadLoadJob } from './upload-load-job';
import { UploadMeter } from './upload-meter';
import { UploadRecorder } from './upload-recorder';
import { recoverInterrupted } from './upload-recovery';
import { UploadRowsRepository } from './upload-rows.repository';
import { objectChangedSinceReceipt, type LoadLimits } from './object-identity';
import { inSpan } from '../telemetry/spans';
import { loadSpanOf } from './load-span';

export { MAX_LOAD_ATTEMPTS } from './upload-recovery';
export type { UploadOptions } from './new-upload';

export interface IngestDeps {
  readonly warehouse: Warehouse;
  readonly store: ObjectStore;
  readonly ledger: UploadLedger;
  readonly directory: DatasetDirectory;
  readonly logger: Logger;
  readonly maxBytes: number;
  /** Line, field and header bounds of an uploaded CSV (CSV_MAX_* settings). */
  readonly csvLimits?: CsvLimits;
  /** How long a presigned PUT URL stays valid. */
  readonly presignSeconds?: number;
  /** Bounds of a load's S3 reads and run time. */
  readonly loadLimits?: LoadLimits;
  /**
   * Shared by every replica (RedisLocks with REDIS_URL): one load per dataset at a time in the
   * whole deployment, so the duplicate check sees what another replica just loaded.
   */
  readonly locks?: ReplicaLocks;
  /** CLICKHOUSE_CLUSTER: tables are replicated and sharded (loads deduplicate, removals go to every shard). */
  readonly cluster?: string;
  /** Every change of an upload the ledger stored (metrics count the final ones). */
  readonly onUploadStored?: (upload: Upload) => void;
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

const DEFAULT_PRESIGN_SECONDS = 3600;
/** Characters of each header name the ledger keeps. */
const MAX_LEDGER_HEADER_NAME = 256;

/**
 * The ways in (a streamed body, a presigned PUT then a start, a retry, recovery at start) all end
 * in the same UploadLoadJob, one upload per dataset at a time.
 */
export class IngestService {
  readonly rowErrors: RowErrorStore;
  private readonly recorder: UploadRecorder;
  private readonly rows: UploadRowsRepository;
  private readonly job: UploadLoadJob;
  private readonly limits: CsvLimits;
  private readonly mutex: ReplicaLocks;
  private background: Promise<unknown> = Promise.resolve();
  private readonly loading = new Set<string>();

  constructor(private readonly deps: IngestDeps) {
    this.limits = deps.csvLimits ?? DEFAULT_CSV_LIMITS;
    this.mutex = deps.locks ?? new ProcessLocks();
    this.rowErrors = new RowErrorStore(deps.warehouse);
    this.recorder = new UploadRecorder(deps.ledger, deps.directory, deps.onUploadStored);
    this.rows = new UploadRowsRepository(deps.warehouse, deps.cluster);
    this.job = new UploadLoadJob({
      ...deps,
      recorder: this.recorder,
      rowErrors: this.rowErrors,
      rows: this.rows,
      limits: this.limits,
    });
  }

  /** Checks the options before any byte is read, so a bad request costs nothing. */
  newUpload(options: UploadOptions): Promise<Upload> {
    return newUpload(options, this.deps.directory, this.deps.ledger);
  }

  /** HTTP and CLI: the body streams to the object store (hashed and scanned on the way), then loads. */
  async ingest(request: IngestRequest): Promise<Upload> {
    const upload = await this.newUpload(request);
    const meter = new UploadMeter(this.deps.maxBytes, this.limits);
    const storing = this.deps.store.putStream(upload.objectKey, meter, 'text/csv', request.bytes);
    let etag: string;
    try {
      [, { etag }] = await Promise.all([pipeline(request.body, meter), storing]);
    } catch (error) {
      // A failed body aborts the store's write; once that has settled, no late write can
      // recreate the object after this delete.
      await storing.catch(() => undefined);
      await this.deps.store.delete(upload.objectKey).catch(() => undefined);
      throw error;
    }
    return this.receiveAndLoad(upload, meterFacts(meter, etag), true);
  }

  /** Presigned flow, step 1: a PENDING ledger row and a URL the client PUTs the file to. */
  async createSlot(options: UploadOptions): Promise<UploadSlot> {
    const upload = await this.recorder.create(await this.newUpload(options));
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
      await this.recorder.record(upload, {
        type: 'reject',
        code: 'UPLOAD_TOO_LARGE',
        message: `The file has ${size} bytes; the maximum is ${this.deps.maxBytes}.`,
        sample: [],
        bytes: size,
      });
      throw new AppError(
        ErrorCode.UPLOAD_TOO_LARGE,
        `Upload exceeds the maximum size of ${this.deps.maxBytes} bytes`,
        { details: { maxBytes: this.deps.maxBytes, bytes: size } },
      );
    }
    return this.receiveAndLoad(upload, await this.scanStored(upload), false);
  }

  /** A FAILED upload (the system failed, not the file) loads again from its stored object: one more attempt. */
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
    return this.receiveAndLoad(upload, await this.scanStored(upload), false);
  }

  /** See upload-recovery.ts. */
  async recoverInterrupted(): Promise<Upload[]> {
    const deps = { ...this.deps, recorder: this.recorder, rows: this.rows, rowErrors: this.rowErrors };
    return recoverInterrupted(
      { ...deps, job: this.job, mutex: this.mutex },
      {
        inBackground: (work) => this.inBackground(work),
        loadAgain: async (upload) => this.receiveAndLoad(upload, await this.scanStored(upload), false),
      },
    );
  }

  /** Ids of the uploads this process is loading right now. */
  loadsInFlight(): string[] {
    return [...this.loading];
  }

  /**
   * At a shutdown that cuts loads off: they go back to RECEIVED, which the next start loads again,
   * without counting the attempt (the gateway stopped them; they did not fail). A load that
   * finishes meanwhile records its own final status after this one. Returns their ids.
   */
  async handBackInterrupted(): Promise<string[]> {
    const ids = this.loadsInFlight();
    for (const id of ids) {
      const upload = await this.deps.ledger.get(id);
      if (upload?.status === 'LOADING')
        await this.recorder.record(upload, { type: 'interrupt', uncounted: true });
    }
    return ids;
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
   * (LOADING, or final when the file is refused or a duplicate): each ledger write costs a
   * statement. An upload still PENDING in the ledger (never started) or FAILED (retried) is simply
   * started again if the process dies before that write; RECEIVED is what recovery records for an
   * upload it will load later. `newId`: the upload's id was made for this request and has never
   * been written anywhere, so no earlier attempt can have left rows under it. (A presigned slot's id
   * is known to its client, which may start it twice at once: those loads keep the clean-up.)
   */
  private async receiveAndLoad(upload: Upload, file: ReceivedFile, newId: boolean): Promise<Upload> {
    return this.mutex.run(datasetLockKey(upload.dataset), async () => {
      const changed = objectChangedSinceReceipt(upload, file);
      if (changed) {
        // The recorded facts stay: they describe the file that was received, not what is stored now.
        const recorded = { bytes: upload.bytes, sha256: upload.sha256, header: upload.header };
        const again = this.recorder.advance(upload, { type: 'receive', facts: recorded, at: new Date() });
        return this.recorder.record(again, { type: 'fail', ...changed });
      }
      // The ledger keeps the header for people to read: at most the column limit, each name
      // shortened, so the row stays small enough for any transport (a server takes bound values
      // in the URL). Loads read the file's own header, never this copy.
      const header = (file.header ?? [])
        .slice(0, this.limits.maxColumns)
        .map((name) => (name.length > MAX_LEDGER_HEADER_NAME ? name.slice(0, MAX_LEDGER_HEADER_NAME) : name));
      const facts = { bytes: file.bytes, sha256: file.sha256, header };
      const received = this.recorder.advance(upload, { type: 'receive', facts, at: new Date() });
      this.loading.add(upload.id);
      try {
        return await inSpan('upload.load', loadSpanOf(received), async (span) => {
          const done = await this.job.run(received, file, newId);
          span?.setAttributes({
            'kpi.upload.status': done.status,
            'kpi.upload.rows_loaded': done.rowsLoaded ?? 0,
          });
          return done;
        });
      } finally {
        this.loading.delete(upload.id);
      }
    });
  }

  /** Streams a stored object past a meter: the same facts an HTTP upload yields. */
  private async scanStored(upload: Upload): Promise<ReceivedFile> {
    const meter = new UploadMeter(Number.MAX_SAFE_INTEGER, this.limits);
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const { body, etag } = await this.deps.store.read(upload.objectKey);
    await pipeline(body, meter, sink);
    return meterFacts(meter, etag);
  }
}

/** `etag`: the store's identity of the version the meter saw, which the load then insists on reading. */
function meterFacts(meter: UploadMeter, etag?: string): ReceivedFile {
  return {
    bytes: meter.bytes,
    sha256: meter.sha256,
    header: meter.header,
    unclosedQuoteAt: meter.unclosedQuoteAt,
    breach: meter.breach,
    etag,
  };
}
