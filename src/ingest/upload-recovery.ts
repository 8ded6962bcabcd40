import type { Logger } from '../config/logger';
import type { Upload } from '../datasets/upload';
import type { ObjectStore } from '../storage/object-store';
import { datasetLockKey, type ReplicaLocks } from './replica-locks';
import type { RowErrorStore } from './row-error-store';
import type { UploadLedger } from './upload-ledger';
import type { UploadLoadJob } from './upload-load-job';
import type { UploadRecorder } from './upload-recorder';
import type { UploadRowsRepository } from './upload-rows.repository';

/** A load that dies this many times (the gateway killed each time) is given up as FAILED. */
export const MAX_LOAD_ATTEMPTS = 3;

export interface RecoveryDeps {
  readonly store: ObjectStore;
  readonly ledger: UploadLedger;
  readonly recorder: UploadRecorder;
  readonly rows: UploadRowsRepository;
  readonly rowErrors: RowErrorStore;
  readonly job: UploadLoadJob;
  readonly mutex: ReplicaLocks;
  readonly logger: Logger;
}

/** How recovery hands work back to the service: background work, and loading an upload again. */
export interface RecoveryHooks {
  readonly inBackground: (work: () => Promise<unknown>) => void;
  readonly loadAgain: (upload: Upload) => Promise<Upload>;
}

/**
 * At start: staging tables of uploads no longer loading are dropped; uploads a dead process left
 * RECEIVED or LOADING lose whatever they wrote at once (stage and rows: nothing half-loaded stays), then load again in the background from their stored object; one
 * that already died MAX_LOAD_ATTEMPTS times is marked FAILED. Replacements whose old rows were
 * not yet removed are completed. Uploads loaded before complete columns were recorded get them
 * counted in the background (until then their coverage is counted per query, as before).
 */
export async function recoverInterrupted(deps: RecoveryDeps, hooks: RecoveryHooks): Promise<Upload[]> {
  const interrupted = await deps.ledger.withStatus(['RECEIVED', 'LOADING']);
  // Stages of interrupted uploads go with their rows (recoverOne, under the dataset's lock).
  const dropped = await deps.rows.removeLeftoverStages(interrupted);
  if (dropped.length > 0) deps.logger.warn('leftover staging tables dropped', { tables: dropped });
  const resumed: Upload[] = [];
  for (const { id, dataset } of interrupted) {
    // A LOADING upload may be another live replica's load in progress: it holds the dataset's
    // lock until it has recorded the outcome. Taken at once, the upload is ours to recover; else
    // it is looked at again, in the background, once that replica lets go (or its lock expires
    // because it died).
    const now = await deps.mutex.tryRun(datasetLockKey(dataset), () => recoverOne(deps, id));
    if (now) {
      if (now.value) resumed.push(now.value);
      continue;
    }
    hooks.inBackground(async () => {
      const later = await deps.mutex.run(datasetLockKey(dataset), () => recoverOne(deps, id));
      if (later) await hooks.loadAgain(later);
    });
  }
  const loaded = await deps.ledger.withStatus(['LOADED']);
  for (const upload of loaded) {
    if (upload.mode === 'REPLACE')
      await deps.mutex.run(datasetLockKey(upload.dataset), () => deps.job.completeReplacement(upload));
  }
  for (const upload of loaded) {
    if (upload.completeColumns === null)
      hooks.inBackground(() =>
        deps.mutex.run(datasetLockKey(upload.dataset), () => deps.job.recordCompleteColumns(upload.id)),
      );
  }
  for (const upload of resumed) hooks.inBackground(() => hooks.loadAgain(upload));
  return resumed;
}

/**
 * One interrupted upload, read again under its dataset's lock: its rows and row errors go; it is
 * recorded RECEIVED to load again (returned), or FAILED when it died too often or its file is gone.
 * Null when it is no longer interrupted (another replica finished it meanwhile).
 */
async function recoverOne(deps: RecoveryDeps, id: string): Promise<Upload | null> {
  const upload = await deps.ledger.get(id);
  if (!upload || (upload.status !== 'RECEIVED' && upload.status !== 'LOADING')) return null;
  await deps.rows.remove(upload);
  await deps.rowErrors.clear(upload.id);
  const stored = await deps.store.exists(upload.objectKey);
  if (upload.attempts >= MAX_LOAD_ATTEMPTS || !stored) {
    const reason = stored
      ? `the gateway stopped during each of ${upload.attempts} attempts to load it`
      : 'its file is no longer stored';
    const message = `Not loaded: ${reason}; nothing of it was kept.`;
    await deps.recorder.record(upload, { type: 'fail', code: 'INTERRUPTED', message });
    deps.logger.warn('interrupted upload marked failed', {
      uploadId: upload.id,
      dataset: upload.dataset,
      attempts: upload.attempts,
    });
    return null;
  }
  deps.logger.warn('interrupted upload will load again', {
    uploadId: upload.id,
    dataset: upload.dataset,
    attempts: upload.attempts,
  });
  return deps.recorder.record(upload, { type: 'interrupt' });
}
