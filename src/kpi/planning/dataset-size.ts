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
 * last bucket of the coarsest state level and the exact distinct count of each state column over
 * the visible uploads. Null for kinds without such a level (they have no size rule).
 */
export function datasetSizeStatement(
  kind: KpiKindDefinition,
  database: string,
  dataset: { readonly name: string; readonly hiddenUploads: ReadonlySet<string> },
): Sql | null {
  const level = sizeLevel(kind);
  if (!level) return null;
  const time = trustedIdentifier(level.timeColumn);
  const columns = (level.distinctStates ?? []).map(
    (column) =>
      sql`uniqExactMerge(${trustedIdentifier(`${column}U`)}) AS ${trustedIdentifier(`d_${column}`)}`,
  );
  const hidden = [...dataset.hiddenUploads].sort();
  const conditions = [sql`dataset = ${dataset.name}`];
  if (hidden.length > 0) conditions.push(sql`upload_id NOT IN ${hidden}`);
  return sql`SELECT ${joinSql([
    sql`toString(toUnixTimestamp(min(${time}))) AS first_bucket`,
    sql`toString(toUnixTimestamp(max(${time}))) AS last_bucket`,
    sql`toString(count()) AS level_rows`,
    ...columns,
  ])}
FROM ${trustedTable(database, level.table)}
WHERE ${joinSql(conditions, ' AND ')}`;
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
    fromMs: Number(row.first_bucket) * 1000,
    toMs: Number(row.last_bucket) * 1000 + level.bucketMs,
    distinct,
  };
}
