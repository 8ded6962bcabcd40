import { DATASET_KINDS, tablesOf, type RollupGrain } from '../datasets/dataset-kinds';
import type { Upload } from '../datasets/upload';
import { joinSql, sql, trustedIdentifier, trustedSql, trustedTable, type Sql } from '../warehouse/sql';
import type { Warehouse } from '../warehouse/warehouse';
import { STAGE_PREFIX, stageTable } from './staged-load';

export interface UploadRowCounts {
  /** Rows of the upload in the raw table. */
  readonly raw: number;
  /** Rows each rollup counted for it. */
  readonly rollups: ReadonlyArray<{ readonly grain: RollupGrain; readonly rows: number }>;
  /** Filled cells of each optional column the file carried. */
  readonly filled: ReadonlyMap<string, number>;
}

/**
 * The rows one upload wrote, in the raw table and the rollups of its kind: counted after a load,
 * deleted before a retry, after a failure and when a replacement supersedes them. Beside the
 * ledger (which records uploads), this is the only code that addresses data by upload.
 */
export class UploadRowsRepository {
  constructor(
    private readonly warehouse: Warehouse,
    private readonly cluster?: string,
  ) {}

  private table(name: string): Sql {
    return trustedTable(this.warehouse.database, name);
  }

  /**
   * Deletes whatever a load of this upload wrote: its staging table, if one is left, and its rows
   * in the raw table and every rollup of its kind.
   */
  async remove(upload: Upload): Promise<void> {
    const kind = DATASET_KINDS[upload.kind];
    const tables = tablesOf(kind);
    // One statement counts every table (and finds a staging table): each statement costs a fixed
    // amount in chDB, and an ALTER … DELETE (a mutation) is only worth sending where rows exist.
    const counts = tables.map(
      (table, i) =>
        sql`SELECT ${trustedSql(String(i))} AS i, count() AS n FROM ${this.table(table)} WHERE ${ofUpload(upload)}`,
    );
    const stage = stageTable(upload.id);
    if (kind.rollups.length > 0)
      counts.push(
        sql`SELECT -1 AS i, count() AS n FROM system.tables WHERE database = ${this.warehouse.database} AND name = ${stage}`,
      );
    const { rows } = await this.warehouse.query<{ i: number; n: string }>(joinSql(counts, '\nUNION ALL\n'));
    const held = new Map(rows.map((row) => [Number(row.i), Number(row.n)]));
    if ((held.get(-1) ?? 0) > 0) await this.dropStage(stage);
    for (const [i, table] of tables.entries()) {
      const n = held.get(i);
      if (n === undefined) throw new Error(`No row count came back for ${table}`);
      if (n === 0) continue;
      await this.warehouse.command(this.deleteStatement(upload, table), {
        settings: { mutations_sync: '2' },
      });
    }
  }

  /**
   * At start: drops the staging tables of uploads that are not loading (a process died between
   * staging a file and dropping its stage). `loading`: uploads whose stage may still be in use.
   */
  async removeLeftoverStages(loading: readonly Upload[]): Promise<string[]> {
    const keep = new Set(loading.map((u) => stageTable(u.id)));
    const { rows } = await this.warehouse.query<{ name: string }>(
      sql`SELECT name FROM system.tables WHERE database = ${this.warehouse.database} AND startsWith(name, ${STAGE_PREFIX})`,
    );
    const leftover = rows.map((r) => r.name).filter((name) => !keep.has(name));
    for (const name of leftover) await this.dropStage(name);
    return leftover;
  }

  private dropStage(stage: string): Promise<void> {
    return this.warehouse.command(sql`DROP TABLE IF EXISTS ${this.table(stage)} SYNC`);
  }

  /**
   * On one node, a mutation of the table. On a cluster (clickhouse/migrations/cluster/) rows of a
   * kind with rollups live in the shards' `*_local` tables behind a Distributed table, which takes
   * no mutation: the delete goes to the local tables on every shard. A registry (no rollups) is
   * one replicated table on every node: a mutation on one replica reaches the others, as for the
   * ledger and the row errors.
   */
  deleteStatement(upload: Upload, table: string): Sql {
    const sharded = this.cluster !== undefined && DATASET_KINDS[upload.kind].rollups.length > 0;
    if (!this.cluster || !sharded)
      return sql`ALTER TABLE ${this.table(table)} DELETE WHERE ${ofUpload(upload)}`;
    const target = this.table(`${table}_local`);
    return sql`ALTER TABLE ${target} ON CLUSTER ${trustedIdentifier(this.cluster)} DELETE WHERE ${ofUpload(upload)}`;
  }

  /**
   * Raw rows of the upload and the rows each rollup counted: equal unless something double-inserted
   * or a fill missed rows. A kind without rollups (a registry) has nothing to disagree with. Also
   * the filled cells of each optional column the file carried (its coverage, in one pass).
   */
  async count(upload: Upload): Promise<UploadRowCounts> {
    const kind = DATASET_KINDS[upload.kind];
    const optional = kind.columns
      .filter((c) => !c.required && upload.columns.includes(c.name))
      .map((c) => c.name);
    const alias = (prefix: string, i: number) => trustedIdentifier(`${prefix}${i}`);
    const counts = [
      sql`count() AS raw`,
      ...optional.map((column, i) => sql`count(${trustedIdentifier(column)}) AS ${alias('filled', i)}`),
      ...kind.rollups.map(
        (level, i) =>
          sql`(SELECT sum(transactions) FROM ${this.table(level.table)} WHERE ${ofUpload(upload)}) AS ${alias('rollup', i)}`,
      ),
    ];
    const { rows } = await this.warehouse.query<Record<string, string>>(
      sql`SELECT ${joinSql(counts)} FROM ${this.table(kind.rawTable)} WHERE ${ofUpload(upload)}`,
    );
    const row = rows[0];
    if (!row) throw new Error(`No count came back for upload ${upload.id}`);
    return {
      raw: Number(row.raw),
      rollups: kind.rollups.map((level, i) => ({ grain: level.grain, rows: Number(row[`rollup${i}`]) })),
      filled: new Map(optional.map((column, i) => [column, Number(row[`filled${i}`])])),
    };
  }
}

/** The rows one upload wrote, in any table of its kind. */
function ofUpload(upload: Upload): Sql {
  return sql`dataset = ${upload.dataset} AND upload_id = ${upload.id}`;
}
