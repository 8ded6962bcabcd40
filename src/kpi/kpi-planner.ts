import {
  DATASET_KINDS,
  type DatasetKindName,
  type RollupGrain,
  type RollupLevel,
} from '../datasets/dataset-kinds';
import { badInput } from '../errors/app-error';
import { assertIdentifier, SqlParams, type SqlFragment } from '../warehouse/sql';
import { expressionSql, measuresOf, registryFor, type KindKpis } from './kpi-registry';
import type { Grain, KpiDef, KpiRequest, MeasureDef } from './kpi-types';
import { offsetsAreMultiplesOf } from './time-zones';

/** The table a query reads: a rollup level (by its grain) or the raw table. */
export type QuerySource = RollupGrain | 'raw';

export interface CompiledQuery {
  readonly kind: KpiRequest['kind'];
  readonly fragment: SqlFragment;
  readonly source: QuerySource;
  readonly measures: readonly string[];
  readonly kpis: readonly KpiDef[];
  /** Optional columns the statement treated as carried by every row (their coverage is not counted). */
  readonly completeColumns: ReadonlySet<string>;
}

export interface PlannerContext {
  readonly database: string;
  /** Uploads whose rows may be in the tables but must not be read yet (loading). */
  readonly hiddenUploads: readonly string[];
  /** Force a table (parity tests, benchmarks); the raw table can answer everything, a rollup only what it answers exactly (else an error). */
  readonly source?: QuerySource;
  /** Only what eligibility needs (row counts, denominators), no KPI values: what the catalog asks. */
  readonly supportOnly?: boolean;
  /**
   * Optional columns every row the query can read carries (every visible upload has them in
   * full, from its load's counts): their coverage is known without counting.
   */
  readonly completeColumns?: readonly string[];
}

export const MAX_SERIES_BUCKETS = 10_000;
export const MAX_FILTER_VALUES = 500;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const GRAIN_MS: Record<Grain, number> = { HOUR: HOUR_MS, DAY: DAY_MS, WEEK: 7 * DAY_MS, MONTH: 28 * DAY_MS };
/** Local buckets of a grain start on local hours (HOUR) or local midnights (DAY, WEEK, MONTH). */
const GRAIN_BOUNDARY_MS: Record<Grain, number> = { HOUR: HOUR_MS, DAY: DAY_MS, WEEK: DAY_MS, MONTH: DAY_MS };

/** Local-time bucket start for a grain, as a DateTime in the requested zone. */
export function bucketStart(grain: Grain, time: string, zone: string): string {
  switch (grain) {
    case 'HOUR':
      return `toStartOfHour(${time}, ${zone})`;
    case 'DAY':
      return `toStartOfDay(${time}, ${zone})`;
    case 'WEEK':
      return `toDateTime(toMonday(${time}, ${zone}), ${zone})`;
    case 'MONTH':
      return `toDateTime(toStartOfMonth(${time}, ${zone}), ${zone})`;
  }
}

export const INTERVAL: Record<Grain, string> = {
  HOUR: 'INTERVAL 1 HOUR',
  DAY: 'INTERVAL 1 DAY',
  WEEK: 'INTERVAL 1 WEEK',
  MONTH: 'INTERVAL 1 MONTH',
};

export function toDateTime64Param(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** Whole seconds only: refuses a time that would be truncated. */
export function toDateTimeParam(date: Date): string {
  if (date.getTime() % 1000 !== 0) throw new Error(`${date.toISOString()} is not on a whole second`);
  return toDateTime64Param(date).slice(0, 19);
}

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
  registry: KindKpis,
  measures: readonly string[],
  level: RollupLevel,
): string | null {
  if (!measures.every((id) => registry.measures.get(id)?.rollup != null))
    return 'a measure is only in the raw table';
  const dimensions = [
    ...Object.keys(request.filters),
    ...(request.shape.type === 'breakdown' ? [request.shape.by] : []),
  ];
  if (!dimensions.every((d) => registry.dimensions.includes(d)))
    return 'a filtered or grouped dimension is not in the rollup key';
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
  }
  return null;
}

/** The coarsest rollup that answers exactly (fewest rows read), else the raw table: exact, only slower. */
export function chooseSource(
  request: KpiRequest,
  registry: KindKpis,
  measures: readonly string[],
): QuerySource {
  const level = DATASET_KINDS[request.kind].rollups.find(
    (candidate) => rollupMismatch(request, registry, measures, candidate) === null,
  );
  return level ? level.grain : 'raw';
}

