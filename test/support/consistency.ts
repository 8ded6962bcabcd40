import { DATASET_KINDS, tablesOf, type RollupLevel } from '../../src/datasets/dataset-kinds';
import { param, sql, trustedIdentifier, trustedSql, trustedTable } from '../../src/warehouse/sql';
import type { Warehouse } from '../../src/warehouse/warehouse';

/** Rollup sum → the raw expression it must equal, for every measure the rollups keep. */
const MEASURES: Record<string, string> = {
  transactions: 'count()',
  grossRevenueSum: 'sum(grossRevenue)',
  returnsValueSum: 'sum(ifNull(returnsValue, 0))',
  returnsValueRows: 'count(returnsValue)',
  unitsSoldSum: 'sum(ifNull(unitsSold, 0))',
  unitsSoldRows: 'count(unitsSold)',
  unitsReturnedSum: 'sum(ifNull(unitsReturned, 0))',
  unitsReturnedRows: 'count(unitsReturned)',
  totalCostSum: 'sum(ifNull(totalCost, 0))',
  totalCostRows: 'count(totalCost)',
  lineItemCountSum: 'sum(ifNull(lineItemCount, 0))',
  lineItemCountRows: 'count(lineItemCount)',
  accountRows: 'count(account)',
  itemRows: 'count(item)',
  customerRows: 'count(customer)',
};

/**
 * The dataset's raw rows and, per rollup level and bucket, every rollup total next to the same
 * total computed from the raw rows: equal when nothing was double-counted or half-loaded anywhere.
 */
export async function rawAndRollups(
  warehouse: Warehouse,
  dataset: string,
  rollups: readonly RollupLevel[] = DATASET_KINDS.sales.rollups,
): Promise<{ rawRows: number; levels: { grain: string; raw: string[]; rollup: string[] }[] }> {
  const db = warehouse.database;
  const names = Object.keys(MEASURES);
  const levels = [];
  for (const level of rollups) {
    // The bucket a raw row falls in: rollup buckets start at multiples of their length since the epoch.
    const seconds = param(level.bucketMs / 1000, 'UInt32');
    const bucket = sql`toDateTime(intDiv(toUnixTimestamp(time), ${seconds}) * ${seconds}, 'UTC')`;
    const rawSums = trustedSql(names.map((n) => `toString(${MEASURES[n]})`).join(", ' ', "));
    const { rows: raw } = await warehouse.query<{ line: string }>(
      sql`SELECT concat(toString(${bucket}), ' ', ${rawSums}) AS line FROM ${trustedTable(db, 'sales_raw')}
          WHERE dataset = ${dataset} GROUP BY ${bucket} ORDER BY line`,
    );
    const time = trustedIdentifier(level.timeColumn);
    const rollupSums = trustedSql(names.map((n) => `toString(sum(${n}))`).join(", ' ', "));
    const { rows: rollup } = await warehouse.query<{ line: string }>(
      sql`SELECT concat(toString(${time}), ' ', ${rollupSums}) AS line FROM ${trustedTable(db, level.table)}
          WHERE dataset = ${dataset} GROUP BY ${time} ORDER BY line`,
    );
    levels.push({ grain: level.grain, raw: raw.map((r) => r.line), rollup: rollup.map((r) => r.line) });
  }
  const { rows: count } = await warehouse.query<{ n: string }>(
    sql`SELECT count() AS n FROM ${trustedTable(db, 'sales_raw')} WHERE dataset = ${dataset}`,
  );
  return { rawRows: Number(firstRow(count).n), levels };
}

/** The first row of a result that must have one. */
export function firstRow<T>(rows: readonly T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error('The statement returned no row');
  return row;
}

/**
 * Raw rows equal `rows` exactly once, and every total of every rollup equals the raw one (of the
 * `rollups` given: a database migrated only part of the way has only the older ones).
 */
export async function expectLoadedOnce(
  warehouse: Warehouse,
  dataset: string,
  rows: number,
  rollups: readonly RollupLevel[] = DATASET_KINDS.sales.rollups,
): Promise<void> {
  const state = await rawAndRollups(warehouse, dataset, rollups);
  if (state.rawRows !== rows)
    throw new Error(`${dataset}: expected ${rows} raw rows, found ${state.rawRows}`);
  for (const level of state.levels) {
    if (level.raw.length === 0 && rows > 0)
      throw new Error(`${dataset}: no ${level.grain} buckets from ${rows} raw rows`);
    if (JSON.stringify(level.raw) !== JSON.stringify(level.rollup)) {
      throw new Error(
        `${dataset}: the ${level.grain} rollup differs from raw:\nraw    ${level.raw.join('\n       ')}\nrollup ${level.rollup.join('\n       ')}`,
      );
    }
  }
}

/** Every table of the sales kind holding `n` rows of an upload: what `rowsOfUpload` returns after a removal. */
export function salesTablesWith(n: number): Record<string, number> {
  return Object.fromEntries(tablesOf(DATASET_KINDS.sales).map((table) => [table, n]));
}

/** Rows an upload has in each table its kind writes (raw, then every rollup), by table name. */
export async function rowsOfUpload(warehouse: Warehouse, uploadId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tablesOf(DATASET_KINDS.sales)) {
    const { rows } = await warehouse.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${trustedTable(warehouse.database, table)} WHERE upload_id = ${uploadId}`,
    );
    counts[table] = Number(firstRow(rows).n);
  }
  return counts;
}

/** Staging tables left in the database (a load drops its own; recovery drops a dead one's). */
export async function stagesLeft(warehouse: Warehouse): Promise<string[]> {
  const { rows } = await warehouse.query<{ name: string }>(
    sql`SELECT name FROM system.tables WHERE database = ${warehouse.database} AND startsWith(name, 'upload_stage_') ORDER BY name`,
  );
  return rows.map((r) => r.name);
}
