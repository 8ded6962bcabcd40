import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { KpiKindDefinition } from '../../kpi/definitions/kind-definition';
import { kpiKind } from '../../kpi/definitions/kpi-kinds';
import { withShares } from '../../kpi/evaluation/kpi-comparison';
import type { KpiAnswer } from '../../kpi/kpi-service';
import type { KpiRequest, KpiRow, QueryShape } from '../../kpi/kpi-types';
import type { BreakdownArguments } from '../types/breakdown.args';
import { selectedFieldNames } from '../selection';
import type { BucketOfSlice, KpisOfSlice } from '../types/kpi-slice.type';

/** The KPIs of a kind selected under `path` (the fields of a KPIs object). */
export function requestedKpis(kind: KpiKindDefinition, info: GraphQLResolveInfo, path: string[]): string[] {
  return [...selectedFieldNames(info, path)].filter((name) => kind.kpis.has(name));
}

/** The one row of a totals answer (an aggregate without groups always has one). */
export function totalsRow(answer: KpiAnswer): KpiRow {
  const row = answer.rows[0];
  if (!row) throw new Error('A totals query returned no row');
  return row;
}

/** Series rows as buckets: each carries its bounds, or the planner built the wrong statement. */
export function bucketsOf(answer: KpiAnswer): BucketOfSlice[] {
  return answer.rows.map((row) => {
    if (!row.bucketStart || !row.bucketEnd) throw new Error('A series row came back without its bucket');
    return { start: row.bucketStart, end: row.bucketEnd, kpis: row.kpis as KpisOfSlice };
  });
}

/**
 * A breakdown's groups, ranked. When a `share` is selected, each KPI also gets its share of the
 * slice total: the same request as `totals`, merged with it when the operation asks both.
 */
export async function breakdownRows(
  loader: DataLoader<KpiRequest, KpiAnswer, string>,
  request: KpiRequest,
  args: BreakdownArguments,
  info: GraphQLResolveInfo,
): Promise<KpiRow[]> {
  const shape: QueryShape = { type: 'breakdown', ...args };
  const wantsShare = request.kpis.some((kpi) => selectedFieldNames(info, ['kpis', kpi]).has('share'));
  const [answer, total] = await Promise.all([
    loader.load({ ...request, shape }),
    wantsShare ? loader.load({ ...request, shape: { type: 'totals' } }) : undefined,
  ]);
  if (!total) return answer.rows;
  return withShares(answer.rows, totalsRow(total), kpiKind(request.kind).kpis);
}