/** The rollup level a source names; null for the raw table. */
export function rollupLevelOf(kind: DatasetKindName, source: QuerySource): RollupLevel | null {
  if (source === 'raw') return null;
  const level = DATASET_KINDS[kind].rollups.find((candidate) => candidate.grain === source);
  if (!level) throw new Error(`Dataset kind ${kind} has no ${source} rollup`);
  return level;
}

/** The time column a source is filtered and bucketed on. */
export function timeColumnOf(kind: DatasetKindName, source: QuerySource): string {
  return assertIdentifier(rollupLevelOf(kind, source)?.timeColumn ?? 'time');
}

/** A measure's SQL on a source: every rollup level has the same columns, so one rollup expression serves all. */
export function measureSql(def: MeasureDef, source: QuerySource): string {
  if (source === 'raw') return def.raw;
  if (def.rollup === null) throw new Error(`Measure ${def.id} is not in the rollups`);
  return def.rollup;
}

/** `extraFilters`: filters a kind's planner resolves itself (turnout's region, through the registry). */
export function validateRequest(
  request: KpiRequest,
  registry: KindKpis,
  extraFilters: readonly string[] = [],
): void {
  const { from, to } = request.range;
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
    throw badInput('range.from and range.to must be valid date-times');
  if (from.getTime() >= to.getTime())
    throw badInput('range.from must be before range.to', { from: from.toISOString(), to: to.toISOString() });
  if (request.shape.type === 'series') {
    const buckets = Math.ceil((to.getTime() - from.getTime()) / GRAIN_MS[request.shape.grain]);
    if (buckets > MAX_SERIES_BUCKETS) {
      throw badInput(
        `A ${request.shape.grain} series over this range has ~${buckets} buckets; the maximum is ${MAX_SERIES_BUCKETS}. Use a coarser grain or a shorter range.`,
      );
    }
  }
  for (const [dimension, values] of Object.entries(request.filters)) {
    if (!registry.dimensions.includes(dimension) && !extraFilters.includes(dimension))
      throw badInput(`Cannot filter on ${dimension}`);
    if (values.length > MAX_FILTER_VALUES)
      throw badInput(`A filter takes at most ${MAX_FILTER_VALUES} values`, { dimension });
  }
  for (const id of request.kpis) if (!registry.kpis.has(id)) throw badInput(`Unknown KPI ${id}`);
}

/** Compiles a KPI request into one parameterised statement. Identifiers come only from registries. */
export function compileKpiQuery(request: KpiRequest, context: PlannerContext): CompiledQuery {
  const registry = registryFor(request.kind);
  validateRequest(request, registry);
  const shape = request.shape;
  if (shape.type === 'hourOfDay') throw badInput(`The ${request.kind} report has no hour-of-day pattern`);
  const kpiIds = new Set(request.kpis);
  if (shape.type === 'breakdown') kpiIds.add(shape.orderBy);
  const kpis = [...kpiIds].map((id) => registry.kpis.get(id)!);
  const complete = new Set(context.completeColumns ?? []);
  const measures = [
    ...new Set(
      kpis.flatMap((k) =>
        context.supportOnly ? supportMeasuresOf(registry, k, complete) : measuresOf(registry, k, complete),
      ),
    ),
  ].sort();
  const source = context.source ?? chooseSource(request, registry, measures);
  const level = rollupLevelOf(request.kind, source);
  const mismatch = level && rollupMismatch(request, registry, measures, level);
  if (mismatch) throw new Error(`The ${source} rollup cannot answer this request exactly: ${mismatch}`);

  const table = tableFor(context.database, request.kind, source);
  const timeColumn = timeColumnOf(request.kind, source);
  const p = new SqlParams();

  // A rollup's range lies on its whole buckets, so it is bound as the DateTime its time column is
  // (comparing with a DateTime64 costs the embedded engine ~1 ms more); raw keeps milliseconds.
  const [timeType, timeParam] = level
    ? ["DateTime('UTC')", toDateTimeParam]
    : ["DateTime64(3, 'UTC')", toDateTime64Param];
  const where = [
    `dataset = ${p.bind('String', request.dataset)}`,
    `${timeColumn} >= ${p.bind(timeType, timeParam(request.range.from))}`,
    `${timeColumn} < ${p.bind(timeType, timeParam(request.range.to))}`,
  ];
  if (context.hiddenUploads.length > 0)
    where.push(`upload_id NOT IN ${p.bind('Array(String)', [...context.hiddenUploads])}`);
  for (const [dimension, values] of Object.entries(request.filters).sort(([a], [b]) => a.localeCompare(b))) {
    where.push(`${assertIdentifier(dimension)} IN ${p.bind('Array(String)', [...values])}`);
  }

  // One aggregation level, measures only: the KPI formulas run in the gateway (kpi-formula.ts).
  const select = measures.map(
    (id) => `${measureSql(registry.measures.get(id)!, source)} AS ${measureAlias(id)}`,
  );
  let groupBy = '';
  let tail = '';
  if (shape.type === 'series') {
    const zone = p.bind('String', request.timeZone);
    select.unshift(
      `${bucketStart(shape.grain, timeColumn, zone)} AS g_bucket`,
      'toUnixTimestamp(g_bucket) AS bucket_start',
      `toUnixTimestamp(g_bucket + ${INTERVAL[shape.grain]}) AS bucket_end`,
    );
    groupBy = 'GROUP BY g_bucket';
    tail = 'ORDER BY g_bucket';
  } else if (shape.type === 'breakdown') {
    select.unshift(`${assertIdentifier(shape.by)} AS g_key`);
    groupBy = 'GROUP BY g_key';
    tail = rankingSql(registry, shape, p, complete);
  }
  const query = [
    `SELECT ${select.join(', ')}`,
    `FROM ${table}`,
    `WHERE ${where.join(' AND ')}`,
    groupBy,
    tail,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    kind: request.kind,
    fragment: p.fragment(query),
    source,
    measures,
    kpis,
    completeColumns: complete,
  };
}

