import { kpiKind } from '../definitions/kpi-kinds';
import type { KpiRequest } from '../kpi-types';
import type { CompiledQuery, PlannerContext } from './planner-types';

/**
 * Compiles a KPI request into one parameterised statement with the planner its kind registered
 * (definitions/kpi-kinds.ts). Values are bound; identifiers come only from the kind's definitions.
 */
export function compileKpiQuery(request: KpiRequest, context: PlannerContext): CompiledQuery {
  const kind = kpiKind(request.kind);
  return kind.planner(request, context, kind);
}
