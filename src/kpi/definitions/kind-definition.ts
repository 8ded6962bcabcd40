import type { ColumnDef, RollupLevel } from '../../datasets/dataset-kinds';
import { parseFormula, type Formula } from '../evaluation/kpi-formula';
import type { KpiDef, KpiKind, KpiRequest, MeasureDef } from '../kpi-types';
import type { CompiledQuery, PlannerContext } from '../planning/planner-types';

/** Where a kind's rows live: what its migration creates, as the dataset kind describes it. */
export interface KindTables {
  readonly rawTable: string;
  /** Rollups, coarsest first (the planner takes the first that answers exactly). */
  readonly rollups: readonly RollupLevel[];
  /** The kind's columns: required ones need no coverage check. */
  readonly columns: readonly ColumnDef[];
}

/** Builds one statement for a request of the kind. */
export type KindPlanner = (
  request: KpiRequest,
  context: PlannerContext,
  kind: KpiKindDefinition,
) => CompiledQuery;

/** Another dataset an answer of the kind reads besides the request's own (turnout: the registry). */
export interface CompanionDataset {
  readonly name: string;
  readonly kind: string;
}

/** What a kind's definition file spells out; `defineKpiKind` derives the rest and checks it. */
export interface KpiKindSpec {
  readonly kind: KpiKind;
  readonly tables: KindTables;
  readonly kpis: readonly KpiDef[];
  readonly measures: readonly MeasureDef[];
  /** Dimensions in the rollup key: breakdowns and filters on them stay on the rollup. */
  readonly dimensions: readonly string[];
  /** Measures the kind's planner computes beside the row aggregates (e.g. registered voters). */
  readonly derived?: readonly string[];
  readonly planner: KindPlanner;
  /**
   * Dimensions whose one-value filters on sibling totals (a KPI card per branch) may be answered
   * together by one grouped query. Only where a group's totals equal the filtered totals exactly.
   */
  readonly groupableDimensions?: readonly string[];
  readonly companions?: (request: KpiRequest) => readonly CompanionDataset[];
}

/** A kind with KPIs: its tables, columns, measures, KPIs and planner, registered in one place. */
export interface KpiKindDefinition {
  readonly kind: KpiKind;
  readonly tables: KindTables;
  readonly kpis: ReadonlyMap<string, KpiDef>;
  readonly measures: ReadonlyMap<string, MeasureDef>;
  readonly dimensions: readonly string[];
  /** Required columns are present on every row by construction, so they need no coverage check. */
  readonly requiredColumns: ReadonlySet<string>;
  readonly derived: ReadonlySet<string>;
  readonly planner: KindPlanner;
  readonly groupableDimensions: readonly string[];
  readonly companions: (request: KpiRequest) => readonly CompanionDataset[];
}

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;
const NONE: ReadonlySet<string> = new Set();

/** Checks a kind's KPIs against its measures (a KPI naming an unknown measure fails at load). */
export function defineKpiKind(spec: KpiKindSpec): KpiKindDefinition {
  const definition: KpiKindDefinition = {
    kind: spec.kind,
    tables: spec.tables,
    kpis: new Map(spec.kpis.map((k) => [k.id, k])),
    measures: new Map(spec.measures.map((m) => [m.id, m])),
    dimensions: spec.dimensions,
    requiredColumns: new Set(spec.tables.columns.filter((c) => c.required).map((c) => c.name)),
    derived: new Set(spec.derived ?? []),
    planner: spec.planner,
    groupableDimensions: spec.groupableDimensions ?? [],
    companions: spec.companions ?? (() => []),
  };
  for (const kpi of spec.kpis) {
    formulaOf(kpi);
    for (const id of measuresOf(definition, kpi)) {
      if (!definition.measures.has(id) && !definition.derived.has(id))
        throw new Error(`KPI ${kpi.id} uses unknown measure ${id}`);
    }
  }
  return definition;
}

/**
 * Placeholders in the expression, the coverage count of each optional column it needs (unless the
 * column is `complete`: carried by every row the query can read), the row count.
 */
export function measuresOf(
  kind: KpiKindDefinition,
  kpi: KpiDef,
  complete: ReadonlySet<string> = NONE,
): string[] {
  const ids = new Set<string>(['transactions']);
  for (const match of kpi.expression.matchAll(PLACEHOLDER)) if (match[1]) ids.add(match[1]);
  for (const id of coverageMeasures(kind, kpi, complete)) ids.add(id);
  if (kpi.denominator) ids.add(kpi.denominator);
  return [...ids];
}

/** Row-count measures of the optional columns a KPI needs, but for those every readable row carries. */
export function coverageMeasures(
  kind: KpiKindDefinition,
  kpi: KpiDef,
  complete: ReadonlySet<string>,
): string[] {
  return kpi.needs.filter((c) => !kind.requiredColumns.has(c) && !complete.has(c)).map((c) => `${c}Rows`);
}

const formulas = new WeakMap<KpiDef, Formula>();

/** A KPI's expression parsed for the gateway's evaluator; every kind's are parsed when it loads. */
export function formulaOf(kpi: KpiDef): Formula {
  let formula = formulas.get(kpi);
  if (!formula) {
    formula = parseFormula(kpi.expression);
    formulas.set(kpi, formula);
  }
  return formula;
}

/** A KPI's expression with each `{measure}` replaced by the SQL its alias gives. */
export function expressionSql(kpi: KpiDef, alias: (measureId: string) => string): string {
  return kpi.expression.replace(PLACEHOLDER, (_, id: string) => alias(id));
}

/** A KPI of the kind, or a programming error (requests are validated before they get here). */
export function kpiOf(kind: KpiKindDefinition, id: string): KpiDef {
  const kpi = kind.kpis.get(id);
  if (!kpi) throw new Error(`The ${kind.kind} kind has no KPI ${id}`);
  return kpi;
}

/** A measure of the kind, or a programming error. */
export function measureOf(kind: KpiKindDefinition, id: string): MeasureDef {
  const measure = kind.measures.get(id);
  if (!measure) throw new Error(`The ${kind.kind} kind has no measure ${id}`);
  return measure;
}