/** What deciding eligibility reads: the row count, coverage counts and the denominator. */
function supportMeasuresOf(registry: KindKpis, kpi: KpiDef, complete: ReadonlySet<string>): string[] {
  return [
    'transactions',
    ...coverageMeasures(registry, kpi, complete),
    ...(kpi.denominator ? [kpi.denominator] : []),
  ];
}

/** Row-count measures of the optional columns a KPI needs, but for those every readable row carries. */
export function coverageMeasures(registry: KindKpis, kpi: KpiDef, complete: ReadonlySet<string>): string[] {
  return kpi.needs.filter((c) => !registry.requiredColumns.has(c) && !complete.has(c)).map((c) => `${c}Rows`);
}

export const measureAlias = (id: string): string => `m_${assertIdentifier(id)}`;

/** A KPI's value over measure aliases; a ratio is NULL (never a division error) when its denominator is 0. */
export function kpiValueSql(kpi: KpiDef): string {
  const expression = expressionSql(kpi, measureAlias);
  return kpi.denominator ? `if(${measureAlias(kpi.denominator)} = 0, NULL, ${expression})` : expression;
}

/** `db.table` of a kind for a source; a kind without rollups can only be read raw. */
export function tableFor(database: string, kind: DatasetKindName, source: QuerySource): string {
  const table = rollupLevelOf(kind, source)?.table ?? DATASET_KINDS[kind].rawTable;
  return `${assertIdentifier(database)}.${assertIdentifier(table)}`;
}

/**
 * Ranks breakdown groups by a KPI: groups where that KPI is unavailable (no rows, partial
 * coverage, a registry gap) come last whatever the direction, then by key for a stable order.
 */
export function rankingSql(
  registry: KindKpis,
  shape: Extract<KpiRequest['shape'], { type: 'breakdown' }>,
  p: SqlParams,
  complete: ReadonlySet<string>,
): string {
  const orderKpi = registry.kpis.get(shape.orderBy)!;
  const eligible = [
    'm_transactions > 0',
    ...coverageMeasures(registry, orderKpi, complete).map((id) => `${measureAlias(id)} = m_transactions`),
    ...(orderKpi.needsRegistry ? ['m_registryMissingCount = 0'] : []),
  ].join(' AND ');
  const direction = shape.direction === 'ASC' ? 'ASC' : 'DESC';
  return `ORDER BY if(${eligible}, ${kpiValueSql(orderKpi)}, NULL) ${direction} NULLS LAST, g_key ASC NULLS LAST\nLIMIT ${p.bind('UInt32', shape.top)}`;
}
