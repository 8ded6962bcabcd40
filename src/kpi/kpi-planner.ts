import { DATASET_KINDS, type DatasetKindName } from '../datasets/dataset-kinds';
import { badInput } from '../errors/app-error';
import { assertIdentifier, SqlParams, type SqlFragment } from '../warehouse/sql';
import { expressionSql, measuresOf, registryFor, type KindKpis } from './kpi-registry';
import type { Grain, KpiDef, KpiRequest } from './kpi-types';
import { hasWholeHourOffsets } from './time-zones';

export type QuerySource = 'rollup' | 'raw';

export interface CompiledQuery {
  readonly kind: KpiRequest['kind'];
  readonly fragment: SqlFragment;
  readonly source: QuerySource;
  readonly measures: readonly string[];
  readonly kpis: readonly KpiDef[];
}

export interface PlannerContext {
  readonly database: string;
  /** Uploads whose rows may be in the tables but must not be read yet (loading). */
  readonly hiddenUploads: readonly string[];
  /** Force a table (parity tests, benchmarks); the raw table can answer everything, the rollup only what it holds. */
  readonly source?: QuerySource;
  /** Only what eligibility needs (row counts, denominators), no KPI values: what the catalog asks. */
  readonly supportOnly?: boolean;
}

export const MAX_SERIES_BUCKETS = 10_000;
export const MAX_FILTER_VALUES = 500;
const HOUR_MS = 3_600_000;
const GRAIN_MS: Record<Grain, number> = { HOUR: HOUR_MS, DAY: 24 * HOUR_MS, WEEK: 7 * 24 * HOUR_MS, MONTH: 28 * 24 * HOUR_MS };

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

export const INTERVAL: Record<Grain, string> = { HOUR: 'INTERVAL 1 HOUR', DAY: 'INTERVAL 1 DAY', WEEK: 'INTERVAL 1 WEEK', MONTH: 'INTERVAL 1 MONTH' };

