import { coverageMeasures, formulaOf, type KpiKindDefinition } from '../definitions/kind-definition';
import { kpiKind } from '../definitions/kpi-kinds';
import type { KpiDef, KpiRow, KpiUnavailable, KpiValue, RegistryCheck } from '../kpi-types';
import { measureAlias, registryMissingAlias } from '../planning/measure-sql';
import type { CompiledQuery } from '../planning/planner-types';
import { evaluateFormula } from './kpi-formula';

/** What the evaluator needs to know about the dataset beyond the query's own numbers. */
export interface DatasetColumns {
  /** Canonical columns any loaded upload of the dataset carried. */
  readonly columns: ReadonlySet<string>;
}

type RawRow = Record<string, unknown>;

/** ClickHouse returns decimals and 64-bit integers as strings; this is the one place they become numbers. */
function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new Error(`Non-numeric value from the warehouse: ${String(value)}`);
  return n;
}

/**
 * Why a KPI cannot be answered over a slice, or null when it can: the slice has rows, every row
 * carries each optional column the KPI needs, and its denominator is non-zero. Reads only row
 * counts and the denominator, so the KPI catalog can ask it without computing any value.
 */
export function unavailability(
  kpi: KpiDef,
  row: RawRow,
  compiled: CompiledQuery,
  dataset: DatasetColumns,
): KpiUnavailable | null {
  const transactions = num(row.m_transactions) ?? 0;
  if (transactions === 0) return NO_DATA;
  const optional = optionalNeedsOf(kpi, kpiKind(compiled.kind));
  if (optional.length === 0 && !kpi.registryScope && !kpi.denominator) return null;
  const missing = optional.filter((c) => !dataset.columns.has(c.column)).map((c) => c.column);
  if (missing.length > 0) return missingColumns(missing);
  // A column every readable row carries was not counted: its coverage is whole.
  const counted = optional.filter((c) => !compiled.completeColumns.has(c.column));
  const partial = counted
    .map((c) => ({ column: c.column, covered: (num(row[c.rowsAlias]) ?? 0) / transactions }))
    .filter((c) => c.covered < 1);
  if (partial.length > 0) {
    const coverage = Math.min(...partial.map((c) => c.covered));
    const columns = partial.map((c) => c.column);
    return {
      reason: 'PARTIAL_COVERAGE',
      missingKeys: [],
      missingColumns: columns,
      coverage,
      message: `Only ${(coverage * 100).toFixed(2)}% of the rows in this slice carry ${columns.join(', ')}.`,
    };
  }
  const gap = kpi.registryScope ? registryGap(row, kpi.registryScope) : null;
  if (gap) return gap;
  if (kpi.denominator && num(row[measureAlias(kpi.denominator)]) === 0) {
    return {
      reason: 'ZERO_DENOMINATOR',
      missingKeys: [],
      missingColumns: [],
      coverage: null,
      message: `${kpi.denominator} is zero in this slice.`,
    };
  }
  return null;
}

/** MISSING_COLUMN: no upload of the dataset had these columns. */
export function missingColumns(columns: readonly string[]): KpiUnavailable {
  return {
    reason: 'MISSING_COLUMN',
    missingKeys: [],
    missingColumns: columns,
    coverage: 0,
    message: `No upload of this dataset had column(s) ${columns.join(', ')}.`,
  };
}

/**
 * MISSING_REGISTRY when constituencies whose rows the value uses (those of the slice, or those up
 * to its end) have no registry row; null when the registry holds them all.
 */
function registryGap(row: RawRow, scope: 'slice' | 'upToEnd'): KpiUnavailable | null {
  const unregistered = num(row[registryMissingAlias(scope)]) ?? 0;
  if (unregistered === 0) return null;
  const listed = listOf(row[scope === 'slice' ? 'registry_missing' : 'registry_missing_to_end']);
  const more = unregistered > listed.length ? ` (first ${listed.length} listed)` : '';
  const where = scope === 'slice' ? 'in this slice' : 'up to the end of this slice';
  return {
    reason: 'MISSING_REGISTRY',
    missingColumns: [],
    coverage: null,
    missingKeys: listed,
    message: `${unregistered} constituenc${unregistered === 1 ? 'y has' : 'ies have'} rows ${where} but no registry row${more}: ${listed.join(', ')}.`,
  };
}

function listOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** The optional columns a KPI needs, each with the alias of its row count; fixed per KPI, so worked out once. */
function optionalNeedsOf(
  kpi: KpiDef,
  kind: KpiKindDefinition,
): ReadonlyArray<{ column: string; rowsAlias: string }> {
  let found = optionalNeeds.get(kpi);
  if (!found) {
    found = coverageMeasures(kind, kpi, NOTHING_COMPLETE).map((id) => ({
      column: id.replace(/Rows$/, ''),
      rowsAlias: measureAlias(id),
    }));
    optionalNeeds.set(kpi, found);
  }
  return found;
}

const NOTHING_COMPLETE: ReadonlySet<string> = new Set();
const optionalNeeds = new WeakMap<KpiDef, ReadonlyArray<{ column: string; rowsAlias: string }>>();

/** A number when the slice supports the KPI, otherwise null with the reason. */
export function evaluateKpi(
  kpi: KpiDef,
  row: RawRow,
  compiled: CompiledQuery,
  dataset: DatasetColumns,
): KpiValue {
  const reason = unavailability(kpi, row, compiled, dataset);
  if (reason) return unavailable(reason);
  const value = evaluateFormula(formulaOf(kpi), row);
  if (value === null)
    throw new Error(`KPI ${kpi.id} came back null without a reason (source ${compiled.source})`);
  return { value, unavailable: null };
}

function unavailable(reason: KpiUnavailable): KpiValue {
  return { value: null, unavailable: reason };
}

export function toKpiRow(row: RawRow, compiled: CompiledQuery, dataset: DatasetColumns): KpiRow {
  const kpis: Record<string, KpiValue> = {};
  for (const kpi of compiled.kpis) kpis[kpi.id] = evaluateKpi(kpi, row, compiled, dataset);
  const result: { -readonly [K in keyof KpiRow]: KpiRow[K] } = { kpis };
  if ('bucket_start' in row) {
    result.bucketStart = new Date(Number(row.bucket_start) * 1000);
    result.bucketEnd = new Date(Number(row.bucket_end) * 1000);
  }
  if ('g_key' in row) result.key = (row.g_key as string | null) ?? null;
  if ('hour_of_day' in row) result.hourOfDay = Number(row.hour_of_day);
  if ('m_registryMissingToEndCount' in row) result.registry = registryCheck(row);
  return result;
}

/**
 * Constituency registry coverage of a slice up to its end; the over-registered list is only
 * computed for totals and breakdowns.
 */
function registryCheck(row: RawRow): RegistryCheck {
  return {
    registeredVoters: num(row.m_registered) ?? 0,
    missingCount: num(row.m_registryMissingToEndCount) ?? 0,
    missing: listOf(row.registry_missing_to_end),
    overRegisteredCount: num(row.registry_over_count) ?? 0,
    overRegistered: listOf(row.registry_over),
  };
}

const NO_DATA: KpiUnavailable = {
  reason: 'NO_DATA',
  missingKeys: [],
  missingColumns: [],
  coverage: null,
  message: 'No rows in this slice.',
};

/** Every KPI of a slice that has no rows. */
export function noDataRow(kpis: readonly string[]): KpiRow {
  return { kpis: Object.fromEntries(kpis.map((id) => [id, { value: null, unavailable: NO_DATA }])) };
}
