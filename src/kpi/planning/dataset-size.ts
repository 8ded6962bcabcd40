import { joinSql, sql, trustedIdentifier, trustedTable, type Sql } from '../../warehouse/sql';
import type { KpiKindDefinition } from '../definitions/kind-definition';
import type { DatasetSize } from './planner-types';

/**
 * The level the size rule reads a dataset's span and distinct counts from: the coarsest
 * dimensionless level with exact distinct states (sales_d1: a row per day and upload).
 */
function sizeLevel(kind: KpiKindDefinition) {
  return [...kind.tables.rollups]
    .filter((level) => level.keyDimensions?.length === 0 && (level.distinctStates?.length ?? 0) > 0)
    .sort((a, b) => b.bucketMs - a.bucketMs)[0];
}

/**
 * One statement per data version of a dataset (the KPI service keeps its answer): the first and
 * last bucket of the coarsest state level over the visible uploads, and the exact distinct count
 * of each state column on its busiest bucket (one day's states are merged, never the whole
 * dataset's: that would hold every distinct value in memory at once). Null for kinds without such
 * a level (they have no size rule).
 */
export function datasetSizeStatement(
  kind: KpiKindDefinition,
  database: string,
  dataset: { readonly name: string; readonly hiddenUploads: ReadonlySet<string> },
): Sql | null {
  const level = sizeLevel(kind);
  if (!level) return null;
  const time = trustedIdentifier(level.timeColumn);
  const table = trustedTable(database, level.table);
  const columns = (level.distinctStates ?? []).map(
    (column) =>
      sql`uniqExactMerge(${trustedIdentifier(`${column}U`)}) AS ${trustedIdentifier(`d_${column}`)}`,
  );
  const hidden = [...dataset.hiddenUploads].sort();
  const conditions = [sql`dataset = ${dataset.name}`];
  if (hidden.length > 0) conditions.push(sql`upload_id NOT IN ${hidden}`);
  const visible = joinSql(conditions, ' AND ');
  return sql`WITH buckets AS (SELECT ${time} AS b, sum(transactions) AS n FROM ${table} WHERE ${visible} GROUP BY b)
SELECT ${joinSql([
    sql`(SELECT toString(toUnixTimestamp(min(b))) FROM buckets) AS first_bucket`,
    sql`(SELECT toString(toUnixTimestamp(max(b))) FROM buckets) AS last_bucket`,
    sql`(SELECT toString(count()) FROM buckets) AS level_rows`,
    ...columns,
  ])}
FROM ${table}
WHERE ${visible} AND ${time} = (SELECT argMax(b, n) FROM buckets)`;
}

/** The size from the statement's row and the ledger's visible rows; null when the level holds nothing. */
export function datasetSizeOf(
  kind: KpiKindDefinition,
  row: Record<string, unknown> | undefined,
  rows: number,
): DatasetSize | null {
  const level = sizeLevel(kind);
  if (!level || !row || Number(row.level_rows) === 0) return null;
  const distinct: Record<string, number> = {};
  for (const column of level.distinctStates ?? []) distinct[column] = Number(row[`d_${column}`]);
  return {
    rows,
    distinctBucketMs: level.bucketMs,
    fromMs: Number(row.first_bucket) * 1000,
    toMs: Number(row.last_bucket) * 1000 + level.bucketMs,
    distinct,
  };
}
