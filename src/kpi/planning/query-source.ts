import type { RollupLevel } from '../../datasets/dataset-kinds';
import { trustedIdentifier, trustedSql, trustedTable, type Sql } from '../../warehouse/sql';
import type { KpiKindDefinition } from '../definitions/kind-definition';
import type { KpiRequest, MeasureDef } from '../kpi-types';
import type { QuerySource } from './planner-types';
import { GRAIN_BOUNDARY_MS, HOUR_MS } from './time-buckets';
import { offsetsAreMultiplesOf } from './time-zones';

/**
 * Why a rollup level cannot answer a request exactly, or null when it can: it must hold every
 * measure, have the filtered/grouped dimensions in its key (every level has the same key), and
 * every boundary must fall on one of its UTC buckets: the range ends and, for series and the
 * hour-of-day pattern, every local bucket. Local buckets start on local hours or midnights; those
 * are UTC bucket boundaries only when the grain's boundaries are whole buckets of the level (never
 * HOUR on the daily level) and the zone's offset is a multiple of the bucket over the whole range
 * (whole hours for hourly; 0 for daily).
 */
export function rollupMismatch(
  request: KpiRequest,
  kind: KpiKindDefinition,
  measures: readonly string[],
  level: RollupLevel,
): string | null {
  const defs = measures.map((id) => kind.measures.get(id));
  if (!defs.every((def) => def !== undefined && rollupSqlOf(def, level) !== null))
    return `a measure is not in the ${level.grain} rollup`;
  const dimensions = [
    ...Object.keys(request.filters),
    ...(request.shape.type === 'breakdown' ? [request.shape.by] : []),
  ];
  const keyed = level.keyDimensions ?? kind.dimensions;
  if (!dimensions.every((d) => keyed.includes(d)))
    return `a filtered or grouped dimension is not in the ${level.grain} rollup key`;
  if (
    request.range.from.getTime() % level.bucketMs !== 0 ||
    request.range.to.getTime() % level.bucketMs !== 0
  )
    return `the range does not start and end on ${level.grain} UTC boundaries`;
  const shape = request.shape;
  if (shape.type === 'series' || shape.type === 'hourOfDay') {
    const boundaryMs = shape.type === 'series' ? GRAIN_BOUNDARY_MS[shape.grain] : HOUR_MS;
    if (boundaryMs % level.bucketMs !== 0) return `local buckets are finer than the ${level.grain} rollup`;
    if (!offsetsAreMultiplesOf(request.timeZone, request.range, level.bucketMs / 60_000))
      return `local buckets in ${request.timeZone} do not fall on ${level.grain} UTC boundaries`;
    // Merging an exact distinct state costs about what raw uniqExact costs per row: a local
    // bucket merging many finer states per bucket is no faster than the raw rows (docs/rollups.md).
    if (boundaryMs !== level.bucketMs && measures.some((id) => readsStates(level, id)))
      return `distinct states of the ${level.grain} rollup would be merged per local bucket`;
  }
  return null;
}

/** A measure's SQL on a rollup level, or null where the level cannot answer it. */
export function rollupSqlOf(def: MeasureDef, level: RollupLevel): string | null {
  return typeof def.rollup === 'function' ? def.rollup(level) : def.rollup;
}

/** Whether a measure of the level is an exact distinct state (`<column>U`) merged at read time. */
function readsStates(level: RollupLevel, measureId: string): boolean {
  return (level.distinctStates ?? []).some((column) => measureId === `${column}Distinct`);
}

/** The coarsest rollup that answers exactly (fewest rows read), else the raw table: exact, only slower. */
export function chooseSource(
  request: KpiRequest,
  kind: KpiKindDefinition,
  measures: readonly string[],
): QuerySource {
  const level = kind.tables.rollups.find(
    (candidate) => rollupMismatch(request, kind, measures, candidate) === null,
  );
  return level ? level.grain : 'raw';
}

/** The rollup level a source names; null for the raw table. */
export function rollupLevelOf(kind: KpiKindDefinition, source: QuerySource): RollupLevel | null {
  if (source === 'raw') return null;
  const level = kind.tables.rollups.find((candidate) => candidate.grain === source);
  if (!level) throw new Error(`KPI kind ${kind.kind} has no ${source} rollup`);
  return level;
}

/**
 * The source a request reads: the forced one (after checking that it answers exactly) or the
 * cheapest that does.
 */
export function resolveSource(
  request: KpiRequest,
  kind: KpiKindDefinition,
  measures: readonly string[],
  forced: QuerySource | undefined,
): QuerySource {
  const source = forced ?? chooseSource(request, kind, measures);
  const level = rollupLevelOf(kind, source);
  const mismatch = level && rollupMismatch(request, kind, measures, level);
  if (mismatch) throw new Error(`The ${source} rollup cannot answer this request exactly: ${mismatch}`);
  return source;
}

/** The time column a source is filtered and bucketed on. */
export function timeColumnOf(kind: KpiKindDefinition, source: QuerySource): Sql {
  return trustedIdentifier(rollupLevelOf(kind, source)?.timeColumn ?? 'time');
}

/** `db.table` of a kind for a source. */
export function tableOf(database: string, kind: KpiKindDefinition, source: QuerySource): Sql {
  return trustedTable(database, rollupLevelOf(kind, source)?.table ?? kind.tables.rawTable);
}

/** A measure's SQL on a source of a kind. */
export function measureSql(def: MeasureDef, kind: KpiKindDefinition, source: QuerySource): Sql {
  const level = rollupLevelOf(kind, source);
  if (!level) return trustedSql(def.raw);
  const text = rollupSqlOf(def, level);
  if (text === null) throw new Error(`Measure ${def.id} is not in the ${source} rollup`);
  return trustedSql(text);
}
