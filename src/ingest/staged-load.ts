import type { ClickHouseSettings } from '@clickhouse/client';
import type { Logger } from '../config/logger';
import { DATASET_KINDS, type DatasetKindDef, type RollupLevel } from '../datasets/dataset-kinds';
import type { Upload } from '../datasets/upload';
import type { ObjectStore } from '../storage/object-store';
import { sql, trustedTable, type Sql } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import type { CsvLayout } from './csv-rules';
import {
  buildLoadStatement,
  loadSettings,
  replicatedLoadSettings,
  SMALL_LOAD_MAX_BYTES,
} from './load-statement';
import { loadLimitSettings, type LoadLimits } from './object-identity';
import { fillOrder, fillStatement } from './rollup-fill';

export interface StagedLoadDeps {
  readonly warehouse: Warehouse;
  readonly store: ObjectStore;
  readonly logger: Logger;
  readonly loadLimits?: LoadLimits;
  /** CLICKHOUSE_CLUSTER: the stage is local to the node; rows go through the Distributed tables. */
  readonly cluster?: string;
}

/** Prefix of every staging table; recovery drops those of uploads no longer loading. */
export const STAGE_PREFIX = 'upload_stage_';

/** The staging table of an upload: named after our own upload id (a UUID), never user text. */
export function stageTable(uploadId: string): string {
  if (!/^[0-9A-Za-z-]{1,64}$/.test(uploadId))
    throw new Error(`Not an upload id: ${JSON.stringify(uploadId)}`);
  return `${STAGE_PREFIX}${uploadId.replace(/-/g, '_')}`;
}

/**
 * Loads an upload's file into its kind's tables. A kind with rollups loads the file once into a
 * staging table of the upload's own (a plain typed load, no view on it), fills each rollup with
 * `INSERT … SELECT … GROUP BY` over the stage (or over a finer rollup of the same upload), moves
 * the stage's parts into the raw table, and drops the stage: each statement uses every core and
 * reads only this upload, where materialized views on the raw table ran in the insert's pipeline
 * (measured in docs/rollups.md, "Loads"). A registry (no rollups) loads straight into its table.
 * The caller's count check (raw = every rollup) guards the whole path; until it passes the upload
 * is LOADING, hidden from every reader.
 */
export class StagedLoad {
  constructor(private readonly deps: StagedLoadDeps) {}

  private table(name: string): Sql {
    return trustedTable(this.deps.warehouse.database, name);
  }

  /**
   * Loads the upload's file (`strict`: the first bad row fails the statement; else bad rows are
   * skipped) and logs the milliseconds of each step (`upload load steps`, read by the benchmark).
   */
  async insert(upload: Upload, layout: CsvLayout, strict: boolean, etag?: string): Promise<void> {
    const kind = DATASET_KINDS[upload.kind];
    const steps: Record<string, number> = {};
    const step = async (name: string, work: () => Promise<unknown>) => {
      const started = Date.now();
      await work();
      steps[name] = Date.now() - started;
    };
    const load = (target: string, settings: ClickHouseSettings) =>
      this.deps.warehouse.command(
        buildLoadStatement({
          database: this.deps.warehouse.database,
          kind,
          target,
          layout,
          dataset: upload.dataset,
          uploadId: upload.id,
          source: this.deps.store.clickhouseSource(upload.objectKey),
          strict,
          expect: etag ? { etag, bytes: upload.bytes } : undefined,
        }),
        {
          settings: {
            ...loadSettings(upload.bytes),
            ...loadLimitSettings(this.deps.loadLimits),
            ...settings,
          },
        },
      );
    if (kind.rollups.length === 0) {
      const settings = this.deps.cluster ? replicatedLoadSettings(upload, kind.rawTable) : {};
      await load(kind.rawTable, settings);
      return;
    }
    const stage = stageTable(upload.id);
    await step('stage create', () => this.deps.warehouse.command(this.createStage(kind, stage)));
    await step('stage load', () => load(stage, {}));
    await this.fromStage(upload, stage, step);
    this.deps.logger.info('upload load steps', { uploadId: upload.id, dataset: upload.dataset, steps });
  }

