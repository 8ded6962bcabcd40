import { createHash } from 'node:crypto';
import { DATASET_KINDS } from '../datasets/dataset-kinds';
import { parseFormula, type Formula } from './kpi-formula';
import type { KpiDef, KpiKind, MeasureDef } from './kpi-types';
import { SALES_DIMENSIONS, SALES_KPIS, SALES_MEASURES } from './sales-kpis';
import { TURNOUT_DERIVED_MEASURES, TURNOUT_DIMENSIONS, TURNOUT_KPIS, TURNOUT_MEASURES } from './turnout-kpis';

export interface KindKpis {
  readonly kind: KpiKind;
  readonly kpis: ReadonlyMap<string, KpiDef>;
  readonly measures: ReadonlyMap<string, MeasureDef>;
  /** Dimensions in the rollup key: breakdowns and filters on them stay on the rollup. */
  readonly dimensions: readonly string[];
  /** Required columns are present on every row by construction, so they need no coverage check. */
  readonly requiredColumns: ReadonlySet<string>;
  /** Measures the kind's planner computes beside the row aggregates (e.g. registered voters). */
  readonly derived: ReadonlySet<string>;
}

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

function build(
  kind: KpiKind,
  kpis: readonly KpiDef[],
  measures: readonly MeasureDef[],
  dimensions: readonly string[],
  derived: readonly string[] = [],
): KindKpis {
  const registry: KindKpis = {
    kind,
    kpis: new Map(kpis.map((k) => [k.id, k])),
    measures: new Map(measures.map((m) => [m.id, m])),
    dimensions,
    requiredColumns: new Set(DATASET_KINDS[kind].columns.filter((c) => c.required).map((c) => c.name)),
    derived: new Set(derived),
  };
  // A registry that names an unknown measure is a programming error: fail at load, not at query time.
  for (const kpi of kpis) {
    formulaOf(kpi);
    for (const id of measuresOf(registry, kpi)) {
      if (!registry.measures.has(id) && !registry.derived.has(id))
        throw new Error(`KPI ${kpi.id} uses unknown measure ${id}`);
    }
  }
  return registry;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Placeholders in the expression, the coverage count of each optional column it needs (unless the
 * column is `complete`: carried by every row the query can read), the row count.
 */
export function measuresOf(registry: KindKpis, kpi: KpiDef, complete: ReadonlySet<string> = NONE): string[] {
  const ids = new Set<string>(['transactions']);
  for (const match of kpi.expression.matchAll(PLACEHOLDER)) ids.add(match[1]);
  for (const column of kpi.needs)
    if (!registry.requiredColumns.has(column) && !complete.has(column)) ids.add(`${column}Rows`);
  if (kpi.denominator) ids.add(kpi.denominator);
  return [...ids];
}

const formulas = new WeakMap<KpiDef, Formula>();

/** A KPI's expression parsed for the gateway's evaluator; every registry's are parsed when it loads. */
export function formulaOf(kpi: KpiDef): Formula {
  let formula = formulas.get(kpi);
  if (!formula) {
    formula = parseFormula(kpi.expression);
    formulas.set(kpi, formula);
  }
  return formula;
}

export function expressionSql(kpi: KpiDef, alias: (measureId: string) => string): string {
  return kpi.expression.replace(PLACEHOLDER, (_, id: string) => alias(id));
}

export const KPI_REGISTRIES: Readonly<Record<KpiKind, KindKpis>> = {
  sales: build('sales', SALES_KPIS, SALES_MEASURES, SALES_DIMENSIONS),
  turnout: build('turnout', TURNOUT_KPIS, TURNOUT_MEASURES, TURNOUT_DIMENSIONS, TURNOUT_DERIVED_MEASURES),
};

export function isKpiKind(kind: string): kind is KpiKind {
  return Object.prototype.hasOwnProperty.call(KPI_REGISTRIES, kind);
}

export function registryFor(kind: KpiKind): KindKpis {
  return KPI_REGISTRIES[kind];
}

/** Part of every cache key: a changed formula never serves an answer computed by the old one. */
export const REGISTRY_VERSION = createHash('sha256')
  .update(
    JSON.stringify(
      Object.values(KPI_REGISTRIES).map((r) => [r.kind, [...r.kpis.values()], [...r.measures.values()]]),
    ),
  )
  .digest('hex')
  .slice(0, 16);
