import { badInput } from '../../../errors/app-error';
import { trustedIdentifier, type Sql } from '../../../warehouse/sql';
import { measuresOf, type KpiKindDefinition } from '../../definitions/kind-definition';
import type { ElectionScope, KpiDef, KpiRequest } from '../../kpi-types';
import type { PlannerContext, QuerySource } from '../planner-types';
import { chooseSource, timeColumnOf } from '../query-source';
import { validateRequest } from '../request-validation';
import { requestedKpis } from '../rollup-planner';

/** Filters the turnout report takes: constituencies directly, regions through the registry. */
export const TURNOUT_FILTERS = ['constituencyId', 'region'] as const;
export const TURNOUT_BREAKDOWNS = ['constituencyId', 'region'] as const;
/** Constituencies named in a MISSING_REGISTRY reason or an over-registered list; the count is always exact. */
export const MAX_LISTED_CONSTITUENCIES = 20;
export const MAX_TURNOUT_TOP = 500;

/** Every decision the turnout statement's pieces share, taken once from the request. */
export interface TurnoutPlan {
  readonly request: KpiRequest;
  readonly context: PlannerContext;
  readonly kind: KpiKindDefinition;
  readonly election: ElectionScope;
  readonly kpis: readonly KpiDef[];
  /** Every measure the KPIs read, sorted; `rowMeasures` are those aggregated from rows. */
  readonly measures: readonly string[];
  readonly rowMeasures: readonly string[];
  readonly complete: ReadonlySet<string>;
  readonly source: QuerySource;
  readonly timeColumn: Sql;
  /** Filters on turnout rows (constituencies); the region filter goes through the registry. */
  readonly constituencies: readonly string[] | null;
  readonly regions: readonly string[] | null;
  /** A KPI reads the registry: votes before the window are read too, for cumulative values. */
  readonly needsRegistry: boolean;
  /** The registry is joined (for a KPI, a region filter or a region breakdown). */
  readonly withRegistry: boolean;
  /** The breakdown's group key, or null for totals. */
  readonly groupKey: 'constituencyId' | 'region' | null;
}

export function turnoutPlan(
  request: KpiRequest,
  context: PlannerContext,
  kind: KpiKindDefinition,
): TurnoutPlan {
  validateRequest(request, kind, TURNOUT_FILTERS);
  const { shape, election } = request;
  if (!election) throw badInput('A turnout report is about one election: electionId is required');
  for (const dimension of Object.keys(request.filters)) {
    if (!(TURNOUT_FILTERS as readonly string[]).includes(dimension))
      throw badInput(`Cannot filter turnout on ${dimension}`);
  }
  if (shape.type === 'breakdown' && !(TURNOUT_BREAKDOWNS as readonly string[]).includes(shape.by))
    throw badInput(`Cannot break turnout down by ${shape.by}`);
  if (shape.type === 'breakdown' && shape.top > MAX_TURNOUT_TOP)
    throw badInput(`A turnout breakdown returns at most ${MAX_TURNOUT_TOP} groups`);

  const kpis = requestedKpis(request, kind);
  const needsRegistry = kpis.some((k) => k.registryScope !== undefined);
  if (needsRegistry && shape.type === 'hourOfDay') throw badInput('Participation has no hour-of-day pattern');
  const complete = new Set(context.completeColumns ?? []);
  // Cumulative sums and the over-registered check read votes, whichever KPI asked for the registry.
  const measures = [
    ...new Set([
      ...kpis.flatMap((k) => measuresOf(kind, k, complete)),
      ...(needsRegistry ? ['votesCast'] : []),
    ]),
  ].sort();
  const rowMeasures = measures.filter((id) => !kind.derived.has(id));

  // Regions live in the registry: on the rollup, a region is a set of constituencies (in its key).
  const { region, ...rowFilters } = request.filters;
  const sourceShape = shape.type === 'breakdown' ? { ...shape, by: 'constituencyId' } : shape;
  const source =
    context.source ??
    chooseSource({ ...request, filters: rowFilters, shape: sourceShape }, kind, rowMeasures);
  const groupKey = shape.type === 'breakdown' ? (shape.by === 'region' ? 'region' : 'constituencyId') : null;
  return {
    request,
    context,
    kind,
    election,
    kpis,
    measures,
    rowMeasures,
    complete,
    source,
    timeColumn: timeColumnOf(kind, source),
    constituencies: rowFilters.constituencyId ?? null,
    regions: region ?? null,
    needsRegistry,
    withRegistry: needsRegistry || region !== undefined || groupKey === 'region',
    groupKey,
  };
}

/** A column alias with a level's prefix (`c_` per cell, `pc_` per constituency, `m_` per group). */
export function prefixed(prefix: 'c_' | 'pc_' | 'm_', measure: string): Sql {
  return trustedIdentifier(`${prefix}${measure}`);
}