  /**
   * The rest of a staged load, once the upload's rows are in `stage`: every rollup filled, the rows
   * moved into the raw table, the stage dropped. `step` times each statement.
   */
  async fromStage(
    upload: Pick<Upload, 'id' | 'dataset' | 'kind' | 'attempts' | 'bytes'>,
    stage: string,
    step: (name: string, work: () => Promise<unknown>) => Promise<void> = (_name, work) =>
      work().then(() => undefined),
  ): Promise<void> {
    const { warehouse } = this.deps;
    const kind = DATASET_KINDS[upload.kind];
    const fill = (level: RollupLevel) => {
      const source = level.from ? kind.rollups.find((l) => l.grain === level.from) : undefined;
      const statement = fillStatement({
        kind,
        level,
        target: this.table(level.table),
        source: source ? this.fromLevel(upload, source.table) : this.table(stage),
        sourceLevel: source,
      });
      return step(`fill ${level.grain}`, () =>
        warehouse.command(statement, this.writeSettings(upload, level.table)),
      );
    };
    const levels = fillOrder(kind);
    if (upload.bytes <= SMALL_LOAD_MAX_BYTES) {
      // A small file's fills cost mostly fixed per-statement work (analysis, a part written), much
      // of it on one thread: the warehouse's sessions run them side by side. A large file's run
      // one at a time, each on every core, so that their memory does not add up.
      await settleAll(levels.filter((l) => !l.from).map(fill));
      await settleAll(levels.filter((l) => l.from).map(fill));
    } else for (const level of levels) await fill(level);
    const move = this.moveStatement(kind, stage);
    await step('move', () => warehouse.command(move, this.writeSettings(upload, kind.rawTable)));
    await step('stage drop', () => warehouse.command(this.dropStage(stage)));
  }

  /** A finer rollup's rows of this upload alone. */
  private fromLevel(upload: Pick<Upload, 'id' | 'dataset'>, table: string): Sql {
    return sql`(SELECT * FROM ${this.table(table)} WHERE dataset = ${upload.dataset} AND upload_id = ${upload.id})`;
  }

  /**
   * One node: the raw table's structure, engine and keys, so that its parts can be attached to
   * the raw table. A cluster: the shard's local structure on a plain MergeTree of this node only.
   * The stage never merges its parts (no merge fits in a 1-byte limit): it lives for one load, and
   * merges of its parts took the cores from the load and the fills (docs/rollups.md, "Loads");
   * the raw table merges the attached parts afterwards, as it merges any insert's.
   */
  createStage(kind: DatasetKindDef, stage: string): Sql {
    const noMerges = sql`SETTINGS max_bytes_to_merge_at_max_space_in_pool = 1, max_bytes_to_merge_at_min_space_in_pool = 1`;
    if (!this.deps.cluster)
      return sql`CREATE TABLE ${this.table(stage)} AS ${this.table(kind.rawTable)} ${noMerges}`;
    return sql`CREATE TABLE ${this.table(stage)} AS ${this.table(`${kind.rawTable}_local`)} ENGINE = MergeTree ORDER BY tuple() ${noMerges}`;
  }

  /**
   * One node: the stage's parts become the raw table's (hard links, no rewrite). A cluster: the
   * rows go through the Distributed table to their shards.
   */
  moveStatement(kind: DatasetKindDef, stage: string): Sql {
    if (!this.deps.cluster)
      return sql`ALTER TABLE ${this.table(kind.rawTable)} ATTACH PARTITION ALL FROM ${this.table(stage)}`;
    return sql`INSERT INTO ${this.table(kind.rawTable)} SELECT * FROM ${this.table(stage)}`;
  }

  dropStage(stage: string): Sql {
    return sql`DROP TABLE IF EXISTS ${this.table(stage)} SYNC`;
  }

  /**
   * A fill's rows are grouped already: merging equal keys as they are inserted only costs time
   * (a quarter of the fills of 1 M rows, measured in docs/rollups.md). A cluster deduplicates each
   * write per (upload, attempt, target table): a block sent twice is stored once.
   */
  private writeSettings(
    upload: Pick<Upload, 'id' | 'attempts'>,
    table: string,
  ): { settings: ClickHouseSettings } {
    const replicated = this.deps.cluster ? replicatedLoadSettings(upload, table) : {};
    return { settings: { optimize_on_insert: 0, ...replicated } };
  }
}

/**
 * Waits for every fill before failing with the first error: the load's clean-up must not delete
 * an upload's rows while a fill may still write some.
 */
async function settleAll(work: ReadonlyArray<Promise<void>>): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
