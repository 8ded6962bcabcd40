import { joinSql, param, sql, trustedIdentifier, trustedSql, type Sql } from '../../warehouse/sql';
import {
  coverageMeasures,
  expressionSql,
  kpiOf,
  type KpiKindDefinition,
} from '../definitions/kind-definition';
import type { KpiDef, KpiRequest } from '../kpi-types';

/** The column a measure comes back under; the evaluator reads it by this name. */
export const measureAlias = (id: string): string => `m_${id}`;

/** A measure's alias as SQL text: the id comes from a kind's definitions, checked as an identifier. */
export const measureAliasSql = (id: string): Sql => trustedIdentifier(measureAlias(id));

/**
 * The column a KPI's registry check reads: constituencies of the slice (or up to its end) with
 * rows but no registry row.
 */
export function registryMissingAlias(scope: 'slice' | 'upToEnd'): string {
  return scope === 'slice' ? 'm_registryMissingCount' : 'm_registryMissingToEndCount';
}

/** A KPI's value over measure aliases; a ratio is NULL (never a division error) when its denominator is 0. */
export function kpiValueSql(kpi: KpiDef): string {
  const expression = expressionSql(kpi, (id) => measureAliasSql(id).compile().query);
  return kpi.denominator ? `if(${measureAlias(kpi.denominator)} = 0, NULL, ${expression})` : expression;
}

type Breakdown = Extract<KpiRequest['shape'], { type: 'breakdown' }>;

/**
 * Ranks breakdown groups by a KPI: groups where that KPI is unavailable (no rows, partial
 * coverage, a registry gap) come last whatever the direction, then by key for a stable order.
 */
export function rankingSql(kind: KpiKindDefinition, shape: Breakdown, complete: ReadonlySet<string>): Sql {
  const orderKpi = kpiOf(kind, shape.orderBy);
  const eligible = joinSql(
    [
      sql`m_transactions > 0`,
      ...coverageMeasures(kind, orderKpi, complete).map((id) => sql`${measureAliasSql(id)} = m_transactions`),
      ...(orderKpi.registryScope
        ? [sql`${trustedIdentifier(registryMissingAlias(orderKpi.registryScope))} = 0`]
        : []),
    ],
    ' AND ',
  );
  const direction = trustedSql(shape.direction === 'ASC' ? 'ASC' : 'DESC');
  return sql`ORDER BY if(${eligible}, ${trustedSql(kpiValueSql(orderKpi))}, NULL) ${direction} NULLS LAST, g_key ASC NULLS LAST
LIMIT ${param(shape.top, 'UInt32')}`;
}
