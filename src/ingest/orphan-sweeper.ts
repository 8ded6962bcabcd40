import type { Logger } from '../config/logger';
import type { Upload, UploadStatus } from '../datasets/upload';
import type { ListedObject } from '../storage/object-store';

/** The store operations a sweep needs (S3ObjectStore has them). */
export interface SweepableStore {
  list(prefix: string): AsyncIterable<ListedObject>;
  delete(key: string): Promise<void>;
  abortStaleMultipart(prefix: string, before: Date): Promise<number>;
}

export interface SweepResult {
  readonly removed: readonly string[];
  readonly abortedMultipart: number;
}

const UPLOADS_PREFIX = 'uploads/';
/** Uploads whose file is of no further use: refused, given up, or already stored under another upload. */
const SPENT: readonly UploadStatus[] = ['REJECTED', 'FAILED', 'DUPLICATE'];
/** `uploads/{dataset}/{uploadId}.csv` */
const UPLOAD_KEY = /^uploads\/[^/]+\/([^/]+)\.csv$/;

/**
 * Removes objects under `uploads/` that nothing will read again, once they are older than the grace
 * period: objects no ledger row knows (a body whose request died before its upload was recorded),
 * and objects of REJECTED, FAILED or DUPLICATE uploads (the grace period is the window to retry a
 * FAILED one). Multipart uploads left unfinished that long are aborted with their parts. LOADED,
 * PENDING, RECEIVED and LOADING uploads keep their objects.
 */
export async function sweepOrphans(
  store: SweepableStore,
  uploads: readonly Upload[],
  options: { graceSeconds: number; logger: Logger; now?: Date },
): Promise<SweepResult> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.graceSeconds * 1000);
  const byId = new Map(uploads.map((upload) => [upload.id, upload]));
  const removed: string[] = [];
  for await (const object of store.list(UPLOADS_PREFIX)) {
    const id = UPLOAD_KEY.exec(object.key)?.[1];
    const upload = id === undefined ? undefined : byId.get(id);
    const since = upload ? (upload.finishedAt ?? object.lastModified) : object.lastModified;
    const spent = upload === undefined || (SPENT.includes(upload.status) && upload.objectKey === object.key);
    if (!spent || since > cutoff) continue;
    await store.delete(object.key);
    removed.push(object.key);
  }
  const abortedMultipart = await store.abortStaleMultipart(UPLOADS_PREFIX, cutoff);
  if (removed.length > 0 || abortedMultipart > 0)
    options.logger.info('orphaned objects removed', { objects: removed.length, abortedMultipart });
  return { removed, abortedMultipart };
}
