import { createHash } from 'node:crypto';
import { EventEmitter, on } from 'node:events';
import type { DatasetKindName } from './dataset-kinds';
import type { Upload } from './upload';
import { MemoryDataVersions, type DataChange, type DataVersions, type SharedVersions } from './data-versions';

export interface DatasetState {
  readonly name: string;
  readonly kind: DatasetKindName;
  /** Canonical columns carried by at least one visible LOADED upload. */
  readonly columns: ReadonlySet<string>;
  /** Optional columns every visible upload carries in every row: no slice is partly covered by them. */
  readonly completeColumns: ReadonlySet<string>;
  readonly loadedUploads: number;
  readonly rows: number;
  /** Changes whenever what queries can see changes; a counter, so it starts again after a restart. */
  readonly dataVersion: number;
  /**
   * Names exactly what readers see (the visible and hidden uploads, by id): equal only for the same
   * uploads, in any process, before or after a restart. Cache keys use it, not the counter.
   */
  readonly stateKey: string;
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
  completeColumns: Set<string>;
  loadedUploads: number;
  rows: number;
  dataVersion: number;
  stateKey: string;
  lastIngestAt: Date | null;
  createdAt: Date;
  hiddenUploads: Set<string>;
  uploads: Map<string, Upload>;
  /** Visible and hidden upload ids: when this changes, readers must notice. */
  readerKey: string;
}

export interface DirectoryOptions {
  /** Shared counters when several gateways serve the same warehouse; in memory otherwise. */
  readonly versions?: DataVersions;
  /** The ledger's uploads of one dataset, to rebuild its state when another replica changed it. */
  readonly loadUploads?: (dataset: string) => Promise<Upload[]>;
}

/**
 * What the gateway knows about each dataset, derived from the upload ledger: built at start,
 * kept current by the ingest path, and re-read from the ledger when another replica has bumped a
 * dataset's data version.
 */
export class DatasetDirectory {
  private readonly datasets = new Map<string, MutableState>();
  private readonly versions: DataVersions;
  private changes = 0;
  /** The run of the shared counters this catalog last read. */
  private epoch: string | undefined;
  private readonly changeEvents = new EventEmitter().setMaxListeners(0);
  private watching: Promise<void> | undefined;
  private catchingUp: Promise<void> = Promise.resolve();

  constructor(private readonly options: DirectoryOptions = {}) {
    this.versions = options.versions ?? new MemoryDataVersions();
  }

  static async fromUploads(
    uploads: readonly Upload[],
    options: DirectoryOptions = {},
  ): Promise<DatasetDirectory> {
    const directory = new DatasetDirectory(options);
    for (const upload of uploads) directory.applyState(upload);
    // The state was just built from the whole ledger: adopt the shared versions without re-reading.
    await directory.syncVersions(await directory.versions.readAll(), false);
    return directory;
  }

  /**
   * Counts the changes of any dataset's data version this process has seen (its own loads and
   * other replicas'): answers computed at one generation hold until the next.
   */
  get generation(): number {
    return this.changes;
  }

  get(name: string): DatasetState | undefined {
    return this.datasets.get(name);
  }

  /**
   * The earliest upload of the dataset holding exactly this content in one of `statuses` (other
   * than `exceptIds`): what makes a second upload of one file a DUPLICATE. Exact for these two
   * statuses only: reaching either changes what readers see, so it bumps the dataset's data
   * version, and a `refresh()` just before asking has re-read the ledger if another replica did.
   */
  findByContent(
    dataset: string,
    sha256: string,
    statuses: ReadonlyArray<'LOADED' | 'REPLACED'>,
    exceptIds: readonly string[],
  ): Upload | null {
    const state = this.datasets.get(dataset);
    if (!state) return null;
    let found: Upload | null = null;
    for (const upload of state.uploads.values()) {
      if (
        upload.sha256 !== sha256 ||
        !(statuses as readonly string[]).includes(upload.status) ||
        exceptIds.includes(upload.id)
      )
        continue;
      if (
        !found ||
        upload.createdAt.getTime() < found.createdAt.getTime() ||
        (upload.createdAt.getTime() === found.createdAt.getTime() && upload.id < found.id)
      )
        found = upload;
    }
    return found;
  }

