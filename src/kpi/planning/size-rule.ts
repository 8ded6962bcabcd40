import type { RollupLevel } from '../../datasets/dataset-kinds';
import type { KpiKindDefinition } from '../definitions/kind-definition';
import type { TimeRange } from '../kpi-types';
import type { DatasetSize, QuerySource } from './planner-types';

/**
 * The planner's size rule (docs/rollups.md, "Which table answers"): among the plans that answer a
 * request exactly (the raw table, the coarsest single rollup, whole buckets stitched with edges),
 * take the one estimated to read least. Costs are in raw-row equivalents: each table a statement
 * reads costs a fixed amount (the engine's per-sub-select cost, `FIXED_ROWS`), a raw row one per
 * sum and `UNIQUE_WEIGHT` more per exact distinct count, a rollup row one, and each hash of a
 * distinct state merged `UNIQUE_WEIGHT` (merging a hash costs about what raw `uniqExact` costs per
 * row). Raw rows in a range are estimated as the dataset's rows spread evenly over its time span.
 */
export const FIXED_ROWS = 60_000;
export const UNIQUE_WEIGHT = 0.8;

/** One plan's reads: the tables (pieces) and the ranges each covers. */
export interface PlanReads {
  readonly pieces: ReadonlyArray<{ readonly source: QuerySource; readonly ranges: readonly TimeRange[] }>;
}

/** Raw rows a set of ranges is expected to hold: rows × (overlap with the data's span) / span. */
export function estimatedRows(size: DatasetSize, ranges: readonly TimeRange[]): number {
  const span = Math.max(1, size.toMs - size.fromMs);
  let overlap = 0;
  for (const range of ranges)
    overlap += Math.max(
      0,
      Math.min(range.to.getTime(), size.toMs) - Math.max(range.from.getTime(), size.fromMs),
    );
  return (size.rows * overlap) / span;
}

/**
 * Distinct values of a column expected in one bucket of `rows` rows, from the distinct values `d`
 * of a reference bucket (a day): a bucket at least that long holds about d; a shorter one draws
 * its rows from them, d·(1 − e^(−rows/d)). Without a known d, every row is distinct.
 */
export function distinctPerBucket(rows: number, reference: { distinct?: number; longer: boolean }): number {
  const d = reference.distinct;
  if (d === undefined || d <= 0) return rows;
  if (reference.longer) return Math.min(rows, d);
  return d * (1 - Math.exp(-rows / d));
}

/** The estimated cost of a plan, in raw-row equivalents. */
export function planCost(
  size: DatasetSize,
  kind: KpiKindDefinition,
  plan: PlanReads,
  distinctColumns: readonly string[],
): number {
  let cost = 0;
  for (const piece of plan.pieces) {
    cost += FIXED_ROWS;
    const rows = estimatedRows(size, piece.ranges);
    const level = piece.source === 'raw' ? null : kind.tables.rollups.find((l) => l.grain === piece.source);
    if (!level) {
      cost += rows * (1 + UNIQUE_WEIGHT * distinctColumns.length);
      continue;
    }
    cost += levelCost(size, level, piece.ranges, { rows, distinctColumns });
  }
  return cost;
}

/** Rows of a rollup level in the ranges, plus the hashes of the distinct states merged from it. */
function levelCost(
  size: DatasetSize,
  level: RollupLevel,
  ranges: readonly TimeRange[],
  read: { rows: number; distinctColumns: readonly string[] },
): number {
  const buckets = ranges.reduce(
    (n, r) => n + Math.ceil((r.to.getTime() - r.from.getTime()) / level.bucketMs),
    0,
  );
  const rowsPerBucket = buckets > 0 ? read.rows / buckets : 0;
  const perBucket = (column: string) =>
    distinctPerBucket(rowsPerBucket, {
      distinct: size.distinct[column],
      longer: level.bucketMs >= size.distinctBucketMs,
    });
  // A level keyed by dimensions has a row per combination present in a bucket (all of them: at most its raw rows).
  const keys = level.keyDimensions;
  const levelRows = keys
    ? buckets * keys.reduce((n, dimension) => n * perBucket(dimension), 1)
    : Math.min(read.rows, buckets * rowsPerBucket);
  // Merged states hold a bucket's distinct values; a level keyed by the column counts its rows' values.
  const hashes = read.distinctColumns.reduce((n, column) => n + buckets * perBucket(column), 0);
  return levelRows + UNIQUE_WEIGHT * hashes;
}

/** The columns whose exact distinct count a set of measures asks for (`<column>Distinct`). */
export function distinctColumnsOf(kind: KpiKindDefinition, measures: readonly string[]): string[] {
  return measures.flatMap((id) => {
    const partial = kind.measures.get(id)?.partial;
    return typeof partial === 'object' ? [partial.distinctOf] : [];
  });
}
