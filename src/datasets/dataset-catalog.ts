import type { DatasetKindName } from './dataset-kinds';
import type { Upload } from '../ingest/upload';

export interface DatasetState {
  readonly name: string;
  readonly kind: DatasetKindName;
  /** Canonical columns carried by at least one LOADED upload. */
  readonly columns: ReadonlySet<string>;
  readonly loadedUploads: number;
  readonly rows: number;
  /** Bumped by every upload that becomes LOADED; part of every cache key. */
  readonly dataVersion: number;
  readonly lastIngestAt: Date | null;
  readonly createdAt: Date;
  /** Uploads whose rows may be partly written but are not LOADED: readers exclude them. */
  readonly hiddenUploads: ReadonlySet<string>;
}

interface MutableState {
  name: string;
  kind: DatasetKindName;
  columns: Set<string>;
  loadedUploads: number;
  rows: number;
  dataVersion: number;
  lastIngestAt: Date | null;
  createdAt: Date;
  hiddenUploads: Set<string>;
  statuses: Map<string, Upload['status']>;
}

/**
 * What the gateway knows about each dataset, derived from the upload ledger: built once at
 * start from the ledger, then kept current by the ingest path as each upload changes status.
 */
export class DatasetCatalog {
  private readonly datasets = new Map<string, MutableState>();

  static fromUploads(uploads: readonly Upload[]): DatasetCatalog {
    const catalog = new DatasetCatalog();
    for (const upload of uploads) catalog.apply(upload);
    return catalog;
  }

  get(name: string): DatasetState | undefined {
    return this.datasets.get(name);
  }

  list(kind?: DatasetKindName): DatasetState[] {
    return [...this.datasets.values()].filter((d) => !kind || d.kind === kind).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Records an upload's current status (idempotent for a repeated status). */
  apply(upload: Upload): void {
    let state = this.datasets.get(upload.dataset);
    if (!state) {
      state = {
        name: upload.dataset,
        kind: upload.kind,
        columns: new Set(),
        loadedUploads: 0,
        rows: 0,
        dataVersion: 0,
        lastIngestAt: null,
        createdAt: upload.createdAt,
        hiddenUploads: new Set(),
        statuses: new Map(),
      };
      this.datasets.set(upload.dataset, state);
    }
    const previous = state.statuses.get(upload.id);
    state.statuses.set(upload.id, upload.status);
    if (upload.status === 'LOADING') state.hiddenUploads.add(upload.id);
    else state.hiddenUploads.delete(upload.id);
    if (upload.status === 'LOADED' && previous !== 'LOADED') {
      for (const column of upload.columns) state.columns.add(column);
      state.loadedUploads += 1;
      state.rows += upload.rowsLoaded;
      state.dataVersion += 1;
      state.lastIngestAt = upload.finishedAt ?? new Date();
    }
  }
}
