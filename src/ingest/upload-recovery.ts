import type { Logger } from '../config/logger';
import type { Upload } from '../datasets/upload';
import type { ObjectStore } from '../storage/object-store';
import type { KeyedMutex } from './keyed-mutex';
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
  readonly mutex: KeyedMutex;
  readonly logger: Logger;
}

/** How recovery hands work back to the service: background work, and loading an upload again. */
export interface RecoveryHooks {
  readonly inBackground: (work: () => Promise<unknown>) => void;
  readonly loadAgain: (upload: Upload) => Promise<Upload>;
}

/**
 * At start: uploads a dead process left RECEIVED or LOADING lose whatever they wrote at once
 * (nothing half-loaded stays), then load again in the background from their stored object; one
 * that already died MAX_LOAD_ATTEMPTS times is marked FAILED. Replacements whose old rows were
 * not yet removed are completed. Uploads loaded before complete columns were recorded get them
 * counted in the background (until then their coverage is counted per query, as before).
 */
export async function recoverInterrupted(deps: RecoveryDeps, hooks: RecoveryHooks): Promise<Upload[]> {
  const interrupted = await deps.ledger.withStatus(['RECEIVED', 'LOADING']);
  const resumed: Upload[] = [];
  for (const upload of interrupted) {
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
      continue;
    }
    resumed.push(await deps.recorder.record(upload, { type: 'interrupt' }));
    deps.logger.warn('interrupted upload will load again', {
      uploadId: upload.id,
      dataset: upload.dataset,
      attempts: upload.attempts,
    });
  }
  const loaded = await deps.ledger.withStatus(['LOADED']);
  for (const upload of loaded) {
    if (upload.mode === 'REPLACE')
      await deps.mutex.run(upload.dataset, () => deps.job.completeReplacement(upload));
  }
  for (const upload of loaded) {
    if (upload.completeColumns === null)
      hooks.inBackground(() =>
        deps.mutex.run(upload.dataset, () => deps.job.recordCompleteColumns(upload.id)),
      );
  }
  for (const upload of resumed) hooks.inBackground(() => hooks.loadAgain(upload));
  return resumed;
}
