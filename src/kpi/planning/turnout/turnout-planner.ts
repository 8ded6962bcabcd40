import { joinSql, sql, trustedIdentifier, type Sql } from '../../../warehouse/sql';
import type { KpiKindDefinition } from '../../definitions/kind-definition';
import type { KpiRequest } from '../../kpi-types';
import { measureAliasSql } from '../measure-sql';
import type { CompiledQuery, PlannerContext } from '../planner-types';
import { turnoutPlan, type TurnoutPlan } from './turnout-plan';
import { cellCtes, registryCtes } from './turnout-rows-sql';
import { groupsSql, hourOfDaySql, seriesSql, type ShapedQuery } from './turnout-shapes-sql';

/**
 * Compiles a turnout request into one statement. Rows are first aggregated per constituency (and
 * per time group), so that registered voters can be joined per constituency from the registry,
 * constituencies missing from it can be named, and votes before the window can be carried into
 * cumulative participation. The statement is the registry CTEs, the cells, then the shape's own
 * pieces (series buckets, hours of day, or groups), read by one outer SELECT.
 */
export function planTurnoutQuery(
  request: KpiRequest,
  context: PlannerContext,
  kind: KpiKindDefinition,
): CompiledQuery {
  const plan = turnoutPlan(request, context, kind);
  const shaped = shapeOf(plan);
  const ctes = [...registryCtes(plan), ...cellCtes(plan), ...shaped.ctes];
  const statement = sql`WITH
  ${joinSql(ctes, ',\n  ')}
SELECT ${joinSql(outputColumns(plan, shaped))}
FROM (
  ${shaped.body}
)${shaped.tail}`;
  return {
    kind: request.kind,
    fragment: statement.compile(),
    source: plan.source,
    measures: plan.measures,
    kpis: plan.kpis,
    completeColumns: plan.complete,
  };
}

function shapeOf(plan: TurnoutPlan): ShapedQuery {
  const shape = plan.request.shape;
  if (shape.type === 'series') return seriesSql(plan, shape.grain);
  if (shape.type === 'hourOfDay') return hourOfDaySql(plan);
  return groupsSql(plan);
}

/** Group columns, row measures, derived measures, then the registry checks the evaluator reads. */
function outputColumns(plan: TurnoutPlan, shaped: ShapedQuery): Sql[] {
  const registry = plan.needsRegistry
    ? [
        'm_registryMissingCount',
        'registry_missing',
        'm_registryMissingToEndCount',
        'registry_missing_to_end',
        ...(plan.request.shape.type === 'series' ? [] : ['registry_over_count', 'registry_over']),
      ]
    : [];
  return [
    ...shaped.outer,
    ...plan.rowMeasures.map(measureAliasSql),
    ...plan.measures.filter((id) => plan.kind.derived.has(id)).map(measureAliasSql),
    ...registry.map(trustedIdentifier),
  ];
}
