import { badInput } from '../../errors/app-error';
import type { KpiKindDefinition } from '../definitions/kind-definition';
import type { KpiRequest } from '../kpi-types';
import { GRAIN_MS } from './time-buckets';

export const MAX_SERIES_BUCKETS = 10_000;
export const MAX_FILTER_VALUES = 500;

/**
 * Refuses a request no planner should build: an empty or inverted range, too many buckets, a
 * filter on a column outside the kind's dimensions (or the kind planner's `extraFilters`, such as
 * turnout's region, resolved through the registry), too many filter values, an unknown KPI.
 */
export function validateRequest(
  request: KpiRequest,
  kind: KpiKindDefinition,
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
    if (!kind.dimensions.includes(dimension) && !extraFilters.includes(dimension))
      throw badInput(`Cannot filter on ${dimension}`);
    if (values.length > MAX_FILTER_VALUES)
      throw badInput(`A filter takes at most ${MAX_FILTER_VALUES} values`, { dimension });
  }
  for (const id of request.kpis) if (!kind.kpis.has(id)) throw badInput(`Unknown KPI ${id}`);
}