  /**
   * Datasets that hold data queries can see. One whose uploads were all refused (or are still on
   * their way) is left out: listing it with 0 rows would look like a dataset with no sales.
   */
  list(kind?: DatasetKindName): DatasetState[] {
    return [...this.datasets.values()]
      .filter((d) => d.loadedUploads > 0 && (!kind || d.kind === kind))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * The kind a dataset's uploads have settled: that of any upload not REJECTED. A dataset whose
   * uploads were all rejected has none yet (a wrong kind on a first try must not stick).
   */
  kindOf(name: string): DatasetKindName | undefined {
    const state = this.datasets.get(name);
    if (!state) return undefined;
    for (const upload of state.uploads.values()) if (upload.status !== 'REJECTED') return upload.kind;
    return undefined;
  }

  /** Records an upload's current status; bumps the shared data version when readers must notice. */
  async apply(upload: Upload): Promise<void> {
    const { state, readersChanged } = this.applyState(upload);
    if (!readersChanged) return;
    // Once when what readers see changes (now), once when the new version number is known: an
    // answer computed in between is keyed by a generation no later request will use.
    this.changes += 1;
    state.dataVersion = await this.versions.bump(upload.dataset);
    this.changes += 1;
    if (upload.status === 'LOADED' || upload.status === 'REPLACED')
      await this.versions.announce({
        dataset: upload.dataset,
        dataVersion: state.dataVersion,
        uploadId: upload.id,
        status: upload.status,
      });
  }

  /**
   * Every dataset change announced from now on, by this replica or another: each arrives once this
   * directory has caught up with it (re-read the dataset from the ledger), so whoever is told can
   * query the new data here at once. Ends when the caller returns the iterator.
   */
  async dataChanges(): Promise<AsyncGenerator<DataChange>> {
    this.watching ??= this.versions.watch((change) => this.catchUp(change));
    await this.watching;
    const events = on(this.changeEvents, 'change');
    return (async function* () {
      for await (const [change] of events) yield change as DataChange;
    })();
  }

  private catchUp(change: DataChange): void {
    // One at a time and in order: a later notice never overtakes an earlier one.
    this.catchingUp = this.catchingUp
      .then(() => this.refresh())
      // Without the shared counters the notice still holds: readers re-query and get what there is.
      .catch(() => undefined)
      .then(() => void this.changeEvents.emit('change', change));
  }

  /** Re-reads from the ledger every dataset another replica has changed since this one last looked. */
  async refresh(): Promise<void> {
    await this.syncVersions(await this.versions.readAll(), true);
  }

  async close(): Promise<void> {
    await this.versions.close();
  }

  private async syncVersions(shared: SharedVersions, reload: boolean): Promise<void> {
    if (this.epoch !== undefined && shared.epoch !== this.epoch) await this.resync(shared.versions, reload);
    this.epoch = shared.epoch;
    for (const [name, version] of shared.versions) {
      const local = this.datasets.get(name);
      if (local?.dataVersion === version) continue;
      this.changes += 1;
      if (reload && this.options.loadUploads) {
        this.datasets.delete(name);
        for (const upload of await this.options.loadUploads(name)) this.applyState(upload);
      }
      const state = this.datasets.get(name);
      if (state) state.dataVersion = version;
    }
  }

  /**
   * The shared counters were lost and count again from 0: whatever changed meanwhile may have left
   * no trace in them, so every dataset is read again from the ledger and takes the shared value
   * (0 for one they do not list yet).
   */
  private async resync(versions: Map<string, number>, reload: boolean): Promise<void> {
    this.changes += 1;
    for (const name of [...this.datasets.keys()]) {
      if (reload && this.options.loadUploads) {
        this.datasets.delete(name);
        for (const upload of await this.options.loadUploads(name)) this.applyState(upload);
      }
      const state = this.datasets.get(name);
      if (state) state.dataVersion = versions.get(name) ?? 0;
    }
  }

  private applyState(upload: Upload): { state: MutableState; readersChanged: boolean } {
    let state = this.datasets.get(upload.dataset);
    if (!state) {
      state = {
        name: upload.dataset,
        kind: upload.kind,
        columns: new Set(),
        completeColumns: new Set(),
        loadedUploads: 0,
        rows: 0,
        dataVersion: 0,
        stateKey: stateKeyOf(readerKeyOf([], [])),
        lastIngestAt: null,
        createdAt: upload.createdAt,
        hiddenUploads: new Set(),
        uploads: new Map(),
        readerKey: readerKeyOf([], []),
      };
      this.datasets.set(upload.dataset, state);
    }
    state.uploads.set(upload.id, upload);
    state.kind = this.kindOf(upload.dataset) ?? upload.kind;
    return { state, readersChanged: recompute(state, upload) };
  }
}

/**
 * Derives every field from the dataset's uploads, so any order of status changes gives one answer.
 * Returns whether the visible or hidden uploads changed.
 */
function recompute(state: MutableState, changed: Upload): boolean {
  const all = [...state.uploads.values()];
  const loaded = all.filter((u) => u.status === 'LOADED');
  const superseded = new Set(loaded.flatMap((u) => (u.mode === 'REPLACE' && u.replaces ? [u.replaces] : [])));
  const visible = loaded.filter((u) => !superseded.has(u.id));
  state.hiddenUploads = new Set([
    ...all.filter((u) => u.status === 'LOADING').map((u) => u.id),
    ...loaded.filter((u) => superseded.has(u.id)).map((u) => u.id),
  ]);
  state.columns = new Set(visible.flatMap((u) => u.columns));
  // An upload not counted yet (loaded by an older version) has nothing known complete.
  const completeOf = (u: Upload) => u.completeColumns ?? [];
  state.completeColumns = new Set(
    (visible[0] ? completeOf(visible[0]) : []).filter((c) => visible.every((u) => completeOf(u).includes(c))),
  );
  state.loadedUploads = visible.length;
  state.rows = visible.reduce((sum, u) => sum + u.rowsLoaded, 0);
  const readerKey = readerKeyOf(
    visible.map((u) => u.id),
    [...state.hiddenUploads],
  );
  if (readerKey === state.readerKey) return false;
  state.readerKey = readerKey;
  state.stateKey = stateKeyOf(readerKey);
  if (changed.status === 'LOADED') state.lastIngestAt = changed.finishedAt ?? new Date();
  return true;
}

function readerKeyOf(visible: string[], hidden: string[]): string {
  return `${[...visible].sort().join(',')}|${[...hidden].sort().join(',')}`;
}

function stateKeyOf(readerKey: string): string {
  return createHash('sha256').update(readerKey).digest('base64url').slice(0, 22);
}
