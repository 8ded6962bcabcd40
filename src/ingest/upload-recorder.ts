import type { DatasetDirectory } from '../datasets/dataset-directory';
import type { Upload } from '../datasets/upload';
import type { UploadLedger } from './upload-ledger';
import { transition, type UploadEvent } from './upload-lifecycle';

/**
 * Where an upload's changes happen: the lifecycle table decides the next record (or refuses the
 * event), the ledger stores it, the dataset directory follows it. `advance` is the same without
 * the writes, for the steps the ledger never needs to see (a file received and mapped, whose
 * next recorded status follows at once).
 */
export class UploadRecorder {
  constructor(
    private readonly ledger: UploadLedger,
    private readonly directory: DatasetDirectory,
    /** Every stored change (metrics count the final ones). */
    private readonly onStored?: (upload: Upload) => void,
  ) {}

  advance(upload: Upload, event: UploadEvent): Upload {
    return transition(upload, event);
  }

  async record(upload: Upload, event: UploadEvent): Promise<Upload> {
    return this.store(transition(upload, event));
  }

  /** A new upload's first row (a PENDING slot): no event has happened to it yet. */
  async create(upload: Upload): Promise<Upload> {
    if (upload.status !== 'PENDING') throw new Error(`A new upload starts PENDING, not ${upload.status}`);
    return this.store(upload);
  }

  private async store(upload: Upload): Promise<Upload> {
    await this.ledger.save(upload);
    await this.directory.apply(upload);
    this.onStored?.(upload);
    return upload;
  }
}
