import type { DatasetKindName } from './dataset-kinds';
import type { Upload } from '../ingest/upload';
import { MemoryDataVersions, type DataVersions } from './data-versions';

export interface DatasetState {
  readonly name: string;
  readonly kind: DatasetKindName;
  /** Canonical columns carried by at least one LOADED upload. */
  readonly columns: ReadonlySet<string>;
  readonly loadedUploads: number;
  readonly rows: number;
  /** Changes whenever what queries can see changes; part of every cache key. */
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

export interface CatalogOptions {
  /** Shared counters when several gateways serve the same warehouse; in memory otherwise. */
  readonly versions?: DataVersions;
  /** The ledger's uploads of one dataset, to rebuild its state when another replica changed it. */
  readonly loadUploads?: (dataset: string) => Promise<Upload[]>;
}

/** A status change readers must notice: rows become hidden, or stop being hidden. */
function changesVisibility(previous: Upload['status'] | undefined, next: Upload['status']): boolean {
  if (next === 'LOADING') return previous !== 'LOADING';
  return previous === 'LOADING';
}

/**
 * What the gateway knows about each dataset, derived from the upload ledger: built at start,
 * kept current by the ingest path, and re-read from the ledger when another replica has bumped a
 * dataset's data version.
 */
export class DatasetCatalog {
  private readonly datasets = new Map<string, MutableState>();
  private readonly versions: DataVersions;

  constructor(private readonly options: CatalogOptions = {}) {
    this.versions = options.versions ?? new MemoryDataVersions();
  }

  static async fromUploads(uploads: readonly Upload[], options: CatalogOptions = {}): Promise<DatasetCatalog> {
    const catalog = new DatasetCatalog(options);
    for (const upload of uploads) catalog.applyState(upload);
    // The state was just built from the whole ledger: adopt the shared versions without re-reading.
    await catalog.syncVersions(await catalog.versions.readAll(), false);
    return catalog;
  }

  get(name: string): DatasetState | undefined {
    return this.datasets.get(name);
  }

  list(kind?: DatasetKindName): DatasetState[] {
    return [...this.datasets.values()].filter((d) => !kind || d.kind === kind).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Records an upload's new status; bumps the shared data version when readers must notice. */
  async apply(upload: Upload): Promise<void> {
    const previous = this.datasets.get(upload.dataset)?.statuses.get(upload.id);
    const state = this.applyState(upload);
    if (changesVisibility(previous, upload.status)) state.dataVersion = await this.versions.bump(upload.dataset);
  }

  /** Re-reads from the ledger every dataset another replica has changed since this one last looked. */
  async refresh(): Promise<void> {
    await this.syncVersions(await this.versions.readAll(), true);
  }

  async close(): Promise<void> {
    await this.versions.close();
  }

  private async syncVersions(shared: Map<string, number>, reload: boolean): Promise<void> {
    for (const [name, version] of shared) {
      const local = this.datasets.get(name);
      if (local?.dataVersion === version) continue;
      if (reload && this.options.loadUploads) {
        this.datasets.delete(name);
        for (const upload of await this.options.loadUploads(name)) this.applyState(upload);
      }
      const state = this.datasets.get(name);
      if (state) state.dataVersion = version;
    }
  }

  private applyState(upload: Upload): MutableState {
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
      state.lastIngestAt = upload.finishedAt ?? new Date();
    }
    return state;
  }
}