export function toDateTime64Param(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * The rollup answers when it holds every measure, the filtered/grouped dimensions are in its
 * key, and every boundary (range ends, local buckets) falls on a UTC hour. Otherwise the raw
 * table answers: exact, only slower.
 */
export function chooseSource(request: KpiRequest, registry: KindKpis, measures: readonly string[]): QuerySource {
  const hourAligned = request.range.from.getTime() % HOUR_MS === 0 && request.range.to.getTime() % HOUR_MS === 0;
  const rollupMeasures = measures.every((id) => registry.measures.get(id)?.rollup != null);
  const rollupDimensions =
    Object.keys(request.filters).every((d) => registry.dimensions.includes(d)) &&
    (request.shape.type !== 'breakdown' || registry.dimensions.includes(request.shape.by));
  // Local buckets (series, hour of day) fall on UTC hours only in zones with whole-hour offsets.
  const zoneAligned = (request.shape.type !== 'series' && request.shape.type !== 'hourOfDay') || hasWholeHourOffsets(request.timeZone, request.range);
  return hourAligned && rollupMeasures && rollupDimensions && zoneAligned ? 'rollup' : 'raw';
}

/** `extraFilters`: filters a kind's planner resolves itself (turnout's region, through the registry). */
export function validateRequest(request: KpiRequest, registry: KindKpis, extraFilters: readonly string[] = []): void {
  const { from, to } = request.range;
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw badInput('range.from and range.to must be valid date-times');
  if (from.getTime() >= to.getTime()) throw badInput('range.from must be before range.to', { from: from.toISOString(), to: to.toISOString() });
  if (request.shape.type === 'series') {
    const buckets = Math.ceil((to.getTime() - from.getTime()) / GRAIN_MS[request.shape.grain]);
    if (buckets > MAX_SERIES_BUCKETS) {
      throw badInput(`A ${request.shape.grain} series over this range has ~${buckets} buckets; the maximum is ${MAX_SERIES_BUCKETS}. Use a coarser grain or a shorter range.`);
    }
  }
  for (const [dimension, values] of Object.entries(request.filters)) {
    if (!registry.dimensions.includes(dimension) && !extraFilters.includes(dimension)) throw badInput(`Cannot filter on ${dimension}`);
    if (values.length > MAX_FILTER_VALUES) throw badInput(`A filter takes at most ${MAX_FILTER_VALUES} values`, { dimension });
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
  const measures = [...new Set(kpis.flatMap((k) => (context.supportOnly ? supportMeasuresOf(registry, k) : measuresOf(registry, k))))].sort();
  const source = context.source ?? chooseSource(request, registry, measures);
  if (source === 'rollup' && measures.some((id) => registry.measures.get(id)?.rollup == null)) throw new Error('The rollup cannot answer this request');

  const table = tableFor(context.database, request.kind, source);
  const timeColumn = source === 'rollup' ? 'hour' : 'time';
  const p = new SqlParams();

  const where = [
    `dataset = ${p.bind('String', request.dataset)}`,
    `${timeColumn} >= ${p.bind("DateTime64(3, 'UTC')", toDateTime64Param(request.range.from))}`,
    `${timeColumn} < ${p.bind("DateTime64(3, 'UTC')", toDateTime64Param(request.range.to))}`,
  ];
  if (context.hiddenUploads.length > 0) where.push(`upload_id NOT IN ${p.bind('Array(String)', [...context.hiddenUploads])}`);
  for (const [dimension, values] of Object.entries(request.filters).sort(([a], [b]) => a.localeCompare(b))) {
    where.push(`${assertIdentifier(dimension)} IN ${p.bind('Array(String)', [...values])}`);
  }

  const alias = measureAlias;
  const innerMeasures = measures.map((id) => {
    const def = registry.measures.get(id)!;
    return `${source === 'rollup' ? def.rollup : def.raw} AS ${alias(id)}`;
  });
  const outerKpis = context.supportOnly ? [] : kpis.map((kpi) => `${kpiValueSql(kpi)} AS k_${assertIdentifier(kpi.id)}`);

  let groupSelect: string[] = [];
  let outerGroup: string[] = [];
  let tail = '';
  if (shape.type === 'series') {
    const zone = p.bind('String', request.timeZone);
    groupSelect = [`${bucketStart(shape.grain, timeColumn, zone)} AS g_bucket`];
    outerGroup = ['toUnixTimestamp(g_bucket) AS bucket_start', `toUnixTimestamp(g_bucket + ${INTERVAL[shape.grain]}) AS bucket_end`];
    tail = '\nORDER BY g_bucket';
  } else if (shape.type === 'breakdown') {
    groupSelect = [`${assertIdentifier(shape.by)} AS g_key`];
    outerGroup = ['g_key'];
    tail = `\n${rankingSql(registry, shape, p)}`;
  }

  const inner = [
    `SELECT ${[...groupSelect, ...innerMeasures].join(', ')}`,
    `FROM ${table}`,
    `WHERE ${where.join(' AND ')}`,
    groupSelect.length > 0 ? `GROUP BY ${groupSelect.map((g) => g.split(' AS ')[1]).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('\n  ');
  const query = `SELECT ${[...outerGroup, ...measures.map(alias), ...outerKpis].join(', ')}\nFROM (\n  ${inner}\n)${tail}`;
  return { kind: request.kind, fragment: p.fragment(query), source, measures, kpis };
}

/** What deciding eligibility reads: the row count, coverage counts and the denominator. */
function supportMeasuresOf(registry: KindKpis, kpi: KpiDef): string[] {
  return ['transactions', ...coverageMeasures(registry, kpi), ...(kpi.denominator ? [kpi.denominator] : [])];
}

/** Row-count measures of the optional columns a KPI needs. */
export function coverageMeasures(registry: KindKpis, kpi: KpiDef): string[] {
  return kpi.needs.filter((c) => !registry.requiredColumns.has(c)).map((c) => `${c}Rows`);
}

export const measureAlias = (id: string): string => `m_${assertIdentifier(id)}`;

/** A KPI's value over measure aliases; a ratio is NULL (never a division error) when its denominator is 0. */
export function kpiValueSql(kpi: KpiDef): string {
  const expression = expressionSql(kpi, measureAlias);
  return kpi.denominator ? `if(${measureAlias(kpi.denominator)} = 0, NULL, ${expression})` : expression;
}

/** `db.table` of a kind for a source; a kind without a rollup can only be read raw. */
export function tableFor(database: string, kind: DatasetKindName, source: QuerySource): string {
  const def = DATASET_KINDS[kind];
  const table = source === 'rollup' ? def.rollupTable : def.rawTable;
  if (table === null) throw new Error(`Dataset kind ${kind} has no rollup table`);
  return `${assertIdentifier(database)}.${assertIdentifier(table)}`;
}

/**
 * Ranks breakdown groups by a KPI: groups where that KPI is unavailable (no rows, partial
 * coverage, a registry gap) come last whatever the direction, then by key for a stable order.
 */
export function rankingSql(registry: KindKpis, shape: Extract<KpiRequest['shape'], { type: 'breakdown' }>, p: SqlParams): string {
  const orderKpi = registry.kpis.get(shape.orderBy)!;
  const eligible = [
    'm_transactions > 0',
    ...coverageMeasures(registry, orderKpi).map((id) => `${measureAlias(id)} = m_transactions`),
    ...(orderKpi.needsRegistry ? ['m_registryMissingCount = 0'] : []),
  ].join(' AND ');
  const direction = shape.direction === 'ASC' ? 'ASC' : 'DESC';
  return `ORDER BY if(${eligible}, k_${assertIdentifier(orderKpi.id)}, NULL) ${direction} NULLS LAST, g_key ASC NULLS LAST\nLIMIT ${p.bind('UInt32', shape.top)}`;
}
