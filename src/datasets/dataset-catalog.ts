import type { DatasetKindName } from './dataset-kinds';
import type { Upload } from '../ingest/upload';

export interface DatasetState {
  readonly name: string;
  readonly kind: DatasetKindName;
  /** Canonical columns carried by at least one visible LOADED upload. */
  readonly columns: ReadonlySet<string>;
  readonly loadedUploads: number;
  readonly rows: number;
  /** Bumped whenever the set of visible uploads changes; part of every cache key. */
  readonly dataVersion: number;
  readonly lastIngestAt: Date | null;
  readonly createdAt: Date;
  /**
   * Uploads whose rows may exist but must not be read: LOADING ones (maybe partly written) and
   * LOADED ones superseded by a LOADED replacement whose rows are still being removed.
   */
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
  uploads: Map<string, Upload>;
  visibleKey: string;
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
        uploads: new Map(),
        visibleKey: '',
      };
      this.datasets.set(upload.dataset, state);
    }
    state.uploads.set(upload.id, upload);
    recompute(state, upload);
  }
}

/** Derives every field from the dataset's uploads, so any order of status changes gives one answer. */
function recompute(state: MutableState, changed: Upload): void {
  const all = [...state.uploads.values()];
  const loaded = all.filter((u) => u.status === 'LOADED');
  const superseded = new Set(loaded.filter((u) => u.mode === 'REPLACE' && u.replaces).map((u) => u.replaces!));
  const visible = loaded.filter((u) => !superseded.has(u.id));
  state.hiddenUploads = new Set([...all.filter((u) => u.status === 'LOADING').map((u) => u.id), ...loaded.filter((u) => superseded.has(u.id)).map((u) => u.id)]);
  state.columns = new Set(visible.flatMap((u) => u.columns));
  state.loadedUploads = visible.length;
  state.rows = visible.reduce((sum, u) => sum + u.rowsLoaded, 0);
  const visibleKey = visible.map((u) => u.id).sort().join(',');
  if (visibleKey !== state.visibleKey) {
    state.visibleKey = visibleKey;
    state.dataVersion += 1;
    if (changed.status === 'LOADED') state.lastIngestAt = changed.finishedAt ?? new Date();
  }
}
