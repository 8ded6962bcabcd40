import type { ClickHouseSettings } from '@clickhouse/client';
import type { DatasetKindDef } from '../datasets/dataset-kinds';
import { joinSql, sql, trustedTable, type Sql } from '../warehouse/sql';
import { CSV_SETTINGS, csvStructure, loadColumns, rowOk, type CsvLayout } from './csv-rules';
import { objectGuard } from './object-identity';

/**
 * Settings every load runs with: the shared CSV reader rules, and no insert deduplication (an
 * upload's rows are identified by upload_id and removed before any retry, so a block hash would
 * only hide legitimately repeated rows).
 */
export const LOAD_SETTINGS: ClickHouseSettings = { ...CSV_SETTINGS, insert_deduplicate: 0 };

/**
 * Files up to this size load without merging equal rollup keys as they are inserted
 * (`optimize_on_insert = 0`). It was measured when the daily rollup re-aggregated hourly rows
 * without grouping them (docs/architecture.md, "Measured reasons"); since migration 0010 the
 * file goes into a staging table and each rollup fill groups its rows itself, so the setting
 * should change nothing. Kept until a load benchmark says so.
 */
export const SMALL_LOAD_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The settings of one load. `optimize_on_insert` is always spelled out: chDB applies statement
 * settings with `SET`, which stays on the session for the statements after it.
 */
export function loadSettings(bytes: number): ClickHouseSettings {
  return { ...LOAD_SETTINGS, optimize_on_insert: bytes <= SMALL_LOAD_MAX_BYTES ? 0 : 1 };
}

/**
 * A write of a load into replicated tables (a ClickHouse cluster, docs/scaling.md). The token
 * names this attempt of this upload and the table written: a block the client or a Distributed
 * queue sends twice is stored once (ClickHouse numbers the blocks of one INSERT after the token),
 * while the next attempt, which first removes the previous attempt's rows, is a new token and is
 * never mistaken for a repeat. upload_id in every rollup key keeps two uploads' equal aggregates
 * apart. The insert returns once the shards hold the rows, on a majority of each shard's
 * replicas, so the count check after the load sees them.
 */
export function replicatedLoadSettings(
  upload: { id: string; attempts: number },
  table: string,
): ClickHouseSettings {
  return {
    insert_deduplicate: 1,
    insert_deduplication_token: `${upload.id}:${upload.attempts}:${table}`,
    distributed_foreground_insert: 1,
    insert_quorum: 'auto',
  };
}

/** The message of the strict guard; the validation pass then finds every bad row. */
export const STRICT_GUARD_MESSAGE = 'The file has rows that are not valid';

export interface ObjectSource {
  readonly url: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** `s3(url, key, secret, 'CSVWithNames', structure)` with every value bound. */
export function s3Source(source: ObjectSource, layout: CsvLayout): Sql {
  return sql`s3(${source.url}, ${source.accessKeyId}, ${source.secretAccessKey}, 'CSVWithNames', ${csvStructure(layout)})`;
}

/**
 * `INSERT … SELECT … FROM s3(…)`: ClickHouse pulls the object itself. File columns are addressed
 * by position, so no header text ever reaches the SQL; canonical column names come from the
 * kind's registry. `strict`: the first bad row fails the whole statement (one pass over the file
 * when it is clean); otherwise bad rows are skipped by the same predicate validation reported.
 */
export function buildLoadStatement(input: {
  database: string;
  kind: DatasetKindDef;
  /** The table written: the kind's raw table unless the load goes through a staging table. */
  target?: string;
  layout: CsvLayout;
  dataset: string;
  uploadId: string;
  source: ObjectSource;
  strict: boolean;
  /** The version the gateway received: any other object at the key fails the statement. */
  expect?: { etag: string; bytes: number };
}): Sql {
  const columns = loadColumns(input.layout);
  const targets = joinSql([sql`dataset`, sql`upload_id`, ...columns.map((c) => c.target)]);
  const values = joinSql([sql`${input.dataset}`, sql`${input.uploadId}`, ...columns.map((c) => c.value)]);
  const ok = rowOk(input.layout);
  const rowGuard = input.strict ? sql`throwIf(NOT (${ok}), ${STRICT_GUARD_MESSAGE}) = 0` : ok;
  const guard = input.expect ? sql`${objectGuard(input.expect)} AND ${rowGuard}` : rowGuard;
  return sql`INSERT INTO ${trustedTable(input.database, input.target ?? input.kind.rawTable)} (${targets})
SELECT ${values}
FROM ${s3Source(input.source, input.layout)}
WHERE ${guard}`;
}
